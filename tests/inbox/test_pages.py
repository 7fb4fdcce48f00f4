"""The inbox's public pages: valid HTML in both languages, and few queries."""

import re

import pytest
from django.test import Client

from tests.factories import make_cluster, make_region, make_sector
from tests.helpers import introduction_data, report_data, url
from tests.html_check import nu_errors

pytestmark = pytest.mark.django_db


def test_the_new_pages_are_valid_html_in_both_languages(settings):
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"
    make_sector(), make_region()
    cluster = make_cluster()
    documents = {}
    for language in ("fr", "en"):
        client = Client()
        form = url("inbox:introduction-new", language)
        report = url("inbox:report-cluster", language, slug=cluster.slug)
        documents[f"introduction-{language}"] = client.get(f"{form}?cluster={cluster.slug}")
        documents[f"introduction-errors-{language}"] = client.post(
            form, introduction_data(name="", consent=None, clusters=[cluster.slug])
        )
        sent = client.post(form, introduction_data())
        documents[f"introduction-sent-{language}"] = client.get(sent["Location"])
        documents[f"report-{language}"] = client.get(report)
        documents[f"report-errors-{language}"] = client.post(report, report_data(kind=""))
        sent = client.post(report, report_data())
        documents[f"report-sent-{language}"] = client.get(sent["Location"])
    for name, response in documents.items():
        assert response.status_code == 200, name
    errors = nu_errors({name: r.content.decode() for name, r in documents.items()})
    assert errors == {name: [] for name in documents}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_forms_take_a_constant_number_of_queries(client, django_assert_num_queries, language):
    clusters = [make_cluster() for _ in range(3)]
    for _ in range(5):
        make_sector(), make_region()
    slugs = "&".join(f"cluster={c.slug}" for c in clusters)
    # The clusters named, then every sector and every region.
    with django_assert_num_queries(3):
        response = client.get(f"{url('inbox:introduction-new', language)}?{slugs}&sector=x")
    assert len(re.findall(r'name="clusters"', response.content.decode())) == 3
    # The entry, then nothing else.
    with django_assert_num_queries(1):
        client.get(url("inbox:report-cluster", language, slug=clusters[0].slug))
