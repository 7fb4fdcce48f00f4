"""Contacts' emails and phones reach the public only when the person agreed."""

import pytest

from tests.factories import make_cluster, make_contact, make_organisation, make_type

pytestmark = pytest.mark.django_db

PRIVATE_EMAIL = "ne-pas-publier@example.org"
PRIVATE_PHONE = "+33 5 99 00 11 22"


@pytest.fixture
def contacts():
    cluster_type = make_type(slug="grappe-d-entreprises")
    cluster = make_cluster(slug="grappe-test", name_fr="Grappe test", cluster_type=cluster_type)
    organisation = make_organisation(name_fr="Chambre test")
    for place in ({"cluster": cluster}, {"organisation": organisation}):
        make_contact(
            first_name="Anne",
            last_name="Privée",
            email=PRIVATE_EMAIL,
            phone=PRIVATE_PHONE,
            is_public=False,
            **place,
        )
    make_contact(
        cluster=cluster,
        first_name="Paul",
        last_name="Public",
        email="paul.public@example.org",
        phone="+508 41 00 00",
        is_public=True,
    )
    return cluster


def public_paths(cluster):
    for language in ("fr", "en"):
        yield f"/{language}/"
        yield f"/{language}/clusters/"
        yield f"/{language}/clusters/{cluster.slug}/"
        yield f"/{language}/clusters/export.csv"
        yield f"/{language}/clusters/export.json"
        yield f"/{language}/types/{cluster.cluster_type.slug}/"
        yield f"/{language}/contacts/"
    yield "/sitemap.xml"


def test_private_details_appear_on_no_public_page_or_export(client, contacts):
    for path in public_paths(contacts):
        response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content

        assert response.status_code == 200, path
        text = body.decode()
        assert PRIVATE_EMAIL not in text, path
        assert PRIVATE_PHONE not in text and PRIVATE_PHONE.replace(" ", "") not in text, path


def test_the_person_is_named_and_public_details_are_shown(client, contacts):
    html = client.get(f"/fr/clusters/{contacts.slug}/").content.decode()

    assert "Anne Privée" in html
    assert "paul.public@example.org" in html and 'href="tel:+508410000"' in html
