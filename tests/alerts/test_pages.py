"""The alerts' pages: valid HTML in both languages (the Nu Html Checker), and few queries."""

import pytest
from django.test import Client
from django.utils import timezone

from alerts.models import Subscription
from tests.factories import make_region
from tests.helpers import form_shown, url
from tests.html_check import nu_errors

pytestmark = pytest.mark.django_db


def test_the_alerts_pages_are_valid_html_in_both_languages(settings):
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"
    make_region(slug="bretagne", name_fr="Bretagne", name_en="Brittany")
    documents = {}
    for language in ("fr", "en"):
        client = Client()
        subscribe = url("alerts:subscribe", language)
        documents[f"subscribe-{language}"] = client.get(
            subscribe, {"target": "clusters", "query": "region=bretagne&q=mer"}
        )
        documents[f"subscribe-errors-{language}"] = client.post(
            subscribe, {"email": "not an address", "target": "calls", "shown": form_shown()}
        )
        documents[f"sent-{language}"] = client.get(url("alerts:subscribe-sent", language))
        pending = Subscription.objects.create(
            email=f"pending-{language}@example.ca",
            target="events",
            language=language,
            consent_page=f"/{language}/events/",
        )
        documents[f"confirm-{language}"] = client.get(
            url("alerts:confirm", language, token=pending.confirm_token())
        )
        confirmed = Subscription.objects.create(
            email=f"confirmed-{language}@example.ca",
            target="clusters",
            query="region=bretagne",
            language=language,
            consent_page=f"/{language}/clusters/?region=bretagne",
            confirmed_at=timezone.now(),
        )
        documents[f"manage-{language}"] = client.get(confirmed.get_absolute_url())
        documents[f"unsubscribe-{language}"] = client.get(
            url("alerts:unsubscribe", language, token=confirmed.manage_token())
        )
        documents[f"unsubscribed-{language}"] = client.get(url("alerts:unsubscribed", language))
        documents[f"invalid-{language}"] = client.get(url("alerts:manage", language, token="x"))
    for name, response in documents.items():
        assert response.status_code == (404 if name.startswith("invalid") else 200), name
    errors = nu_errors({name: r.content.decode() for name, r in documents.items()})
    assert errors == {name: [] for name in documents}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_subscribe_page_takes_a_constant_number_of_queries(
    client, django_assert_max_num_queries, language
):
    make_region(slug="bretagne")
    with django_assert_max_num_queries(6):
        response = client.get(
            url("alerts:subscribe", language), {"target": "clusters", "query": "region=bretagne"}
        )
    assert response.status_code == 200
