"""Mail from the inbox, through the queue and the worker, to a real SMTP server."""

import re

import pytest
from django.db import transaction
from django.test import Client
from mailer.models import Message

from inbox.models import IntroductionRequest
from outbox.worker import Worker
from tests.factories import make_cluster
from tests.helpers import introduction_data, report_data, url

pytestmark = pytest.mark.django_db


def ask(language="en", client=None, **fields):
    """Post an introduction request from the ``language`` page; return its reference."""
    client = client or Client()
    response = client.post(url("inbox:introduction-new", language), introduction_data(**fields))
    assert response.status_code == 302, response.context["form"].errors
    page = client.get(response["Location"])
    return re.search(r"INT-\d{4}-\d{4}", page.content.decode()).group()


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def test_the_visitor_gets_an_acknowledgement_in_their_language_and_staff_are_told(smtp, settings):
    settings.STAFF_INBOX_EMAIL = "inbox@cacima.example"
    english = ask("en", reply_language="en", email="marie@homard.example")
    french = ask("fr", reply_language="fr", email="paul@peche.example", name="Paul Arsenault")
    Worker().step(now=0)

    (to_marie,) = smtp.to("marie@homard.example")
    assert to_marie["Subject"] == f"Your introduction request {english}"
    assert "Thank you for your request" in text_of(to_marie)
    (to_paul,) = smtp.to("paul@peche.example")
    assert to_paul["Subject"] == f"Votre demande de mise en relation {french}"
    assert "Merci de votre demande" in text_of(to_paul)
    for message in (to_marie, to_paul):
        assert message["From"] == settings.DEFAULT_FROM_EMAIL
        assert message["Reply-To"] == "inbox@cacima.example"
        assert re.fullmatch(r"<.+@localhost>", message["Message-ID"])
        assert message["Auto-Submitted"] == "auto-generated"
        assert message.get_body(("html",)) is not None  # plain text and HTML
    notifications = smtp.to("inbox@cacima.example")
    assert len(notifications) == 2
    assert {m["Reply-To"] for m in notifications} == {None}  # answers go through the inbox
    assert all("/admin/inbox/introductionrequest/" in text_of(m) for m in notifications)
    assert Message.objects.count() == 0  # all sent


def test_with_the_smtp_server_down_nothing_is_lost_and_each_message_arrives_once(smtp, settings):
    smtp.stop()
    references = [ask(email=f"visitor{i}@example.ca") for i in range(3)]
    assert IntroductionRequest.objects.count() == 3  # the visitors were answered all the same
    worker = Worker(min_wait=10, max_wait=60)
    worker.step(now=100)
    worker.step(now=105)  # still waiting
    assert Message.objects.deferred().count() == 6  # 3 acknowledgements, 3 notifications
    worker.step(now=111)  # tried again: the server is still down, the wait doubles
    assert worker.wait == 20 and Message.objects.deferred().count() == 6

    smtp.start()
    worker.step(now=125)  # before the wait is over: nothing yet
    assert smtp.received == []
    worker.step(now=131)
    worker.step(now=200)
    worker.step(now=400)
    assert Message.objects.count() == 0
    assert len(smtp.received) == 6
    for i, reference in enumerate(references):
        (acknowledgement,) = smtp.to(f"visitor{i}@example.ca")
        assert reference in acknowledgement["Subject"]
    assert len(smtp.to(settings.STAFF_INBOX_EMAIL)) == 3
    assert worker.wait == 10  # back to the shortest wait once mail goes through


def test_mail_is_queued_in_the_transaction_of_what_caused_it(smtp, rf):
    """A request that fails after queueing its mail queues nothing (and stores nothing)."""
    from inbox import workflow

    request = rf.post("/en/introductions/new/")
    request.LANGUAGE_CODE = "en"
    item = IntroductionRequest(
        **{
            k: v
            for k, v in introduction_data().items()
            if k in {"name", "organisation", "country", "email", "looking_for", "timeframe"}
        },
        reply_language="en",
        consent=True,
    )
    with pytest.raises(RuntimeError), transaction.atomic():
        workflow.receive(item, request)
        assert Message.objects.count() == 2
        raise RuntimeError("the database went away")
    assert Message.objects.count() == 0
    assert not IntroductionRequest.objects.exists()


def test_a_report_with_an_email_is_acknowledged_in_the_page_language(smtp):
    cluster = make_cluster()
    response = Client().post(
        url("inbox:report-cluster", "fr", slug=cluster.slug), report_data(email="lea@example.fr")
    )
    assert response.status_code == 302
    Worker().step(now=0)
    (acknowledgement,) = smtp.to("lea@example.fr")
    assert acknowledgement["Subject"].startswith("Votre signalement ERR-")
    assert cluster.name in text_of(acknowledgement)
