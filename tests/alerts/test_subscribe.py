"""Subscribing to an alert: double opt-in through a real SMTP server, the alert's own
page, one-click unsubscription (RFC 8058), and what a tampered or expired link gets."""

import re
import time
from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from alerts.models import Subscription
from alerts.subscriptions import forget_unconfirmed
from outbox.worker import Worker
from tests.factories import make_region, make_sector
from tests.helpers import form_shown, url

pytestmark = pytest.mark.django_db


def subscribe(client, language="en", query="", target="clusters", **fields):
    data = {
        "email": "marie@homard.example",
        "frequency": "weekly",
        "target": target,
        "query": query,
        "website": "",
        "shown": form_shown(),
        **fields,
    }
    return client.post(url("alerts:subscribe", language), data)


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def link_in(message) -> str:
    return re.search(r"https?://\S+/alerts/\S+", text_of(message)).group()


def path_of(link: str) -> str:
    return re.sub(r"^https?://[^/]+", "", link)


@pytest.fixture
def brittany():
    return make_region(slug="bretagne", name_fr="Bretagne", name_en="Brittany")


def test_the_directory_offers_an_alert_on_what_it_shows(client, brittany):
    make_sector(slug="energie", name_fr="Énergie", name_en="Energy")
    html = client.get(url("guide:cluster-list", "en"), {"region": "bretagne"}).content.decode()
    link = re.search(r'<a href="([^"]+)">Email me when something new matches</a>', html).group(1)

    page = client.get(link.replace("&amp;", "&"))

    assert page.status_code == 200
    body = page.content.decode()
    assert "<dt>Region</dt><dd>Brittany</dd>" in body
    assert page.context["form"]["query"].value() == "region=bretagne"


def test_a_subscription_is_confirmed_by_its_emailed_link_and_nothing_else_is_sent(
    client, smtp, brittany
):
    response = subscribe(client, query="region=bretagne&page=3&utm=x&region=nowhere")
    assert response.status_code == 302
    assert "Check your email" in client.get(response["Location"]).content.decode()
    Worker().step(now=0)

    (message,) = smtp.to("marie@homard.example")
    assert message["Subject"] == "Confirm your email alert from the Guide to French clusters"
    assert "- Region: Brittany" in text_of(message)
    subscription = Subscription.objects.get()
    assert subscription.query == "region=bretagne"  # what the page used, nothing else
    assert subscription.confirmed_at is None and subscription.consent_page.endswith(
        "/en/clusters/?region=bretagne"
    )

    confirm_page = client.get(path_of(link_in(message)))
    assert confirm_page.status_code == 200  # a link scanner confirms nothing
    assert Subscription.objects.get().confirmed_at is None

    confirmed = client.post(path_of(link_in(message)), follow=True)
    assert "Your alert is confirmed" in confirmed.content.decode()
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None
    assert subscription.watermark == subscription.confirmed_at


def test_asking_again_sends_at_most_one_email_an_hour_and_keeps_one_subscription(client, smtp):
    for _ in range(3):
        assert subscribe(client, frequency="daily").status_code == 302
    Worker().step(now=0)
    assert len(smtp.to("marie@homard.example")) == 1
    assert Subscription.objects.count() == 1
    assert subscribe(client, email="MARIE@homard.example").status_code == 302  # same address
    assert Subscription.objects.count() == 1


def test_nobody_can_subscribe_an_address_many_times(client, settings):
    settings.FORM_RATE = "1000/h"
    statuses = [
        subscribe(client, query=f"q=word{i}").status_code for i in range(8)
    ]  # 8 different alerts for one address
    assert statuses.count(302) == 5 and statuses[-1] == 429
    assert Subscription.objects.count() == 5


def test_the_emails_and_pages_speak_the_subscribers_language(client, smtp, brittany):
    subscribe(client, "fr", query="region=bretagne", email="paul@peche.example")
    Worker().step(now=0)

    (message,) = smtp.to("paul@peche.example")
    # An accented subject is folded into encoded words; the parser keeps the fold's space.
    assert message["Subject"].strip() == "Confirmez votre alerte du Guide des clusters français"
    assert "- Région : Bretagne" in text_of(message)
    assert "/fr/alerts/confirm/" in link_in(message)


