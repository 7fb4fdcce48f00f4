"""Requests and reports are personal data: never public, kept for a set time, erasable."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from mailer.models import Message, MessageLog

from inbox.models import Action, ErrorReport, IntroductionRequest
from tests.factories import make_call, make_cluster, make_contact, make_event
from tests.helpers import introduction_data, report_data, url

pytestmark = pytest.mark.django_db

SECRET_NAME = "Zéphirine Quobuzz"
SECRET_EMAIL = "zephirine.quobuzz@example.ca"
SECRET_TEXT = "lobster-secret-plan"


@pytest.fixture(autouse=True)
def _queue(settings):
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"


@pytest.fixture
def sent():
    """A request and a report from the same person, as the public forms store them."""
    cluster = make_cluster()
    call, event = make_call(), make_event()
    event.clusters.set([cluster])
    client = Client()
    client.post(
        url("inbox:introduction-new", "en"),
        introduction_data(
            name=SECRET_NAME, email=SECRET_EMAIL, looking_for=SECRET_TEXT, clusters=[cluster.slug]
        ),
    )
    client.post(
        url("inbox:report-cluster", slug=cluster.slug),
        report_data(email=SECRET_EMAIL, description=SECRET_TEXT),
    )
    assert IntroductionRequest.objects.exists() and ErrorReport.objects.exists()
    return cluster, call, event


def test_nothing_sent_by_a_visitor_reaches_a_public_page_export_feed_or_sitemap(client, sent):
    cluster, call, event = sent
    paths = ["/sitemap.xml", "/sitemap-pages.xml", "/sitemap-clusters.xml"]
    for language in ("fr", "en"):
        paths += [
            url("guide:home", language),
            url("guide:cluster-list", language),
            cluster.get_absolute_url(),
            url("guide:export-csv", language),
            url("guide:export-json", language),
            url("guide:call-detail", language, slug=call.slug),
            url("guide:calls-atom", language),
            url("guide:calls-ics", language),
            url("guide:events-ics", language),
            url("guide:event-detail", language, slug=event.slug),
            url("guide:figures", language),
            url("guide:figures-csv", language, chart="introductions"),
            url("guide:contacts", language),
        ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode()
        for secret in (SECRET_NAME, SECRET_EMAIL, SECRET_TEXT, "INT-20", "ERR-20"):
            assert secret not in text, (path, secret)


def test_the_sitemap_lists_no_inbox_page(client):
    text = client.get("/sitemap-pages.xml").content.decode()
    assert "/introductions/" not in text and "/report/" not in text


def test_closed_items_are_purged_after_their_time_and_open_ones_never(sent, settings):
    settings.INBOX_KEPT_DAYS, settings.SPAM_KEPT_DAYS = 730, 30
    now = timezone.now()
    request, report = IntroductionRequest.objects.get(), ErrorReport.objects.get()
    old_open = IntroductionRequest.objects.create(
        **{
            k: v
            for k, v in vars(request).items()
            if k
            in {
                "name",
                "organisation",
                "country",
                "email",
                "looking_for",
                "timeframe",
                "reply_language",
                "consent",
                "language",
            }
        },
        received_at=now - datetime.timedelta(days=3000),
    )
    IntroductionRequest.objects.filter(pk=request.pk).update(
        status="closed", closed_at=now - datetime.timedelta(days=731)
    )
    ErrorReport.objects.filter(pk=report.pk).update(
        status="spam", closed_at=now - datetime.timedelta(days=31)
    )
    MessageLog.objects.create(
        when_added=now - datetime.timedelta(days=100),
        when_attempted=now - datetime.timedelta(days=100),
        priority=2,
        result="1",
    )
    out = io.StringIO()
    call_command("purge_inbox", stdout=out)
    assert "Deleted 1 introduction requests, 1 error reports, 1 mail log entries." in out.getvalue()
    assert list(IntroductionRequest.objects.all()) == [old_open]  # still open: kept
    assert not ErrorReport.objects.exists() and not Action.objects.filter(report=report.pk)


def test_a_just_closed_item_is_kept(sent):
    IntroductionRequest.objects.update(status="closed", closed_at=timezone.now())
    call_command("purge_inbox", stdout=io.StringIO())
    assert IntroductionRequest.objects.count() == 1


def test_erasing_a_person_removes_their_requests_reports_and_queued_mail(sent):
    assert Message.objects.count() == 4  # two acknowledgements to them, two notifications
    contact = make_contact(cluster=sent[0], email="anne@cluster.example")
    request = IntroductionRequest.objects.get()
    Action.objects.create(request=request, kind="forwarded", recipients=f"Anne <{contact.email}>")
    out = io.StringIO()
    call_command("forget_contact", "--email", SECRET_EMAIL.upper(), stdout=out)
    assert "2 request(s) and report(s)" in out.getvalue()
    assert not IntroductionRequest.objects.exists() and not ErrorReport.objects.exists()
    assert Message.objects.count() == 0  # the staff notifications named them too
    call_command("forget_contact", "--email", contact.email, stdout=io.StringIO())
    assert not Action.objects.filter(recipients__icontains=contact.email).exists()


def test_the_mail_log_keeps_no_content():
    from django.conf import settings

    assert settings.MAILER_EMAIL_LOG_MESSAGE_DATA is False
