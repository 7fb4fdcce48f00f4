import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation

from tests.helpers import make_editor


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # Tests render templates without running collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A request leaves its language active in the thread: start each test in
    # the site's default language.
    translation.activate(settings.LANGUAGE_CODE)
    # Cached facet values must not outlive the test data they describe, and
    # pages are not cached unless a test says so.
    cache.clear()
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def editor(client, db):
    """An editor (staff, in the Editors group), logged in on ``client``."""
    user = make_editor()
    client.force_login(user)
    return user


@pytest.fixture
def shipped_guide(db):
    """The guide as shipped in fixtures/."""
    call_command("seed_guide", stdout=io.StringIO())