def test_the_alerts_page_changes_pauses_and_deletes_it(client):
    subscription = Subscription.objects.create(
        email="a@b.example",
        target="calls",
        language="en",
        consent_page="/en/calls/",
        confirmed_at=timezone.now(),
    )
    page = subscription.get_absolute_url()

    response = client.post(page, {"frequency": "daily", "paused": "on"})
    assert "Your changes are saved" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.frequency == "daily" and subscription.paused

    response = client.post(page, {"delete": "1"}, follow=True)
    assert "Alert deleted" in response.content.decode()
    assert not Subscription.objects.exists()
    assert client.get(page).status_code == 404


def test_one_post_to_the_unsubscribe_address_deletes_the_subscription():
    subscription = Subscription.objects.create(
        email="a@b.example", target="events", language="fr", consent_page="/fr/events/"
    )
    client = Client(enforce_csrf_checks=True)  # as a mail provider posts
    address = url("alerts:unsubscribe", "fr", token=subscription.manage_token())

    response = client.post(address, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 204
    assert not Subscription.objects.exists()
    again = client.post(address, {"List-Unsubscribe": "One-Click"})
    assert again.status_code == 204  # again: the same answer


@pytest.mark.parametrize("name", ["alerts:confirm", "alerts:manage"])
def test_a_tampered_link_gets_a_clear_page(client, name):
    subscription = Subscription.objects.create(
        email="a@b.example",
        target="clusters",
        language="en",
        consent_page="/en/clusters/",
        confirmed_at=timezone.now(),
    )
    good = subscription.confirm_token() if name == "alerts:confirm" else subscription.manage_token()
    for token in (good[:-2] + "xx", "nonsense", "a" * 3000, good.replace(":", "")):
        response = client.get(url(name, "en", token=token))
        assert response.status_code == 404
        assert "This link no longer works" in response.content.decode()


def test_a_confirmation_link_expires_after_seven_days(client, monkeypatch):
    subscription = Subscription.objects.create(
        email="a@b.example", target="clusters", language="en", consent_page="/en/clusters/"
    )
    eight_days_ago = time.time() - 8 * 24 * 3600
    monkeypatch.setattr(signing.time, "time", lambda: eight_days_ago)
    token = subscription.confirm_token()
    monkeypatch.undo()

    response = client.post(url("alerts:confirm", "en", token=token))

    assert response.status_code == 404 and "no longer works" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None


def test_unconfirmed_subscriptions_are_deleted_after_seven_days():
    old = Subscription.objects.create(
        email="old@b.example", target="clusters", language="en", consent_page="/en/clusters/"
    )
    Subscription.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    Subscription.objects.create(
        email="new@b.example", target="clusters", language="en", consent_page="/en/clusters/"
    )
    Subscription.objects.create(
        email="kept@b.example",
        target="calls",
        language="en",
        consent_page="/en/calls/",
        confirmed_at=timezone.now() - timedelta(days=30),
    )
    assert forget_unconfirmed() == 1
    assert sorted(Subscription.objects.values_list("email", flat=True)) == [
        "kept@b.example",
        "new@b.example",
    ]


def test_the_visible_unsubscribe_link_asks_before_deleting(client):
    subscription = Subscription.objects.create(
        email="a@b.example", target="clusters", language="fr", consent_page="/fr/clusters/"
    )
    address = url("alerts:unsubscribe", "fr", token=subscription.manage_token())

    page = client.get(address)  # a mail scanner opening the link deletes nothing
    assert page.status_code == 200 and "Arrêter cette alerte" in page.content.decode()
    assert Subscription.objects.exists()

    done = client.post(address, follow=True)
    assert "Alerte supprimée" in done.content.decode()
    assert not Subscription.objects.exists()
