"""Settings come from the environment and refuse unsafe or malformed values."""

import os
import subprocess
import sys

import pytest
from django.conf import settings


def load_settings(**env):
    """Import the settings in a fresh interpreter with ``env``; return (exit code, stderr)."""
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    environment.update(env)
    result = subprocess.run(
        [sys.executable, "-c", "import clusters_site.settings"],
        env=environment,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=60,
    )
    return result.returncode, result.stderr


def test_the_site_refuses_to_start_without_a_secret_key_in_production():
    code, err = load_settings()
    assert code != 0 and "SECRET_KEY is not set" in err


def test_a_malformed_boolean_is_refused_by_name():
    code, err = load_settings(SECRET_KEY="x" * 50, DEBUG="maybe")
    assert code != 0 and "DEBUG must be true or false" in err


def test_a_wildcard_host_is_refused_outside_debug():
    code, err = load_settings(SECRET_KEY="x" * 50, ALLOWED_HOSTS="*")
    assert code != 0 and "ALLOWED_HOSTS may not contain '*'" in err


def test_a_non_postgresql_database_url_is_refused():
    code, err = load_settings(SECRET_KEY="x" * 50, DATABASE_URL="sqlite:///guide.db")
    assert code != 0 and "DATABASE_URL must point at PostgreSQL" in err


def test_debug_is_off_and_hosts_are_local_by_default():
    code, _ = load_settings(SECRET_KEY="x" * 50)
    assert code == 0
    assert settings.DEBUG is False
    assert "*" not in settings.ALLOWED_HOSTS


@pytest.mark.django_db
def test_the_database_has_the_search_extensions(django_db_blocker):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension")
        extensions = {row[0] for row in cursor.fetchall()}
    assert {"unaccent", "pg_trgm"} <= extensions
