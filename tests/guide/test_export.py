"""Open-data export of the directory (CSV, JSON), the health check, the replica router."""

import csv
import io
import json

import pytest
from django.utils import timezone

from clusters_site import db_router
from tests.factories import make_cluster, make_region, make_sector, make_type
from tests.helpers import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def clusters(db):
    poles = make_type(slug="pole-de-competitivite", level="national")
    bretagne, aura = make_region(slug="bretagne"), make_region(slug="auvergne-rhone-alpes")
    services = make_sector(slug="services")
    make_cluster(
        slug="b-cluster",
        name_fr="Bêta",
        cluster_type=poles,
        regions=[bretagne],
        sectors=[services],
        description_fr="Texte.",
        description_en="Text.",
    )
    make_cluster(slug="a-cluster", name_fr="Alpha", cluster_type=poles, regions=[aura, bretagne])
    make_cluster(slug="hidden", name_fr="Caché", is_published=False, regions=[bretagne])


def test_the_csv_export_has_both_languages_and_follows_the_filters(client, clusters):
    response = client.get(url("guide:export-csv"), {"region": "bretagne"})

    assert response.streaming
    assert response["Content-Disposition"] == 'attachment; filename="clusters-fr.csv"'
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    assert [r["slug"] for r in rows] == ["a-cluster", "b-cluster"]  # alphabetical, published only
    assert rows[0]["regions"] == "auvergne-rhone-alpes|bretagne"
    assert rows[1]["description_fr"] == "Texte." and rows[1]["description_en"] == "Text."
    assert rows[1]["type"] == "pole-de-competitivite" and rows[1]["level"] == "national"
    assert rows[1]["url"] == "http://testserver/fr/clusters/b-cluster/"


def test_the_json_export_is_a_list_of_clusters(client, clusters):
    response = client.get(url("guide:export-json", "en"), {"sector": "services"})
    data = json.loads(b"".join(response.streaming_content))

    assert data == [
        {
            "slug": "b-cluster",
            "name_fr": "Bêta",
            "name_en": "",
            "acronym": "",
            "type": "pole-de-competitivite",
            "level": "national",
            "label_status": "none",
            "sectors": ["services"],
            "regions": ["bretagne"],
            "city": "",
            "website": "",
            "description_fr": "Texte.",
            "description_en": "Text.",
            "verification": "unverified",
            "last_reviewed": "",
            "url": "http://testserver/en/clusters/b-cluster/",
        }
    ]


def test_both_exports_give_the_label_status_of_today(client, clusters):
    from directory.models import Cluster, Labelling

    year = timezone.localdate().year
    beta = Cluster.objects.get(slug="b-cluster")
    Labelling.objects.create(cluster=beta, phase_fr="Label", year=year - 1, until_year=year + 1)
    alpha = Cluster.objects.get(slug="a-cluster")
    Labelling.objects.create(cluster=alpha, phase_fr="Ancien label", year=2010, until_year=2013)

    response = client.get(url("guide:export-csv"), {"region": "bretagne"})
    rows = csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    data = json.loads(b"".join(client.get(url("guide:export-json")).streaming_content))

    assert {r["slug"]: r["label_status"] for r in rows} == {
        "a-cluster": "ended",
        "b-cluster": "labelled",
    }
    assert {r["slug"]: r["label_status"] for r in data} == {
        "a-cluster": "ended",
        "b-cluster": "labelled",
    }


def test_the_directory_links_to_the_export_of_its_results(client, clusters):
    html = client.get(url("guide:cluster-list"), {"region": "bretagne"}).content.decode()

    assert 'href="/fr/clusters/export.csv?region=bretagne"' in html
    assert 'href="/fr/clusters/export.json?region=bretagne"' in html


def test_an_empty_export_is_still_valid(client, clusters):
    response = client.get(url("guide:export-json"), {"q": "zzzzzz"})
    assert json.loads(b"".join(response.streaming_content)) == []


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok\n"


def test_public_reads_go_to_the_replica_when_there_is_one(monkeypatch):
    router = db_router.ReplicaRouter()
    monkeypatch.setattr(db_router, "has_replica", lambda: True)

    assert router.db_for_read(None) == "default"
    token = db_router._public_read.set(True)
    try:
        assert router.db_for_read(None) == "replica"
        assert router.db_for_write(None) == "default"
    finally:
        db_router._public_read.reset(token)
    assert router.allow_migrate("replica", "directory") is False
