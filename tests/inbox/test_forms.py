"""The public forms: what a visitor sees, what is refused and how, and abuse."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st
from mailer.models import Message

from inbox.models import ErrorReport, IntroductionRequest
from tests.factories import make_call, make_cluster, make_event, make_region, make_sector
from tests.guide.test_fuzz import LONG, NASTY, fuzz
from tests.helpers import form_shown, introduction_data, report_data, url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _queue(settings):
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"  # the real queue (no worker here)


def post_introduction(client=None, language="en", **fields):
    client = client or Client()
    return client.post(url("inbox:introduction-new", language), introduction_data(**fields))


def errors_of(response) -> str:
    """The text of the error summary at the top of the form."""
    match = re.search(r'<div class="form-errors".*?</div>', response.content.decode(), re.S)
    return re.sub(r"<[^>]+>", " ", match.group()) if match else ""


# --- What a visitor sees ------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_form_comes_filled_from_the_page_it_was_opened_on(client, language):
    sector, region = make_sector(), make_region()
    cluster = make_cluster(sectors=[sector], regions=[region])
    address = url("inbox:introduction-new", language)
    response = client.get(
        f"{address}?cluster={cluster.slug}&sector={sector.slug}&region={region.slug}"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(rf'value="{cluster.slug}"[^>]*checked', html)
    assert re.search(rf'value="{sector.slug}"[^>]*checked', html)
    assert re.search(rf'value="{region.slug}"[^>]*checked', html)
    assert re.search(rf'name="reply_language" value="{language}"[^>]*checked', html)
    consent = re.search(r'<input type="checkbox" name="consent"[^>]*>', html).group()
    assert "checked" not in consent  # never ticked for the visitor
    assert url("guide:privacy", language) in html
    assert "no-store" in response["Cache-Control"]  # the page holds the visitor's CSRF token


def test_atlantic_canada_comes_first_in_the_country_list(client):
    html = client.get(url("inbox:introduction-new", "en")).content.decode()
    options = re.findall(r'<option value="([A-Z-]*)"', html)
    assert options[:8] == ["", "CA-NB", "CA-NL", "CA-NS", "CA-PE", "CA", "FR", "PM"]
    assert len(options) > 240  # and every other country
    assert "Nouvelle-Écosse" in client.get(url("inbox:introduction-new", "fr")).content.decode()


def test_every_cluster_page_offers_an_introduction_and_a_report(client):
    cluster = make_cluster()
    html = client.get(cluster.get_absolute_url()).content.decode()
    assert f"{url('inbox:introduction-new')}?cluster={cluster.slug}" in html
    assert url("inbox:report-cluster", slug=cluster.slug) in html


def test_the_directory_carries_its_sector_and_region_into_the_form(client):
    sector, region = make_sector(), make_region()
    make_cluster(sectors=[sector], regions=[region])
    html = client.get(
        url("guide:cluster-list") + f"?sector={sector.slug}&region={region.slug}&q=x&sort=name"
    ).content.decode()
    # the directory reads its query normalised: parameters by name
    assert f'{url("inbox:introduction-new")}?region={region.slug}&amp;sector={sector.slug}"' in html


def test_a_request_is_stored_with_its_reference_and_the_clusters_it_names(client):
    sector, cluster = make_sector(), make_cluster()
    response = post_introduction(client, sectors=[sector.slug], clusters=[cluster.slug])
    assert response.status_code == 302
    request = IntroductionRequest.objects.get()
    assert re.fullmatch(r"INT-20\d\d-0001", request.reference)
    assert list(request.clusters.all()) == [cluster] and list(request.sectors.all()) == [sector]
    assert request.language == "en" and request.status == "new"
    assert [a.kind for a in request.actions.all()] == ["received"]
    page = client.get(response["Location"]).content.decode()
    assert request.reference in page and "What happens next" in page
    second = post_introduction()
    assert IntroductionRequest.objects.get(pk__gt=request.pk).reference.endswith("-0002")
    assert second.status_code == 302


def test_the_thank_you_page_shows_only_a_signed_reference(client):
    assert client.get(url("inbox:introduction-sent") + "?ref=INT-2026-0001").status_code == 404
    assert client.get(url("inbox:report-sent")).status_code == 404


# --- Clear answers to bad input --------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"consent": None}, "consent", "Cochez cette case pour que nous puissions vous répondre."),
        ({"name": ""}, "name", "Ce champ est obligatoire."),
        ({"email": "pas-une-adresse"}, "email", "Saisissez une adresse de courriel valide."),
        ({"country": "XX"}, "country", "Sélectionnez un choix valide."),
        ({"looking_for": "x" * 2001}, "looking_for", "au plus 2000 caractères"),
        ({"name": "Marie\r\nBcc: victim@example.com"}, "name", "Écrivez ceci sur une seule ligne"),
        (
            {"email": "a@example.com\r\nBcc: victim@example.com"},
            "email",
            "adresse de courriel valide",
        ),
        ({"organisation": "Acme\x1b[31m"}, "organisation", "Écrivez ceci sur une seule ligne"),
        (
            {
                "looking_for": "See http://a.example http://b.example www.c.example https://d.example"
            },
            "looking_for",
            "plus de 3 liens",
        ),
    ],
)
def test_bad_input_gets_a_clear_error_in_the_page_language_and_nothing_is_stored(
    client, fields, field, message
):
    response = post_introduction(client, "fr", **fields)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "Votre message n’est pas encore envoyé" in errors_of(response)
    assert 'value="Homard Atlantique Ltée"' in response.content.decode() or field == "organisation"
    assert not IntroductionRequest.objects.exists() and not Message.objects.exists()


def test_more_than_five_clusters_are_refused(client):
    clusters = [make_cluster().slug for _ in range(6)]
    response = post_introduction(client, clusters=clusters)
    assert "Choose at most 5 clusters." in response.context["form"].errors["clusters"]
    assert not IntroductionRequest.objects.exists()


def test_a_nul_byte_is_removed_and_the_visitor_asked_to_check(client):
    response = post_introduction(client, "en", name="Ma\x00rie", looking_for="Lob\x00ster")
    assert response.status_code == 200
    assert "invisible null character" in errors_of(response)
    assert 'value="Marie"' in response.content.decode()
    assert not IntroductionRequest.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"website": "http://spam.example"}, "Leave this field empty."),
        ({"shown": lambda: form_shown(seconds_ago=0)}, "This form was sent very quickly"),
        ({"shown": "forged"}, "This form has expired"),
        ({"shown": lambda: form_shown(seconds_ago=3 * 86400)}, "This form has expired"),
        ({"shown": None}, "This field is required."),
    ],
)
def test_robots_are_refused_with_a_message_a_person_understands(client, fields, message):
    fields = {name: value() if callable(value) else value for name, value in fields.items()}
    response = post_introduction(client, **fields)
    assert response.status_code == 200
    assert message in errors_of(response)
    # A fresh time stamp, so that a person who checks and sends again gets through.
    assert 'name="shown" value="forged"' not in response.content.decode()
    assert not IntroductionRequest.objects.exists() and not Message.objects.exists()


def test_a_flood_from_one_address_stores_a_handful_and_mails_no_one_more_than_three_times(
    settings, monkeypatch
):
    import time
    import types

    from django_ratelimit import core

    settings.FORM_RATE = "5/h"
    # The limits count in fixed windows: the flood must not straddle one's end.
    started = time.time()
    monkeypatch.setattr(core, "time", types.SimpleNamespace(time=lambda: started))
    client = Client(REMOTE_ADDR="203.0.113.9")
    statuses = [
        post_introduction(client, email="victim@example.org").status_code for _ in range(1000)
    ]
    assert statuses.count(302) == 5 and statuses.count(429) == 995
    assert IntroductionRequest.objects.count() == 5
    to_victim = [m for m in Message.objects.all() if "victim@example.org" in m.email.to]
    assert len(to_victim) == 3  # three acknowledgements a day to one address, at most
    refused = post_introduction(client)
    assert "please try again in an hour" in errors_of(refused)
    assert 'value="Marie Leblanc"' in refused.content.decode()  # the text is still there
    # Another address is not held back by this one.
    assert post_introduction(Client(REMOTE_ADDR="198.51.100.4")).status_code == 302


def test_a_flood_of_robot_posts_stores_nothing_and_sends_nothing(settings):
    client = Client(REMOTE_ADDR="203.0.113.10")
    for i in range(100):
        post_introduction(client, website=f"http://spam{i}.example")
        post_introduction(client, shown=form_shown(seconds_ago=0))
    assert not IntroductionRequest.objects.exists() and not Message.objects.exists()


# --- Error reports ----------------------------------------------------------------


@pytest.mark.parametrize("kind", ["cluster", "call", "event"])
def test_a_mistake_can_be_reported_on_every_cluster_call_and_event_page(client, kind):
    entry = {"cluster": make_cluster, "call": make_call, "event": make_event}[kind]()
    page = client.get(entry.get_absolute_url()).content.decode()
    assert url(f"inbox:report-{kind}", slug=entry.slug) in page
    address = url(f"inbox:report-{kind}", "en", slug=entry.slug)
    response = client.post(address, report_data(kind="contact", email="a@example.org"))
    assert response.status_code == 302
    report = ErrorReport.objects.get()
    assert report.entry == entry and report.page_url == entry.get_absolute_url()
    assert report.kind == "contact" and report.email == "a@example.org"
    thanks = client.get(response["Location"]).content.decode()
    assert report.reference in thanks and "checks the page against its sources" in thanks


def test_an_unpublished_or_unknown_entry_cannot_be_reported(client):
    hidden = make_cluster(is_published=False)
    assert client.get(url("inbox:report-cluster", slug=hidden.slug)).status_code == 404
    assert client.post(url("inbox:report-call", slug="nope"), report_data()).status_code == 404


def test_a_report_needs_a_description_and_accepts_no_email(client):
    cluster = make_cluster()
    response = client.post(
        url("inbox:report-cluster", "fr", slug=cluster.slug), report_data(description="")
    )
    assert "Ce champ est obligatoire." in response.context["form"].errors["description"]
    ok = client.post(url("inbox:report-cluster", slug=cluster.slug), report_data(email=""))
    assert ok.status_code == 302 and ErrorReport.objects.get().email == ""


# --- Fuzz --------------------------------------------------------------------------

FIELD_VALUES = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=60),
    LONG,
    st.lists(st.sampled_from(NASTY), max_size=3),
)


@pytest.fixture
def target():
    return make_cluster()


@fuzz(150)
@given(
    language=st.sampled_from(["fr", "en"]),
    fields=st.dictionaries(
        st.sampled_from(
            [
                "name",
                "organisation",
                "country",
                "email",
                "phone",
                "looking_for",
                "sectors",
                "regions",
                "clusters",
                "timeframe",
                "reply_language",
                "consent",
                "website",
                "shown",
                "kind",
                "description",
            ]
        ),
        FIELD_VALUES,
    ),
    form=st.sampled_from(["introduction", "report"]),
)
def test_any_post_to_the_forms_gets_an_answer_never_a_server_error(target, language, fields, form):
    cache.clear()  # the rate limit starts afresh for each example
    if form == "introduction":
        address, data = url("inbox:introduction-new", language), introduction_data(**fields)
    else:
        address = url("inbox:report-cluster", language, slug=target.slug)
        data = report_data(**fields)
    try:
        response = Client(raise_request_exception=False).post(address, data)
        assert response.status_code in (200, 302), response.status_code
        for message in Message.objects.all():  # whatever got through, no header was injected
            email = message.email
            assert "\n" not in email.subject and "\r" not in email.subject
            assert all("\n" not in a and "\r" not in a for a in [*email.to, *email.reply_to])
    finally:
        Message.objects.all().delete()
        IntroductionRequest.objects.all().delete()
        ErrorReport.objects.all().delete()
