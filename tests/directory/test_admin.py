"""The staff admin: editors edit content in both languages, never accounts."""

import re

import pytest
from django.urls import reverse

from directory.models import Cluster
from tests.factories import make_cluster, make_region, make_sector
from tests.helpers import form_data

pytestmark = pytest.mark.django_db


def test_an_editor_changes_the_english_description_and_it_is_saved(client, editor, shipped_guide):
    cluster = Cluster.objects.get(slug="minalogic")
    url = reverse("admin:directory_cluster_change", args=[cluster.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = form_data(page)
    data["description_en"] = "Grenoble's digital technology cluster, rewritten by an editor."

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    cluster.refresh_from_db()
    assert (
        cluster.description_en == "Grenoble's digital technology cluster, rewritten by an editor."
    )
    assert cluster.description_fr.startswith("Basé à Grenoble")  # French untouched
    assert cluster.labellings.count() == 1  # inline label history kept


def test_french_is_required_and_english_optional_in_the_admin(client, editor):
    cluster = make_cluster(name_fr="Vitagora", name_en="")
    url = reverse("admin:directory_cluster_change", args=[cluster.pk])
    data = form_data(client.get(url))
    data["description_fr"] = ""
    data["description_en"] = "Only in English."

    response = client.post(url, data)

    assert response.status_code == 200
    assert "description_fr" in response.context["adminform"].form.errors


def test_an_editor_cannot_open_the_users_or_groups_pages(client, editor):
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403
    assert client.get(reverse("admin:directory_cluster_changelist")).status_code == 200


def test_an_editor_cannot_delete_a_cluster(client, editor):
    cluster = make_cluster()
    url = reverse("admin:directory_cluster_delete", args=[cluster.pk])

    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Cluster.objects.filter(pk=cluster.pk).exists()


@pytest.mark.parametrize("term", ["pole mer", "Pôle", "PÔLE MER", "bretagne atlantique"])
def test_admin_search_ignores_accents_and_case(client, editor, term):
    make_cluster(name_fr="Pôle Mer Bretagne Atlantique")
    make_cluster(name_fr="Minalogic")

    response = client.get(reverse("admin:directory_cluster_changelist"), {"q": term})

    assert response.context["cl"].result_count == 1
    assert "Pôle Mer Bretagne Atlantique" in response.content.decode()


def test_the_english_missing_filter_lists_clusters_without_english(client, editor):
    make_cluster(name_fr="Traduit", description_en="Translated.")
    make_cluster(name_fr="Pas encore traduit", description_en="")

    response = client.get(reverse("admin:directory_cluster_changelist"), {"english": "missing"})

    names = [c.name for c in response.context["cl"].result_list]
    assert names == ["Pas encore traduit"]


def test_sectors_and_regions_are_picked_with_autocomplete(client, editor):
    make_sector(name_fr="Économie numérique", slug="economie-numerique")
    make_region(name_fr="Île-de-France", slug="ile-de-france")
    url = reverse("admin:autocomplete")
    params = {"app_label": "directory", "model_name": "cluster", "field_name": "regions"}

    response = client.get(url, {**params, "term": "ile"})

    assert [r["text"] for r in response.json()["results"]] == ["Île-de-France"]
    response = client.get(url, {**params, "field_name": "sectors", "term": "economie"})
    assert [r["text"] for r in response.json()["results"]] == ["Économie numérique"]


def test_the_cluster_form_loads_nothing_from_another_site(client, editor):
    cluster = make_cluster()
    html = client.get(reverse("admin:directory_cluster_change", args=[cluster.pk])).content.decode()

    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert any("jquery-ui.min.js" in src for src in sources)
    assert not [src for src in sources if src.startswith(("http:", "https:", "//"))]


def test_the_cluster_form_offers_a_view_on_site_link(client, editor):
    cluster = make_cluster(slug="derbi")
    html = client.get(reverse("admin:directory_cluster_change", args=[cluster.pk])).content.decode()

    assert "viewsitelink" in html


def test_the_admin_speaks_french_by_default(client, editor):
    response = client.get(reverse("admin:index"))

    assert response.headers["Content-Language"] == "fr"
    assert "Guide des clusters français" in response.content.decode()


def test_a_nul_byte_in_a_changelist_filter_is_answered_400_not_500(client, editor):
    response = client.get(reverse("admin:directory_cluster_changelist"), {"q": "pole\x00"})

    assert response.status_code == 400


def test_a_nul_byte_in_the_session_cookie_is_answered_400_not_500(client):
    # A quoted cookie value may write NUL as \000; the session key then reached
    # the session table's query (found by tests/test_fuzz.py).
    response = client.get(reverse("admin:login"), headers={"cookie": 'sessionid="abcdefgh\\000"'})

    assert response.status_code == 400


def test_an_overlong_user_name_is_a_login_form_error_not_500(client):
    # Longer than the 255 characters django-axes records for a failed login
    # (found by tests/test_fuzz.py).
    from axes.models import AccessAttempt

    response = client.post(reverse("admin:login"), {"username": "x" * 1000, "password": "admin"})

    assert response.status_code == 200
    assert "150" in str(response.context["form"].errors["username"])
    assert not AccessAttempt.objects.exists()


def test_a_nul_byte_in_a_login_s_user_agent_is_answered_400_not_500(client):
    # django-axes records a failed login's User-Agent (found by tests/test_fuzz.py).
    response = client.post(
        reverse("admin:login"),
        {"username": "admin", "password": "admin"},
        headers={"user-agent": "\x00"},
    )

    assert response.status_code == 400
