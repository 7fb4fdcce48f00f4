"""Events of the cluster network: pages, filters, feed, links with clusters."""

import datetime

import pytest
from django.utils import timezone
from icalendar import Calendar

from directory.models import Event
from tests.factories import make_cluster
from tests.helpers import url

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def make_event(**kwargs):
    kwargs.setdefault("slug", f"event-{Event.objects.count() + 1}")
    kwargs.setdefault("title_fr", "Rencontre")
    kwargs.setdefault("description_fr", "Une rencontre de clusters.")
    kwargs.setdefault("kind", Event.Kind.GATHERING)
    kwargs.setdefault("starts_on", timezone.localdate())
    clusters = kwargs.pop("clusters", [])
    event = Event.objects.create(**kwargs)
    event.clusters.set(clusters)
    return event


def titles(events):
    return [e.title for e in events]


def test_upcoming_events_come_first_soonest_first_then_the_archive(client):
    today = timezone.localdate()
    make_event(title_fr="Dans un mois", starts_on=today + 30 * DAY)
    make_event(title_fr="Demain", starts_on=today + DAY)
    make_event(title_fr="En cours", starts_on=today - DAY, ends_on=today + DAY)
    make_event(title_fr="L'an dernier", starts_on=today - 365 * DAY)
    make_event(title_fr="Le mois dernier", starts_on=today - 30 * DAY)

    response = client.get(url("guide:event-list"))

    assert titles(response.context["upcoming"]) == ["En cours", "Demain", "Dans un mois"]
    assert titles(response.context["past"]) == ["Le mois dernier", "L'an dernier"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "training"}, ["Formation"]),
        ({"year": "2015"}, ["Forum", "Formation"]),
        ({"country": "Turquie"}, ["Forum"]),
        ({"year": ["2013", "2016"]}, ["Sommet"]),
        ({"kind": "nope", "year": "abc"}, ["Sommet", "Forum", "Formation"]),
    ],
)
def test_events_filter_by_kind_year_and_country(client, params, expected):
    make_event(
        title_fr="Formation",
        kind="training",
        starts_on=datetime.date(2015, 3, 1),
        country_fr="Russie",
        country_en="Russia",
    )
    make_event(
        title_fr="Forum",
        kind="forum",
        starts_on=datetime.date(2015, 6, 1),
        country_fr="Turquie",
        country_en="Turkey",
    )
    make_event(title_fr="Sommet", kind="conference", starts_on=datetime.date(2016, 1, 1))

    response = client.get(url("guide:event-list"), params)

    assert titles(response.context["past"]) == expected


def test_the_country_filter_shows_names_in_the_page_language(client):
    make_event(country_fr="Turquie", country_en="Turkey", starts_on=datetime.date(2015, 1, 1))

    html = client.get(url("guide:event-list", "en")).content.decode()

    assert 'value="Turquie"' in html and "> <label" in html and "Turkey</label>" in html


def test_an_event_page_links_to_its_clusters_and_a_cluster_page_to_its_events(client):
    cluster = make_cluster(slug="cosmetic-valley", name_fr="Cosmetic Valley")
    make_event(
        slug="sommet-2016",
        title_fr="Sommet de la cosmétique",
        title_en="Cosmetics summit",
        clusters=[cluster],
        starts_on=datetime.date(2016, 1, 1),
        date_precision="year",
    )

    event_page = client.get(url("guide:event-detail", "en", slug="sommet-2016")).content.decode()
    cluster_page = client.get(
        url("guide:cluster-detail", "en", slug="cosmetic-valley")
    ).content.decode()

    assert "Cosmetics summit" in event_page and 'href="/en/clusters/cosmetic-valley/"' in event_page
    assert (
        "Events it took part in" in cluster_page
        and 'href="/en/events/sommet-2016/"' in cluster_page
    )
    assert "2016" in event_page and "1 January 2016" not in event_page  # year only


def test_unknown_and_unpublished_events_are_not_found(client):
    make_event(slug="hidden", is_published=False)

    assert client.get(url("guide:event-detail", slug="hidden")).status_code == 404
    assert client.get(url("guide:event-detail", slug="nope")).status_code == 404


