"""A partner asks for an email alert from a filtered directory page, confirms it from
the email, lands on the alert's own page, and later stops it from the email's link:
in a real browser, with a real SMTP server, in English and in French."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from alerts.models import Subscription
from outbox.worker import Worker
from tests.e2e.conftest import SERVER_SECRET_KEY
from tests.e2e.test_accessibility import blocking_violations

WORDS = {
    "en": {
        "locale": "en-CA",
        "link": "Email me when something new matches",
        "region": "Brittany",
        "email": "Your email address",
        "daily": "Daily",
        "create": "Create the alert",
        "sent": "Check your email",
        "confirm": "Confirm your email alert",
        "button": "Confirm the alert",
        "mine": "Your email alert",
        "confirmed": "Your alert is confirmed",
        "stop": "Stop this email alert?",
        "delete": "Delete this alert",
        "deleted": "Alert deleted",
        "invalid": "This link no longer works",
    },
    "fr": {
        "locale": "fr-FR",
        "link": "M’avertir par courriel des nouveautés",
        "region": "Bretagne",
        "email": "Votre adresse électronique",
        "daily": "Chaque jour",
        "create": "Créer l’alerte",
        "sent": "Consultez votre messagerie",
        "confirm": "Confirmez votre alerte par courriel",
        "button": "Confirmer l’alerte",
        "mine": "Votre alerte par courriel",
        "confirmed": "Votre alerte est confirmée",
        "stop": "Arrêter cette alerte par courriel ?",
        "delete": "Supprimer cette alerte",
        "deleted": "Alerte supprimée",
        "invalid": "Ce lien ne fonctionne plus",
    },
}


@pytest.fixture
def no_alerts(db_access):
    Subscription.objects.all().delete()
    yield
    Subscription.objects.all().delete()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_partner_subscribes_from_the_directory_confirms_from_the_email_and_stops_it(
    browser, live_url, smtp, no_alerts, language
):
    words = WORDS[language]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=words["locale"])
    page = context.new_page()
    page.goto(f"{live_url}/{language}/clusters/?region=bretagne")
    page.get_by_role("link", name=words["link"]).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(words["link"])
    expect(page.locator(".alert-filters")).to_contain_text(words["region"])
    assert blocking_violations(page)[0] == []
    # An address of its own per run: the test's transaction holds the rows it deleted,
    # and the server would wait on it to insert the same address again.
    page.get_by_label(words["email"]).fill(f"marie-{language}@botanicals.example")
    page.get_by_label(words["daily"]).check()
    page.wait_for_timeout(1100)  # the form's least fill time in this test server
    page.get_by_role("button", name=words["create"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["sent"])
    assert blocking_violations(page)[0] == []

    Worker().step(now=0)  # the worker sends the queue (bin/serve runs it beside gunicorn)
    (message,) = smtp.to(f"marie-{language}@botanicals.example")
    text = message.get_body(("plain",)).get_content()
    link = re.search(rf"https?://\S+/{language}/alerts/confirm/\S+/", text).group()
    assert link.startswith(live_url)

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(words["confirm"])
    assert blocking_violations(page)[0] == []
    page.get_by_role("button", name=words["button"]).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(words["mine"])
    expect(page.get_by_role("status")).to_contain_text(words["confirmed"])
    expect(page.locator(".alert-filters")).to_contain_text(words["region"])
    assert blocking_violations(page)[0] == []
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is not None and subscription.frequency == "daily"
    assert subscription.query == "region=bretagne" and subscription.language == language

    # Later, the email's visible unsubscribe link: a page that asks before it deletes.
    with translation.override(language), override_settings(SECRET_KEY=SERVER_SECRET_KEY):
        link = reverse("alerts:unsubscribe", kwargs={"token": subscription.manage_token()})
    page.goto(live_url + link)
    expect(page.get_by_role("heading", level=1)).to_have_text(words["stop"])
    assert blocking_violations(page)[0] == []
    assert Subscription.objects.filter(pk=subscription.pk).exists()
    page.get_by_role("button", name=words["delete"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["deleted"])
    assert blocking_violations(page)[0] == []
    assert not Subscription.objects.filter(pk=subscription.pk).exists()

    page.goto(live_url + link)  # used again, or cut short: a page that says why
    expect(page.get_by_role("heading", level=1)).to_have_text(words["invalid"])
    assert blocking_violations(page)[0] == []
    page.goto(live_url + link.removesuffix("unsubscribe/")[:-9] + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text(words["invalid"])
    context.close()
