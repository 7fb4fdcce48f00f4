import io

import pytest
from django.apps import apps
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import translation

from directory import content_version
from directory.models import ContentVersion
from tests.helpers import make_editor
from tests.mailbox import Mailbox, free_port


@pytest.hookimpl(optionalhook=True)  # without pytest-xdist, never called
def pytest_xdist_make_scheduler(config, log):
    """With several test processes (bin/test): the browser tests all go to one of
    them, so one gunicorn and one Chromium serve them; the other tests go one by one.

    (xdist's own --dist loadgroup does not group under pytest 9.2: its marks
    rename node ids, which pytest no longer lets a plugin do.)
    """
    from xdist.scheduler import LoadScopeScheduling

    class BrowserTestsTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            return "tests/e2e" if nodeid.startswith("tests/e2e/") else nodeid

    return BrowserTestsTogether(config, log)


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
    for alias in settings.CACHES:
        caches[alias].clear()
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def editor(client, db):
    """An editor (staff, in the Editors group), logged in on ``client``."""
    user = make_editor()
    client.force_login(user)
    return user


def _guide_tables():
    """The models whose rows seed_guide writes, link tables included."""
    return [
        model
        for model in apps.get_app_config("directory").get_models(include_auto_created=True)
        if model is not ContentVersion and not model._meta.proxy
    ]


def _stored_columns(model) -> list[str]:
    """The columns a row is written with (PostgreSQL computes the generated ones)."""
    return [
        connection.ops.quote_name(field.column)
        for field in model._meta.concrete_fields
        if not field.generated
    ]


@pytest.fixture(scope="session")
def _shipped_guide_rows(django_db_setup, django_db_blocker):
    """The rows ``seed_guide`` writes, copied out once per test run (then rolled back)."""
    rows = {}
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_guide", stdout=io.StringIO())
        with connection.cursor() as cursor:
            for model in _guide_tables():
                columns = ", ".join(_stored_columns(model))
                table = connection.ops.quote_name(model._meta.db_table)
                with cursor.cursor.copy(f"COPY {table} ({columns}) TO STDOUT") as copy:
                    data = b"".join(bytes(block) for block in copy)
                if data:
                    rows[model] = (table, columns, data)
        transaction.set_rollback(True)
    return rows


@pytest.fixture
def shipped_guide(db, _shipped_guide_rows):
    """The guide as shipped in fixtures/: the rows ``seed_guide`` writes, copied in.

    Seeding once per run and copying its rows into each test is what seed_guide
    would leave, at a fraction of the cost (tests/directory/test_fixtures.py
    runs the command itself).
    """
    with connection.cursor() as cursor:
        for table, columns, data in _shipped_guide_rows.values():
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                copy.write(data)
        for sql in connection.ops.sequence_reset_sql(no_style(), list(_shipped_guide_rows)):
            cursor.execute(sql)
    content_version.bump()  # as the seed's saves would


@pytest.fixture
def smtp(settings):
    """A running SMTP server; the queue's worker sends to it. ``smtp.stop()`` takes it down."""
    mailbox = Mailbox(port=free_port())
    mailbox.start()
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"  # pytest-django sets locmem
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = mailbox.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield mailbox
    mailbox.stop()
