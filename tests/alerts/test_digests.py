"""The digests, through the queue and its worker to a real SMTP server (aiosmtpd)."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alerts import digests
from alerts.models import Delivery, Subscription
from outbox.worker import Worker
from tests.factories import make_call, make_cluster, make_region

pytestmark = pytest.mark.django_db


def alert(email, target="clusters", query="", language="en", frequency="daily", since=None):
    since = since or timezone.now() - datetime.timedelta(hours=1)
    return Subscription.objects.create(
        email=email,
        target=target,
        query=query,
        language=language,
        frequency=frequency,
        consent_page=f"/{language}/{target}/",
        confirmed_at=since,
        watermark=since,
    )


def send(frequency="daily", now=None):
    done = digests.run(frequency, now)
    Worker().step(now=10**9)  # the queue, sent (the jobs ran when the worker was made)
    return done


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


@pytest.fixture
def regions():
    return (
        make_region(slug="bretagne", name_fr="Bretagne", name_en="Brittany"),
        make_region(slug="corse", name_fr="Corse", name_en="Corsica", insee_code="94"),
    )


def test_a_digest_holds_exactly_the_new_matching_items_and_a_rerun_sends_nothing(
    smtp, settings, regions
):
    settings.SITE_URL = "https://guide.example"
    brittany, corsica = regions
    old = make_cluster(slug="old-breton", name_fr="Ancien breton", regions=[brittany])
    old_news = timezone.now() - datetime.timedelta(hours=2)
    type(old).objects.filter(pk=old.pk).update(published_at=old_news)  # before the alert
    marie = alert("marie@homard.example", query="region=bretagne")
    alert("nobody@homard.example", query="region=corse")
    make_cluster(slug="breizh-mer", name_fr="Breizh Mer", regions=[brittany])
    make_cluster(slug="corsica-sole", name_fr="Corsica Sole", regions=[corsica])
    make_cluster(slug="hidden", name_fr="Caché", regions=[brittany], is_published=False)
    Subscription.objects.filter(pk=marie.pk).update(
        watermark=timezone.now() - datetime.timedelta(minutes=30)
    )
    Subscription.objects.exclude(pk=marie.pk).update(watermark=timezone.now())  # saw it all

    done = send()

    (message,) = smtp.received
    assert message.envelope_recipients == ["marie@homard.example"]
    assert message["Subject"] == "1 new item in your alert from the Guide to French clusters"
    text = text_of(message)
    assert "Breizh Mer\n  https://guide.example/en/clusters/breizh-mer/" in text
    assert "Ancien" not in text and "Corsica" not in text and "Caché" not in text
    assert "- Region: Brittany" in text
    html = message.get_body(("html",)).get_content()
    assert '<a href="https://guide.example/en/clusters/breizh-mer/">Breizh Mer</a>' in html
    header = "".join(message["List-Unsubscribe"].split())  # a long header is folded
    unsubscribe = re.fullmatch(r"<(https://guide\.example/en/alerts/\S+/unsubscribe/)>", header)
    unsubscribe = unsubscribe.group(1)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in text  # the visible link too
    assert (done.subscribers, done.digests, done.items) == (2, 1, 1)

    again = send()  # the same day: everyone has had this period's digest
    assert (again.subscribers, again.digests) == (0, 0)
    make_cluster(slug="breizh-bis", name_fr="Breizh Bis", regions=[brittany])
    tomorrow = send(now=timezone.now() + datetime.timedelta(days=1))
    assert tomorrow.digests == 1 and len(smtp.received) == 2
    assert "Breizh Bis" in text_of(smtp.received[1])
    assert "Breizh Mer" not in text_of(smtp.received[1])  # never in two digests

    response = Client().post(
        re.sub(r"^https://guide\.example", "", unsubscribe), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 204
    assert not Subscription.objects.filter(email="marie@homard.example").exists()


def test_a_crash_in_the_middle_and_a_rerun_tell_nobody_an_item_twice(smtp, monkeypatch):
    for i in range(5):
        alert(f"reader{i}@example.ca")
    make_cluster(slug="news", name_fr="Nouvelles")
    calls = []
    real = digests._digest

    def crash_on_the_fourth(*args, **kwargs):
        calls.append(1)
        if len(calls) == 4:
            raise ConnectionError("the worker was stopped")
        return real(*args, **kwargs)

    monkeypatch.setattr(digests, "_digest", crash_on_the_fourth)
    with pytest.raises(ConnectionError):
        digests.run("daily", batch=2)  # batches of 2: the first committed, the second not
    monkeypatch.undo()
    send()

    recipients = sorted(r for m in smtp.received for r in m.envelope_recipients)
    assert recipients == [f"reader{i}@example.ca" for i in range(5)]  # each exactly once
    assert Delivery.objects.count() == 5


def test_a_batch_takes_the_same_queries_whatever_its_number_of_digests(settings, regions):
    """Queries grow with batches and distinct alerts, never with subscribers or emails."""
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"  # the queue, as in production
    brittany, corsica = regions
    make_cluster(slug="breizh-mer", name_fr="Breizh Mer", regions=[brittany])
    make_cluster(slug="corsica-mare", name_fr="Corsica Mare", regions=[corsica])

    def queries_of_a_run(subscribers):
        Subscription.objects.all().delete()
        for i in range(subscribers):
            alert(f"r{i}@example.ca", query=["region=bretagne", "region=corse", ""][i % 3])
        with CaptureQueriesContext(connection) as run:
            done = digests.run("daily", batch=6)
        assert done.digests == subscribers  # each one gets its email
        return len(run.captured_queries)

    queries_of_a_run(3)  # the names of the facets, read once per process
    three_batches, six_batches = queries_of_a_run(18), queries_of_a_run(36)
    # A batch: its subscribers, what they were told, the emails, the deliveries, their
    # marks, and the transaction's savepoint and release.
    assert six_batches - three_batches == 3 * 7
    # Besides: the content version and the oldest mark, the news (5), each distinct
    # alert once (3) and the last, empty batch (3).
    assert three_batches == 3 * 7 + 2 + 5 + 3 + 3


def test_digests_speak_their_subscribers_language_and_nothing_new_sends_nothing(smtp, regions):
    alert("paul@peche.example", language="fr", query="region=bretagne")
    alert("anne@peche.example", language="en", query="region=bretagne")
    alert("quiet@peche.example", language="en", query="region=corse")
    make_cluster(
        slug="mer-bretagne", name_fr="Mer Bretagne", name_en="Sea Brittany", regions=[regions[0]]
    )

    send()

    (french,) = smtp.to("paul@peche.example")
    (english,) = smtp.to("anne@peche.example")
    assert "Mer Bretagne" in text_of(french) and "- Région : Bretagne" in text_of(french)
    assert "/fr/clusters/mer-bretagne/" in text_of(french)
    assert "Sea Brittany" in text_of(english) and "/en/clusters/mer-bretagne/" in text_of(english)
    assert not smtp.to("quiet@peche.example")


def test_call_subscribers_hear_of_deadlines_14_and_3_days_away_once(smtp):
    today = timezone.localdate()
    alert("calls@example.ca", target="calls", since=timezone.now())  # nothing new since
    make_call(
        slug="soon",
        title_en="Soon",
        opens_on=today - datetime.timedelta(days=30),
        closes_on=today + datetime.timedelta(days=14),
    )
    make_call(
        slug="later",
        title_en="Later",
        opens_on=today - datetime.timedelta(days=30),
        closes_on=today + datetime.timedelta(days=20),
    )
    Subscription.objects.update(watermark=timezone.now())  # the calls are not new to it

    send()

    (message,) = smtp.received
    assert re.search(r"\* Soon: closes on .+, in 14 days\n", text_of(message))
    assert "Later" not in text_of(message)
    send(now=timezone.now() + datetime.timedelta(days=1))
    assert len(smtp.received) == 1  # the same reminder is never sent again


def test_a_weekly_digest_reminds_of_every_deadline_before_the_next_one(smtp):
    """A weekly subscriber hears of each call at least 14 and 3 days before it closes,
    once each, whatever the weekday of the deadline."""
    now = timezone.now()
    today = timezone.localdate(now)
    alert("weekly@example.ca", target="calls", frequency="weekly", since=now)
    for days in range(0, 30):
        make_call(
            slug=f"call-{days}",
            title_en=f"Call {days:02d}",
            opens_on=today - datetime.timedelta(days=60),
            closes_on=today + datetime.timedelta(days=days),
        )
    now = timezone.now()
    Subscription.objects.update(watermark=now)  # the calls are not new to it
    reminded = {}
    for week in range(3):
        send("weekly", now=now + datetime.timedelta(weeks=week))
        text = text_of(smtp.received[-1]) if len(smtp.received) > week else ""
        for number, days in re.findall(r"\* Call (\d+): closes on .+, in (\d+) days", text):
            reminded.setdefault(int(number), []).append((week, int(days)))
    # A call closing 14 to 20 days after the first digest is reminded then, and once
    # more 3 to 9 days ahead; one closing 3 to 9 days after it, then only.
    for number in range(14, 21):
        later = number - 7 if number - 7 < 10 else number - 14
        assert [days for _week, days in reminded[number]] == [number, later]
    for number in range(3, 10):
        assert reminded[number][0] == (0, number)
    assert all(days >= 3 for marks in reminded.values() for _week, days in marks)


def test_a_cluster_whose_label_changes_is_told_to_its_followers(smtp, regions):
    from directory.models import Labelling

    brittany = regions[0]
    cluster = make_cluster(slug="pole-mer", name_fr="Pôle Mer", regions=[brittany])
    month_ago = timezone.now() - datetime.timedelta(days=30)
    type(cluster).objects.filter(pk=cluster.pk).update(
        published_at=month_ago, label_changed_at=month_ago
    )
    alert("marie@homard.example", query="region=bretagne")
    year = timezone.localdate().year

    Labelling.objects.create(
        cluster=cluster, phase_fr="Phase V", year=year - 1, until_year=year + 2
    )
    send()

    (message,) = smtp.received
    text = text_of(message)
    assert "Label status changed\n* Pôle Mer: " in text
    assert "/en/clusters/pole-mer/" in text


def test_a_label_that_changes_again_another_day_is_told_again(smtp, regions):
    from directory.models import Labelling

    cluster = make_cluster(slug="pole-bois", name_fr="Pôle Bois", regions=[regions[0]])
    month_ago = timezone.now() - datetime.timedelta(days=30)
    type(cluster).objects.filter(pk=cluster.pk).update(
        published_at=month_ago, label_changed_at=month_ago
    )
    alert("marie@homard.example", query="region=bretagne")
    year = timezone.localdate().year

    Labelling.objects.create(cluster=cluster, phase_fr="Phase V", year=year - 1, until_year=year)
    send()
    Labelling.objects.create(cluster=cluster, phase_fr="Phase VI", year=year + 1)
    send(now=timezone.now() + datetime.timedelta(days=1))

    assert [("Pôle Bois" in text_of(m)) for m in smtp.received] == [True, True]
