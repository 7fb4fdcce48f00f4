"""A partner asks for an email alert from a filtered directory page, confirms it from
the email, and lands on the alert's own page: in a real browser, with a real SMTP server."""

import re

import pytest
from playwright.sync_api import expect

from alerts.models import Subscription
from outbox.worker import Worker
from tests.e2e.test_accessibility import blocking_violations


@pytest.fixture
def no_alerts(db_access):
    Subscription.objects.all().delete()
    yield
    Subscription.objects.all().delete()


def test_a_partner_subscribes_from_the_directory_and_confirms_from_the_email(
    browser, live_url, smtp, no_alerts
):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-CA")
    page = context.new_page()
    page.goto(f"{live_url}/en/clusters/?region=bretagne")
    page.get_by_role("link", name="Email me when something new matches").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Email me when something new matches")
    expect(page.locator(".alert-filters")).to_contain_text("Brittany")
    assert blocking_violations(page)[0] == []
    page.get_by_label("Your email address").fill("marie@botanicals.example")
    page.get_by_label("Daily").check()
    page.wait_for_timeout(1100)  # the form's least fill time in this test server
    page.get_by_role("button", name="Create the alert").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert blocking_violations(page)[0] == []

    Worker().step(now=0)  # the worker sends the queue (bin/serve runs it beside gunicorn)
    (message,) = smtp.to("marie@botanicals.example")
    text = message.get_body(("plain",)).get_content()
    link = re.search(r"https?://\S+/en/alerts/confirm/\S+/", text).group()
    assert link.startswith(live_url)

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your email alert")
    assert blocking_violations(page)[0] == []
    page.get_by_role("button", name="Confirm the alert").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your email alert")
    expect(page.get_by_role("status")).to_contain_text("Your alert is confirmed")
    expect(page.locator(".alert-filters")).to_contain_text("Brittany")
    assert blocking_violations(page)[0] == []
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is not None and subscription.frequency == "daily"
    assert subscription.query == "region=bretagne" and subscription.language == "en"
    context.close()
