"""Every page type is valid HTML (the Nu Html Checker) in both languages."""

import pytest

from tests.helpers import PAGE_TYPES
from tests.html_check import nu_errors

pytestmark = pytest.mark.django_db

PAGES = {
    **PAGE_TYPES,
    # and the search's own states: a region named, nothing found
    "directory-search": "/{lang}/clusters/?q=Brittany",
    "directory-nothing": "/{lang}/clusters/?q=xqzvw",
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
