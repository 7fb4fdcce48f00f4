"""The editors' "to review" page: what is due, why, and marking it reviewed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.models import Cluster
from tests.factories import make_call, make_cluster
from tests.helpers import url

pytestmark = pytest.mark.django_db

PAGE = "/admin/directory/clustertoreview/"
CALLS = "/admin/directory/calltoreview/"
DAY = datetime.timedelta(days=1)


@pytest.fixture
def clusters():
    today = timezone.localdate()
    fresh = {"last_reviewed": today, "verification": "verified", "description_en": "In English."}
    return {
        "never": make_cluster(name_fr="Jamais relu", verification="verified", description_en="E."),
        "old": make_cluster(
            name_fr="Relu il y a longtemps",
            last_reviewed=today - datetime.timedelta(days=400),
            verification="verified",
            description_en="E.",
        ),
        "partial": make_cluster(name_fr="À vérifier", **{**fresh, "verification": "partial"}),
        "english": make_cluster(name_fr="Sans anglais", **{**fresh, "description_en": ""}),
        "fine": make_cluster(name_fr="À jour", **fresh),
        "hidden": make_cluster(name_fr="Non publié", is_published=False),
    }


def test_the_page_lists_what_is_due_with_its_reasons_and_a_link_to_it(client, editor, clusters):
    html = client.get(PAGE, headers={"accept-language": "en"}).content.decode()

    for name, reason in [
        ("Jamais relu", "never reviewed"),
        ("Relu il y a longtemps", "reviewed over a year ago"),
        ("À vérifier", "facts not fully verified"),
        ("Sans anglais", "English description missing"),
    ]:
        assert name in html and reason in html
    assert "À jour" not in html and "Non publié" not in html
    change = reverse("admin:directory_cluster_change", args=[clusters["never"].pk])
    assert f'<a href="{change}">Jamais relu</a>' in html


def test_the_admin_index_links_to_it_with_its_count(client, editor, clusters):
    html = client.get("/admin/").content.decode()

    assert f'href="{PAGE}"' in html
    assert "Clusters à relire (4)" in html


def test_marking_as_reviewed_records_the_date_and_who_in_the_history(client, editor, clusters):
    never = clusters["never"]
    response = client.post(
        PAGE, {"action": "mark_reviewed", "_selected_action": [never.pk]}, follow=True
    )

    never.refresh_from_db()
    assert never.last_reviewed == timezone.localdate()
    assert "1 fiche marquée comme relue aujourd’hui." in response.content.decode()
    last = Cluster.history.filter(id=never.pk).latest("history_date")
    assert last.history_user == editor and last.last_reviewed == timezone.localdate()
    assert "Jamais relu" not in client.get(PAGE).content.decode()


def test_nobody_adds_or_deletes_from_the_review_page(client, editor, clusters):
    assert client.get(PAGE + "add/").status_code == 403
    html = client.get(PAGE).content.decode()
    assert "delete_selected" not in html


@pytest.fixture
def calls():
    today = timezone.localdate()
    english = {"title_en": "Call", "description_en": "A call."}
    return {
        "never": make_call(title_fr="Appel jamais relu", closes_on=today + DAY * 30, **english),
        "passed": make_call(
            title_fr="Appel échu",
            closes_on=today - DAY,
            last_reviewed=today - DAY * 30,
            **english,
        ),
        "fine": make_call(
            title_fr="Appel à jour",
            closes_on=today - DAY * 10,
            last_reviewed=today - DAY,
            **english,
        ),
        "french": make_call(title_fr="Appel sans anglais", last_reviewed=today),
    }


def test_calls_past_their_deadline_since_their_review_are_due(client, editor, calls):
    html = client.get(CALLS).content.decode()

    assert "Appel jamais relu" in html and "jamais relu" in html
    assert "Appel échu" in html and "date limite passée depuis la dernière relecture" in html
    assert "Appel sans anglais" in html and "texte anglais manquant" in html
    assert "Appel à jour" not in html


def test_marking_a_call_as_reviewed_takes_it_off_the_list_and_shows_on_its_page(
    client, editor, calls
):
    passed = calls["passed"]
    client.post(CALLS, {"action": "mark_reviewed", "_selected_action": [passed.pk]})

    passed.refresh_from_db()
    assert passed.last_reviewed == timezone.localdate()
    assert "Appel échu" not in client.get(CALLS).content.decode()
    page = client.get(url("guide:call-detail", "en", slug=passed.slug)).content.decode()
    assert "Last reviewed" in page
