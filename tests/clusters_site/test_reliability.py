"""A database that goes away gives a clean 503 page, and the guide recovers by itself."""

import contextlib

import pytest
from django.db import connection
from django.test import Client

from tests.factories import make_cluster

# Real connections are closed and reopened: no test transaction around them. The
# rows the migrations create (the editors group) are put back afterwards.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@contextlib.contextmanager
def database_down():
    """Point the connection at a port where no database listens, then put it back."""
    settings_dict = connection.settings_dict
    saved = settings_dict["HOST"], settings_dict["PORT"]
    connection.close()
    settings_dict["HOST"], settings_dict["PORT"] = "127.0.0.1", "9"  # discard: refused
    try:
        yield
    finally:
        # The open connection stays as it is: the next request's health check
        # finds it unusable and connects again, as after a database restart.
        settings_dict["HOST"], settings_dict["PORT"] = saved


def get(path):
    return Client(raise_request_exception=False).get(path)


def test_pages_answer_503_with_retry_after_while_the_database_is_down():
    with database_down():
        for path in ("/fr/", "/en/clusters/", "/fr/clusters/some-cluster/", "/fr/calls/"):
            response = get(path)

            assert response.status_code == 503, path
            assert response["Retry-After"] == "30"
            html = response.content.decode()
            assert "Le guide revient dans un instant" in html
            assert "The guide will be back in a moment" in html
            assert "Traceback" not in html


def test_the_guide_recovers_by_itself_when_the_database_returns():
    cluster = make_cluster(name_fr="Pôle Mer Bretagne Atlantique")
    with database_down():
        assert get(cluster.get_absolute_url()).status_code == 503

    response = get(cluster.get_absolute_url())

    assert response.status_code == 200
    assert "Pôle Mer Bretagne Atlantique" in response.content.decode()


def test_other_server_errors_stay_500(settings):
    settings.ROOT_URLCONF = "tests.clusters_site.urls_failing"

    response = get("/boom/")

    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "Une erreur s’est produite" in response.content.decode()
