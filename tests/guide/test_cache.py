"""Page caching: fast repeat visits in bounded memory, never an old version after a save."""

import csv
import datetime
import io
import json
import os
import pickle
import subprocess
import sys
import uuid

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, User
from django.core.cache import cache, caches
from django.core.management import call_command
from django.http import QueryDict
from django.test import override_settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from directory.models import Cluster
from guide.cache import PAGES, normalised_query
from guide.page_cache_backend import ByteBoundedLocMemCache
from tests.factories import make_call, make_cluster, make_region, make_sector, make_type
from tests.helpers import form_data, load_settings, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    caches["pages"].clear()


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
    redis_cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/15",
    }
    settings.CACHES = {"default": redis_cache, "pages": {**redis_cache, "KEY_PREFIX": "pages"}}
    caches["default"].clear()
    cluster = make_cluster(slug="polepharma", name_fr="Polepharma", description_fr="Avant.")
    page = url("guide:cluster-detail", slug="polepharma")
    client.get(page)
    assert client.get(page)["X-Page-Cache"] == "hit"
    assert redis.Redis(host="127.0.0.1", port=6379, db=15).keys("pages:*")  # its own prefix

    cluster.description_fr = "Après."
    cluster.save()

    response = client.get(page)
    assert "Après." in response.content.decode() and "X-Page-Cache" not in response
    caches["default"].clear()


# The page cache's own backend without Redis: bounded in bytes, least recently used out first.


def byte_bounded(max_bytes=10_000, max_entries=1000):
    """A fresh cache of that backend (a name of its own: LocMemCache shares stores by name)."""
    options = {"MAX_BYTES": max_bytes, "MAX_ENTRIES": max_entries}
    return ByteBoundedLocMemCache(f"test-{uuid.uuid4()}", {"OPTIONS": options})


PAGE = b"x" * 900
# What one such entry counts for: its pickled value and its key (":1:page-00").
PAGE_SIZE = len(pickle.dumps(PAGE, pickle.HIGHEST_PROTOCOL)) + len(":1:page-00")
TEN_PAGES = 10 * PAGE_SIZE + PAGE_SIZE // 2  # a budget for ten of them, not eleven


def test_the_byte_budget_evicts_the_least_recently_used_entries():
    pages = byte_bounded(max_bytes=TEN_PAGES)
    for n in range(10):
        pages.set(f"page-{n:02}", PAGE)
    assert pages.total_bytes == 10 * PAGE_SIZE

    for n in range(10, 40):
        pages.set(f"page-{n:02}", PAGE)
        assert pages.total_bytes <= TEN_PAGES

    assert pages.total_bytes == 10 * PAGE_SIZE  # full, not emptied
    assert [n for n in range(40) if pages.get(f"page-{n:02}") is not None] == list(range(30, 40))


def test_a_recently_read_entry_outlives_older_unread_ones():
    pages = byte_bounded(max_bytes=TEN_PAGES)
    for n in range(10):
        pages.set(f"page-{n:02}", PAGE)
    pages.get("page-00")

    pages.set("page-10", PAGE)

    assert pages.get("page-00") is not None and pages.get("page-01") is None


def test_an_entry_over_a_tenth_of_the_budget_is_not_stored():
    pages = byte_bounded(max_bytes=10_000)
    pages.set("small", b"x" * 500)
    pages.set("page", b"x" * 500)

    pages.set("page", b"x" * 1_500)  # an older value under its key goes too

    assert pages.get("page") is None and pages.get("small") is not None
    assert pages.add("big", b"x" * 1_500) is False and pages.get("big") is None
    assert pages.add("other", b"x" * 500) is True
    assert pages.total_bytes < 1_200


def test_the_entry_bound_evicts_one_entry_at_a_time():
    pages = byte_bounded(max_entries=6)
    for n in range(7):
        pages.set(f"page-{n}", n)

    # Django's LocMemCache would have dropped a third of them.
    assert [pages.get(f"page-{n}") for n in range(7)] == [None, 1, 2, 3, 4, 5, 6]


def test_the_total_follows_deletions_expiry_and_clear():
    pages = byte_bounded()
    pages.set("kept", b"x" * 500)
    size = pages.total_bytes
    pages.set("deleted", b"x" * 500)
    pages.set("expired", b"x" * 500, timeout=-1)
    pages.delete("deleted")
    assert pages.get("expired") is None

    assert pages.total_bytes == size

    pages.clear()
    assert pages.total_bytes == 0 and pages.get("kept") is None


