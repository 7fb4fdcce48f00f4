"""The editors' "to review" page: what is due, why, and marking it reviewed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.models import Cluster
from tests.factories import make_cluster

pytestmark = pytest.mark.django_db

PAGE = "/admin/directory/clustertoreview/"


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
    assert "1 cluster marqué comme relu aujourd’hui." in response.content.decode()
    last = Cluster.history.filter(id=never.pk).latest("history_date")
    assert last.history_user == editor and last.last_reviewed == timezone.localdate()
    assert "Jamais relu" not in client.get(PAGE).content.decode()


def test_nobody_adds_or_deletes_from_the_review_page(client, editor, clusters):
    assert client.get(PAGE + "add/").status_code == 403
    html = client.get(PAGE).content.decode()
    assert "delete_selected" not in html
