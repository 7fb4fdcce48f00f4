"""Browser tests: the real app under gunicorn, on the test database, in Debian's Chromium.

The guide as shipped is loaded (committed) into the test database for the
browser tests, then removed, so that the other tests start from an empty
guide as usual.
"""

import io
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.helpers import STAFF

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make between browser steps are synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SERVER_SECRET_KEY = "browser-tests-only-" + "x" * 40  # signs the server's links


# Before pytest-django orders the tests (database tests first, then those that
# empty the database): the browser tests need the migrations' rows.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            # Asks pytest-django for the test database even when only these
            # tests run (live_url seeds it, then empties it).
            item.add_marker(pytest.mark.django_db)
            if not Path(CHROMIUM).exists():
                item.add_marker(pytest.mark.skip(reason="Debian's chromium is not installed"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url(settings_dict) -> str:
    user = quote(settings_dict["USER"] or "", safe="")
    password = quote(settings_dict["PASSWORD"] or "", safe="")
    host = quote(settings_dict["HOST"] or "", safe="")
    credentials = f"{user}:{password}@" if password else f"{user}@"
    return f"postgres://{credentials}{host}:{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"


def _wait_until_up(url: str, process, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped with code {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer on {url}")


def _remove_guide_data():
    from django.apps import apps
    from django.contrib.auth.models import User

    User.objects.filter(username=STAFF["username"]).delete()
    # What the served guide wrote besides: login records, sessions.
    for label in ("axes", "sessions", "inbox", "mailer"):
        for model in apps.get_app_config(label).get_models():
            model.objects.all().delete()
    models = apps.get_app_config("directory").get_models()
    # Dependents first: label rows, contacts, events, then the rest.
    order = ["labelling", "contact", "event", "officialfigure", "cluster", "callforproposals"]
    for name in order:
        apps.get_model("directory", name).objects.all().delete()
    for model in models:
        if model._meta.model_name != "contentversion":  # a row the migrations create
            model.objects.all().delete()


@pytest.fixture(scope="package")
def live_url(django_db_setup, django_db_blocker):
    """The guide, as shipped, served by gunicorn from the test database."""
    from django.contrib.auth.models import Group, User
    from django.db import connection, connections

    if not connection.settings_dict["NAME"].startswith("test_"):
        pytest.fail("The browser tests run on a test database only.")
    with django_db_blocker.unblock():
        call_command("seed_guide", stdout=io.StringIO())
        editor = User.objects.create_user(**STAFF, is_staff=True)
        editor.groups.add(Group.objects.get(name="Éditeurs / Editors"))
        database_url = _database_url(connection.settings_dict)
    static_root = tempfile.mkdtemp(prefix="guide-static-")
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "STATIC_ROOT": static_root,
        "SECRET_KEY": SERVER_SECRET_KEY,
        "DEBUG": "false",
        "HTTPS": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CONN_MAX_AGE": "0",
        # A person takes a few seconds over a form; the browser, one.
        "FORM_MIN_SECONDS": "1",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "clusters_site.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--no-control-socket",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base + "/fr/", process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
        shutil.rmtree(static_root, ignore_errors=True)
        with django_db_blocker.unblock():
            _remove_guide_data()
            connections.close_all()


@pytest.fixture(scope="package")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, locale="fr-FR", has_touch=True
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def db_access(django_db_blocker):
    """ORM access from a browser test (the data it reads is committed).

    Its connection is closed afterwards: one left open would stop the test
    database from being dropped at the end of the run.
    """
    from django.db import connections

    with django_db_blocker.unblock():
        yield
        connections.close_all()