def test_pages_do_not_push_out_what_the_default_cache_holds(client, page_cache, settings):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {**settings.CACHES["pages"], "OPTIONS": {"MAX_ENTRIES": 2}},
    }
    cache.set("rl:a-rate-limit", 1)
    for slug in ("ara", "bio", "cea"):
        make_cluster(slug=slug, name_fr=slug.upper())
    for slug in ("ara", "bio", "cea"):
        client.get(url("guide:cluster-detail", slug=slug))

    assert cache.get("rl:a-rate-limit") == 1
    assert "X-Page-Cache" not in client.get(url("guide:cluster-detail", slug="ara"))
    assert client.get(url("guide:cluster-detail", slug="cea"))["X-Page-Cache"] == "hit"


# Addresses normalised before they become keys, where the answer cannot tell.


def query(text, page="guide:cluster-list"):
    return normalised_query(PAGES[page].params, QueryDict(text))


def test_the_directory_query_is_spelt_one_way():
    assert query("sector=b&utm_source=x&region=a&sector=a&q=&page=1&sort=") == (
        "region=a&sector=b&sector=a"  # sorted by name; a facet's values keep their order
    )
    assert query("sort=name") == query("sort=relevance") == ""  # no search: name order
    assert query("q=eau&sort=relevance") == "q=eau"
    assert query("q=eau&sort=name") == "q=eau&sort=name"
    assert query("sort=bogus") == "sort=bogus"  # an invalid sort changes the page: kept
    assert query("sector=inconnu") == "sector=inconnu"  # the page says it is unknown: kept


def test_a_repeated_single_parameter_counts_by_its_last_value_as_in_the_view():
    assert query("page=3&page=1") == ""
    assert query("page=1&page=3") == "page=3"
    assert query("q=eau&q=") == ""
    assert query("q=&q=eau") == "q=eau"


def test_the_calls_events_and_call_pages_know_their_own_parameters():
    assert query("page=2&status=open&x=1", "guide:call-list") == "status=open"
    assert query("year=2026&page=2", "guide:event-list") == "year=2026"
    # A call's eligible clusters go through the directory's filter, search included.
    assert query("q=eau&region=a&page=1", "guide:call-detail") == "q=eau&region=a"
    assert query("page=1", "guide:type-detail") == ""


def test_every_page_of_the_table_exists():
    for name in PAGES:
        for kwargs in (None, {"slug": "x"}, {"chart": "types"}):
            try:
                reverse(name, kwargs=kwargs)
                break
            except NoReverseMatch:
                continue
        else:
            pytest.fail(f"no URL named {name}")


def fresh(client, address):
    """What the view itself answers at ``address``, the page cache off."""
    with override_settings(PAGE_CACHE_SECONDS=0):
        return client.get(address)


def test_a_feed_is_cached_once_whatever_its_query(client, page_cache):
    make_call(slug="appel", title_fr="Appel à projets")
    feed = url("guide:calls-atom")
    first = client.get(feed)

    second = client.get(feed + "?utm_source=lettre&page=1")

    assert "X-Page-Cache" not in first and second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second.content == fresh(client, feed + "?utm_source=lettre&page=1").content


@pytest.mark.parametrize(
    ("address", "other"),
    [
        ("?page=1", ""),
        ("?utm_source=lettre&q=", ""),
        ("?sort=name", ""),
        ("?region=bretagne&sector=services", "?sector=services&region=bretagne"),
        ("?sector=services&page=1&sector=", "?sector=services"),
    ],
)
def test_trivially_different_directory_addresses_share_one_page(client, page_cache, address, other):
    make_cluster(
        slug="vitagora",
        name_fr="Vitagora",
        sectors=[make_sector(slug="services")],
        regions=[make_region(slug="bretagne")],
    )
    directory = url("guide:cluster-list")
    # The page prints only its normalised address (language links, canonical,
    # filter links): the same bytes whichever way the address was spelt.
    assert fresh(client, directory + address).content == fresh(client, directory + other).content
    client.get(directory + other)

    response = client.get(directory + address)

    assert response["X-Page-Cache"] == "hit"
    assert response.content == fresh(client, directory + address).content


