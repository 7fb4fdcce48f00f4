"""A visitor asks for an introduction; an editor forwards it; the cluster's contact gets it."""

import re

import pytest
from playwright.sync_api import expect

from directory.models import Cluster, Contact
from inbox.models import IntroductionRequest
from outbox.worker import Worker
from tests.e2e.test_accessibility import blocking_violations
from tests.helpers import STAFF


@pytest.fixture(scope="module")
def contact(live_url, django_db_blocker):
    """A contact with an email at Cosmetic Valley, committed before the test's own
    transaction begins (a row written inside it would hold a lock the server waits on)."""
    from django.db import connections

    with django_db_blocker.unblock():
        cluster = Cluster.objects.get(slug="cosmetic-valley")
        contact = Contact.objects.create(
            cluster=cluster, first_name="Claire", last_name="Essai", email="claire@cosmetic.example"
        )
        connections.close_all()
    yield contact
    with django_db_blocker.unblock():
        contact.delete()
        connections.close_all()


def test_a_partner_asks_for_an_introduction_and_an_editor_forwards_it_in_french(
    browser, live_url, contact, smtp, db_access
):
    visitor = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-CA")
    page = visitor.new_page()
    page.goto(f"{live_url}/en/clusters/cosmetic-valley/")
    page.get_by_role("link", name="Ask for an introduction").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask for an introduction")
    expect(page.get_by_label("Cosmetic Valley")).to_be_checked()  # from the page it came from

    page.get_by_role("button", name="Send my request").click()  # empty: told what to fix
    expect(page.locator(".form-errors")).to_contain_text("Your message was not sent yet")
    assert blocking_violations(page)[0] == []

    page.get_by_label("Your name").fill("Marie Leblanc")
    page.get_by_label("Your organisation").fill("Atlantic Botanicals")
    page.get_by_label("Country").select_option("CA-NB")
    page.get_by_label("Your email").fill("marie@botanicals.example")
    page.get_by_label("What are you looking for?").fill(
        "We grow seaweed for cosmetics and look for French formulators."
    )
    page.get_by_label("Within six months").check()
    page.get_by_label("I agree that the CACIMA uses these details to answer my request.").check()
    page.wait_for_timeout(1100)  # the form's least fill time in this test server
    page.get_by_role("button", name="Send my request").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your request was sent")
    reference = page.locator(".reference").inner_text()
    assert re.fullmatch(r"INT-\d{4}-\d{4}", reference)
    assert blocking_violations(page)[0] == []
    visitor.close()

    editor = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = editor.new_page()
    page.goto(live_url + "/admin/login/")
    page.fill("#id_username", STAFF["username"])
    page.fill("#id_password", STAFF["password"])
    page.locator("input[type=submit]").click()
    page.get_by_role("link", name=re.compile(r"Demandes de mise en relation \(1\)")).click()
    page.get_by_role("link", name=reference).click()
    page.get_by_role("link", name="Transmettre à des clusters").click()
    page.get_by_label(re.compile("claire@cosmetic.example")).check()
    body = page.locator("#id_body")
    expect(body).to_contain_text("souhaite entrer en contact avec votre cluster")
    body.fill(body.input_value() + "\nÀ bientôt.")
    page.get_by_role("button", name="Envoyer").click()
    expect(page.locator(".messagelist .success")).to_contain_text("La demande part")
    expect(page.locator("#content")).to_contain_text("Transmis")
    editor.close()

    Worker().step(now=0)  # the worker sends the queue (bin/serve runs it beside gunicorn)
    (message,) = smtp.to("claire@cosmetic.example")
    assert (
        message["Subject"]
        == f"Mise en relation : Atlantic Botanicals souhaite vous rencontrer ({reference})"
    )
    text = message.get_body(("plain",)).get_content()
    assert "Nouveau-Brunswick (Canada)" in text and "À bientôt." in text
    assert "marie@botanicals.example" not in text  # she did not agree to pass it on
    request = IntroductionRequest.objects.get(reference=reference)
    assert request.status == "forwarded"
    assert smtp.to("marie@botanicals.example")  # her acknowledgement went out in the same round


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_report_form_and_its_thanks_are_accessible(browser, live_url, language):
    page = browser.new_page()
    page.goto(f"{live_url}/{language}/events/world-innovation-cosmetic-cluster-summit-2016/")
    page.locator(".report-link a").click()
    assert blocking_violations(page)[0] == []
    page.locator("input[name=kind]").first.check()
    page.locator("textarea[name=description]").fill("The dates are wrong / Les dates sont fausses.")
    page.wait_for_timeout(1100)
    page.locator("form.form button[type=submit]").click()
    expect(page.locator(".reference")).to_have_text(re.compile(r"ERR-\d{4}-\d{4}"))
    assert blocking_violations(page)[0] == []
    page.close()
