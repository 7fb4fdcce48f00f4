"""The OpenAPI document: valid, and true of every operation (Schemathesis).

Schemathesis reads the document the guide serves, generates requests for every
operation from it (valid parameters and hostile ones), sends them to the guide
in-process (WSGI, on the test database with the guide as shipped), and checks
each answer: never a server error, and status, content type, headers and body
as the document says. A fixed seed (derandomize): CI does not flake.
"""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from openapi_spec_validator import validate
from schemathesis import GenerationMode
from schemathesis.specs.openapi import checks

pytestmark = pytest.mark.django_db


def test_the_document_is_valid_openapi_3(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    document = json.loads(response.content)
    validate(document)  # raises on any error
    assert document == _document()  # what Schemathesis tests below
    assert document["openapi"].startswith("3.")
    paths = set(document["paths"])
    for collection in ("clusters", "types", "sectors", "regions", "calls", "events"):
        assert f"/api/v1/{collection}/" in paths
        assert f"/api/v1/{collection}/{{slug}}/" in paths
    assert "/api/v1/organisations/" in paths
    assert "/api/v1/docs/" not in paths  # the documentation is not an operation


def test_the_documentation_page_needs_nothing_from_elsewhere(client):
    response = client.get("/api/v1/docs/", HTTP_ACCEPT_LANGUAGE="fr")
    html = response.content.decode()

    assert response.status_code == 200
    assert "<style" not in html and "<script>" not in html  # the CSP allows neither
    assert "https://" not in html.split("<noscript>")[0]  # no CDN: the guide's own files
    assert 'lang="fr"' in html and "/api/v1/openapi.json" in html
    script = client.get("/api/v1/docs/", {"script": ""})
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


def _document() -> dict:
    """The document as the guide serves it (drf-spectacular's generator), made when the
    tests are collected: Schemathesis makes one test per operation from it."""
    return json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True)))


schema = schemathesis.openapi.from_dict(_document())
OPERATIONS = {
    f"{operation.method.upper()} {operation.path}": operation
    for operation in (result.ok() for result in schema.get_all_operations())
}
# Hostile requests (values the document excludes) for the operations that take query
# parameters (Schemathesis cannot make a hostile slug that is still a path).
CASES = [(name, GenerationMode.POSITIVE) for name in OPERATIONS] + [
    (name, GenerationMode.NEGATIVE) for name, operation in OPERATIONS.items() if operation.query
]
# Every check but one: a filter value the document allows (any string) but the guide
# does not know (a sector slug nobody made) is refused with 400 on purpose. The slugs
# are content, which staff add to; the document does not list them.
LENIENT = [checks.positive_data_acceptance]
app = get_wsgi_application()


@pytest.fixture
def connection_kept():
    """The WSGI handler closes the database connection after each request; the test's
    transaction lives on it (Django's test client keeps it open the same way)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Schemathesis's own pytest integration (schema.parametrize) trips over this pytest's
# fixture machinery; its strategies run here under Hypothesis's given() instead.
@pytest.mark.parametrize(("name", "mode"), CASES)
def test_every_operation_answers_as_its_document_says(
    name, mode, shipped_guide, settings, connection_kept
):
    settings.API_RATE = "100000/min"  # the rate limit has its own test

    @given(case=OPERATIONS[name].as_strategy(generation_mode=mode))
    @hypothesis_settings(
        max_examples=25,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def answers_as_documented(case):
        case.call_and_validate(
            app=app,
            headers={"Host": "testserver", "Accept-Encoding": "identity"},
            excluded_checks=LENIENT,
        )

    answers_as_documented()