def test_the_events_calendar_has_the_events_known_to_the_day(client):
    make_event(
        slug="forum-2027",
        title_en="Forum 2027",
        starts_on=datetime.date(2027, 5, 3),
        ends_on=datetime.date(2027, 5, 4),
        city="Lyon",
        country_en="France",
    )
    make_event(slug="vague", starts_on=datetime.date(2015, 1, 1), date_precision="year")

    response = client.get(url("guide:events-ics", "en"))
    events = Calendar.from_ical(response.content).walk("VEVENT")

    assert [str(e["uid"]) for e in events] == ["event-forum-2027-en@testserver"]
    assert events[0].decoded("dtstart") == datetime.date(2027, 5, 3)
    assert events[0].decoded("dtend") == datetime.date(2027, 5, 5)  # exclusive end
    assert (
        str(events[0]["summary"]) == "Forum 2027" and str(events[0]["location"]) == "Lyon, France"
    )


def test_the_seed_events_ship_in_both_languages(client, shipped_guide):
    events = Event.objects.all()

    assert events.count() >= 11
    assert all(e.title_fr and e.title_en and e.description_fr and e.description_en for e in events)
    slugs = set(events.values_list("slug", flat=True))
    assert {
        "rencontre-clusters-sciences-du-vivant-france-suede-2015",
        "world-innovation-cosmetic-cluster-summit-2016",
        "forum-franco-turc-innovation-clusters-2015",
        "formation-clusters-nucleaire-aerospatial-dimitrovgrad-2015",
        "formation-animateurs-clusters-tunisie-2013",
        "formation-strategie-clusters-maroc-2013",
    } <= slugs
    forum = events.get(slug="forum-franco-turc-innovation-clusters-2015")
    assert (forum.starts_on.year, forum.date_precision, forum.country_en) == (
        2015,
        "year",
        "Turkey",
    )


def test_the_events_page_runs_a_constant_number_of_queries(client, django_assert_num_queries):
    cluster = make_cluster()
    for n in range(15):
        make_event(slug=f"e{n}", clusters=[cluster], starts_on=datetime.date(2015, 1, 1) + n * DAY)
    # filter choices: years, countries; events with organisers; their clusters
    with django_assert_num_queries(4):
        client.get(url("guide:event-list"))


def test_with_nothing_ahead_the_events_page_says_no_event_is_known(client):
    make_event(title_fr="Rencontre passée", starts_on=timezone.localdate() - 30 * DAY)

    html = client.get(url("guide:event-list")).content.decode()

    assert "Le guide ne connaît pas encore d’événement à venir" in html
    assert "Rencontre passée" in html


def test_when_filters_hide_every_event_ahead_the_page_names_the_next_one(client):
    ahead = timezone.localdate() + 40 * DAY
    make_event(title_fr="Salon à venir", kind=Event.Kind.TRADE_FAIR, starts_on=ahead)
    make_event(title_fr="Formation passée", kind=Event.Kind.TRAINING, starts_on=ahead - 400 * DAY)

    html = client.get(url("guide:event-list", "en"), {"kind": "training"}).content.decode()

    assert "No event ahead matches these filters." in html
    assert "The next known event:" in html and "Salon à venir" in html


def test_an_event_known_only_by_its_month_stays_ahead_until_the_month_is_over(client):
    today = timezone.localdate()
    this_month = today.replace(day=1)
    last_month = (this_month - DAY).replace(day=1)
    make_event(title_fr="Salon de ce mois", starts_on=this_month, date_precision="month")
    make_event(title_fr="Salon du mois dernier", starts_on=last_month, date_precision="month")
    make_event(
        title_fr="Forum de cette année",
        starts_on=today.replace(month=1, day=1),
        date_precision="year",
    )

    response = client.get(url("guide:event-list"))

    upcoming = set(titles(response.context["upcoming"]))
    assert upcoming == {"Forum de cette année", "Salon de ce mois"}
    assert titles(response.context["past"]) == ["Salon du mois dernier"]
