"""Every page type is valid HTML (the Nu Html Checker) in both languages."""

import pytest

from tests.html_check import nu_errors

pytestmark = pytest.mark.django_db

PAGES = {
    "home": "/{lang}/",
    "directory": "/{lang}/clusters/",
    "directory-filtered": "/{lang}/clusters/?q=pole&type=pole-de-competitivite&region=bretagne",
    "directory-nothing": "/{lang}/clusters/?q=xqzvw",
    "directory-search": "/{lang}/clusters/?q=Brittany",
    "cluster": "/{lang}/clusters/cosmetic-valley/",
    "type": "/{lang}/types/ptce/",
    "calls": "/{lang}/calls/",
    "call": "/{lang}/calls/ptce-2015/",
    "events": "/{lang}/events/",
    "event": "/{lang}/events/world-innovation-cosmetic-cluster-summit-2016/",
    "figures": "/{lang}/figures/",
    "contacts": "/{lang}/contacts/",
    "accessibility": "/{lang}/accessibility/",
    "legal": "/{lang}/legal/",
    "privacy": "/{lang}/privacy/",
    "introduction": "/{lang}/introductions/new/?cluster=cosmetic-valley",
    "report": "/{lang}/clusters/cosmetic-valley/report/",
    "not-found": "/{lang}/nulle-part/",
}


def test_every_page_type_is_valid_html_in_both_languages(client, shipped_guide):
    documents = {}
    for name, path in PAGES.items():
        for language in ("fr", "en"):
            response = client.get(path.format(lang=language))
            assert response.status_code == (404 if name == "not-found" else 200), name
            documents[f"{name}-{language}"] = response.content.decode()
    errors = nu_errors(documents)
    assert {name: found for name, found in errors.items() if found} == {}
