"""Feeds of calls (Atom, iCalendar) and events (iCalendar), parsed with real libraries."""

import datetime

import feedparser
import pytest
from django.utils import timezone
from icalendar import Calendar

from tests.factories import make_call, make_organisation, make_type
from tests.helpers import url

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def calls(db):
    today = timezone.localdate()
    ptce = make_type(slug="ptce", name_fr="PTCE")
    poles = make_type(slug="pole-de-competitivite", name_fr="Pôle de compétitivité")
    funder = make_organisation(name_fr="Bpifrance")
    return {
        "open": make_call(
            slug="appel-ouvert",
            title_fr="Appel ouvert",
            title_en="Open call",
            description_fr="Un appel en cours.",
            description_en="A call running now.",
            opens_on=today - 10 * DAY,
            closes_on=today + 20 * DAY,
            funder=funder,
            eligible_types=[ptce],
        ),
        "upcoming": make_call(
            slug="appel-a-venir",
            title_fr="Appel à venir",
            title_en="Upcoming call",
            opens_on=today + 5 * DAY,
            closes_on=today + 60 * DAY,
            eligible_types=[poles],
        ),
        "vague": make_call(
            slug="appel-ancien",
            title_fr="Appel ancien",
            closes_on=datetime.date(2011, 12, 31),
            closes_precision="year",
            eligible_types=[poles],
        ),
    }


def test_the_atom_feed_lists_calls_newest_change_first_in_each_language(client, calls):
    calls["vague"].save()  # changed last

    french = feedparser.parse(client.get(url("guide:calls-atom")).content)
    english = feedparser.parse(client.get(url("guide:calls-atom", "en")).content)

    assert not french.bozo and not english.bozo  # well-formed
    assert french.version == english.version == "atom10"
    assert [e.title for e in french.entries] == ["Appel ancien", "Appel à venir", "Appel ouvert"]
    assert english.entries[2].title == "Open call"
    assert english.entries[2].summary == "A call running now."
    assert english.entries[2].link == "http://testserver/en/calls/appel-ouvert/"
    assert french.entries[2].author == "Bpifrance"
    assert english.feed.language == "en" and french.feed.language == "fr"
    assert all(e.updated_parsed and e.id for e in english.entries)


def test_a_type_feed_lists_only_the_calls_it_is_eligible_for(client, calls):
    feed = feedparser.parse(client.get(url("guide:type-calls-atom", "en", slug="ptce")).content)

    assert not feed.bozo
    assert [e.title for e in feed.entries] == ["Open call"]
    assert client.get(url("guide:type-calls-atom", slug="nope")).status_code == 404


def parse_ics(response):
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def test_the_calendar_has_each_deadline_and_the_opening_of_upcoming_calls(client, calls):
    calendar = parse_ics(client.get(url("guide:calls-ics", "en")))
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}

    assert calendar["version"] == "2.0" and "Guide des clusters" in str(calendar["prodid"])
    assert set(events) == {
        "call-appel-ouvert-deadline-en@testserver",
        "call-appel-a-venir-deadline-en@testserver",
        "call-appel-a-venir-opening-en@testserver",
    }  # "2011" is no day: the old call is left out
    deadline = events["call-appel-ouvert-deadline-en@testserver"]
    assert str(deadline["summary"]) == "Deadline: Open call"
    assert deadline.decoded("dtstart") == calls["open"].closes_on
    assert deadline.decoded("dtend") == calls["open"].closes_on + DAY
    assert str(deadline["url"]) == "http://testserver/en/calls/appel-ouvert/"
    assert "A call running now." in str(deadline["description"])
    opening = events["call-appel-a-venir-opening-en@testserver"]
    assert opening.decoded("dtstart") == calls["upcoming"].opens_on
    assert all("dtstamp" in e for e in events.values())


def test_the_calendar_speaks_the_language_of_its_address(client, calls):
    calendar = parse_ics(client.get(url("guide:calls-ics", "fr")))
    summaries = {str(e["summary"]) for e in calendar.walk("VEVENT")}

    assert "Date limite : Appel ouvert" in summaries
    assert "Ouverture : Appel à venir" in summaries


def test_a_type_calendar_has_only_its_calls(client, calls):
    calendar = parse_ics(client.get(url("guide:type-calls-ics", slug="ptce")))

    assert [str(e["uid"]) for e in calendar.walk("VEVENT")] == [
        "call-appel-ouvert-deadline-fr@testserver"
    ]


def test_the_calls_pages_announce_their_feeds(client, calls):
    html = client.get(url("guide:call-list", "en")).content.decode()

    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert 'href="/en/calls/feed.atom"' in html and 'href="/en/calls/feed.ics"' in html
    type_page = client.get(url("guide:type-detail", slug="ptce")).content.decode()
    assert 'href="/fr/types/ptce/calls.atom"' in type_page
