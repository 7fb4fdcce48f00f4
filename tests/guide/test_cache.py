"""Page caching: fast repeat visits, and never an edit's old version after a save."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from directory.models import Cluster
from tests.factories import make_call, make_cluster, make_region, make_sector, make_type
from tests.helpers import form_data, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()


def test_a_repeated_visit_is_served_from_the_cache_without_sql(
    client, page_cache, django_assert_num_queries
):
    make_cluster(slug="minalogic", name_fr="Minalogic")
    first = client.get(url("guide:cluster-detail", slug="minalogic"))

    # only the content version is read
    with django_assert_num_queries(1):
        second = client.get(url("guide:cluster-detail", slug="minalogic"))

    assert second["X-Page-Cache"] == "hit" and "X-Page-Cache" not in first
    assert second.content == first.content
    assert second["Content-Language"] == "fr"


def test_a_page_cached_yesterday_is_not_served_today(client, page_cache, monkeypatch):
    """A call closes at midnight with no edit: its page must say so the next day."""
    today = timezone.localdate()
    make_call(slug="appel", title_fr="Appel", closes_on=today)
    page = url("guide:call-detail", slug="appel")
    assert "Clôture proche" in client.get(page).content.decode()

    monkeypatch.setattr("guide.cache.timezone.localdate", lambda: today + datetime.timedelta(1))
    monkeypatch.setattr(
        "directory.models.timezone.localdate", lambda: today + datetime.timedelta(1)
    )
    response = client.get(page)

    assert "X-Page-Cache" not in response
    assert "Clôture proche" not in response.content.decode()


def test_an_admin_save_is_visible_to_the_next_visitor(client, page_cache):
    cluster = make_cluster(slug="vitagora", name_fr="Vitagora", description_en="Old text.")
    public = url("guide:cluster-detail", "en", slug="vitagora")
    directory = url("guide:cluster-list", "en")
    assert "Old text." in client.get(public).content.decode()
    client.get(directory)
    editor = User.objects.create_user("editrice", password="x", is_staff=True)
    editor.groups.add(Group.objects.get(name="Éditeurs / Editors"))
    staff = client_class_for(client)
    staff.force_login(editor)
    change = reverse("admin:directory_cluster_change", args=[cluster.pk])
    data = form_data(staff.get(change))
    data["description_en"] = "New text, saved in the admin."
    data["name_fr"] = "Vitagora (renamed)"

    assert staff.post(change, data).status_code == 302

    assert "New text, saved in the admin." in client.get(public).content.decode()
    assert "Vitagora (renamed)" in client.get(directory).content.decode()


def client_class_for(client):
    return type(client)()


def test_an_import_is_visible_to_the_next_visitor(client, page_cache, tmp_path):
    make_type(slug="grappe-d-entreprises")
    make_sector(slug="services")
    make_region(slug="bretagne")
    directory = url("guide:cluster-list")
    assert "Grappe importée" not in client.get(directory).content.decode()
    path = tmp_path / "import.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["slug", "name_fr", "cluster_type", "sectors", "regions", "description_fr"])
        writer.writerow(
            [
                "grappe-importee",
                "Grappe importée",
                "grappe-d-entreprises",
                "services",
                "bretagne",
                "Importée.",
            ]
        )

    call_command("import_clusters", str(path), stdout=io.StringIO(), stderr=io.StringIO())

    assert "Grappe importée" in client.get(directory).content.decode()


def test_a_deletion_and_a_facet_rename_are_visible_at_once(client, page_cache):
    sector = make_sector(slug="services", name_fr="Services")
    make_cluster(slug="a-supprimer", name_fr="À supprimer", sectors=[sector])
    directory = url("guide:cluster-list")
    assert "À supprimer" in client.get(directory).content.decode()

    Cluster.objects.get(slug="a-supprimer").delete()
    sector.name_fr = "Services aux entreprises"
    sector.save()

    html = client.get(directory).content.decode()
    assert "À supprimer" not in html


def test_staff_and_non_page_requests_are_never_cached(client, page_cache, admin_user):
    make_cluster(slug="derbi", name_fr="Derbi")
    client.force_login(admin_user)
    client.get(url("guide:cluster-detail", slug="derbi"))

    assert "X-Page-Cache" not in client.get(url("guide:cluster-detail", slug="derbi"))
    assert client.get("/").status_code == 302  # the language redirect depends on the visitor


def test_a_redis_cache_works_the_same(client, settings, page_cache):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
        }
    }
    from django.core.cache import caches

    caches["default"].clear()
    cluster = make_cluster(slug="polepharma", name_fr="Polepharma", description_fr="Avant.")
    page = url("guide:cluster-detail", slug="polepharma")
    client.get(page)
    assert client.get(page)["X-Page-Cache"] == "hit"

    cluster.description_fr = "Après."
    cluster.save()

    response = client.get(page)
    assert "Après." in response.content.decode() and "X-Page-Cache" not in response
    caches["default"].clear()