@pytest.mark.parametrize(
    ("address", "other"),
    [("?sector=inconnu", ""), ("?sort=reviewed", ""), ("?page=2", ""), ("?q=vita", "?q=vit")],
)
def test_directory_addresses_whose_pages_differ_are_not_merged(client, page_cache, address, other):
    for n in range(25):
        make_cluster(slug=f"vitagora-{n}", name_fr=f"Vitagora {n}")
    directory = url("guide:cluster-list")
    client.get(directory + other)

    response = client.get(directory + address)

    assert "X-Page-Cache" not in response
    assert response.content != fresh(client, directory + other).content


def test_a_page_that_reads_no_parameter_prints_none(client):
    make_cluster(slug="vitagora", name_fr="Vitagora")

    page = client.get(url("guide:cluster-detail", slug="vitagora") + "?utm_source=lettre&x=<b>")

    assert b"utm_source" not in page.content
    assert page.content == client.get(url("guide:cluster-detail", slug="vitagora")).content


def test_an_edit_makes_every_cached_page_unreachable(client, page_cache):
    call = make_call(slug="appel", title_fr="Appel d’avant")
    make_cluster(slug="vitagora", name_fr="Vitagora")
    addresses = [
        url("guide:calls-atom") + "?utm_source=a",
        url("guide:calls-ics"),
        url("guide:call-list") + "?status=open",
        url("guide:cluster-list") + "?q=vitagora",
        url("guide:cluster-detail", slug="vitagora"),
    ]
    for address in addresses:
        client.get(address)
        assert client.get(address)["X-Page-Cache"] == "hit"

    call.title_fr = "Appel d’après"
    call.save()

    assert all("X-Page-Cache" not in client.get(a) for a in addresses)
    assert "Appel d’après" in client.get(url("guide:calls-atom") + "?utm_source=b").content.decode()


# Settings: the page cache's alias with and without Redis.


PRINT_CACHES = "import json, clusters_site.settings as s; print(json.dumps(s.CACHES))"


def cache_settings(**env):
    """settings.CACHES as a fresh interpreter loads it with ``env``."""
    environment = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DEBUG"}}
    environment.update(SECRET_KEY="x" * 50, **env)
    result = subprocess.run(
        [sys.executable, "-c", PRINT_CACHES],
        env=environment,
        capture_output=True,
        text=True,
        cwd=django_settings.BASE_DIR,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_with_redis_pages_expire_under_their_own_prefix_in_the_same_database():
    caches_set = cache_settings(REDIS_URL="redis://cache.internal:6379/0", PAGE_CACHE_SECONDS="300")

    pages = caches_set["pages"]
    assert pages["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    # The same database as the rest: restore_guide's cache.clear() empties both.
    assert pages["LOCATION"] == caches_set["default"]["LOCATION"]
    assert pages["KEY_PREFIX"] == "pages" and pages["TIMEOUT"] == 300


def test_without_redis_pages_are_bounded_in_bytes_in_a_store_of_their_own():
    caches_set = cache_settings(PAGE_CACHE_MAX_BYTES="1000000", PAGE_CACHE_MAX_ENTRIES="500")

    pages = caches_set["pages"]
    assert pages["BACKEND"] == "guide.page_cache_backend.ByteBoundedLocMemCache"
    assert pages["OPTIONS"] == {"MAX_BYTES": 1_000_000, "MAX_ENTRIES": 500}
    assert pages["LOCATION"] != caches_set["default"].get("LOCATION", "")


def test_a_malformed_page_cache_budget_stops_the_start():
    code, err = load_settings(SECRET_KEY="x" * 50, PAGE_CACHE_MAX_BYTES="32MB")

    assert code != 0 and "PAGE_CACHE_MAX_BYTES must be a whole number" in err


def test_a_browser_that_accepts_gzip_gets_the_stored_bytes_and_others_the_page(client, page_cache):
    import gzip

    make_cluster(name_fr="Pôle Mer Méditerranée")
    plain = client.get("/fr/clusters/").content  # a miss: built, then stored
    zipped = client.get("/fr/clusters/", headers={"accept-encoding": "gzip, br"})
    assert zipped["X-Page-Cache"] == "hit" and zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain
    assert "Accept-Encoding" in zipped["Vary"]
    again = client.get("/fr/clusters/")
    assert again["X-Page-Cache"] == "hit" and "Content-Encoding" not in again
    assert again.content == plain
