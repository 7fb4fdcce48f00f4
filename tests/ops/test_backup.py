"""Backups: backup_guide, then restore_guide into an empty database, gives back every row.

pg_dump and pg_restore connect on their own, so they only see committed data:
these tests run without the usual transaction, and the guide is committed into
the test database (as the browser tests do) and removed afterwards. The
restore goes into a second database on the same server, created empty for the
test and dropped after it. This works on the embedded server and on the
server DATABASE_URL names.
"""

import io
import re
from urllib.parse import quote, urlencode

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.db.backends.base.creation import TEST_DATABASE_PREFIX
from psycopg import sql

from directory.models import Cluster, Sector
from ops import backup

TRICKY = (
    "Ligne 1\nLigne 2\r\n\ttabulée \\N \\. \\\\ 'apostrophe' \"guillemets\" « chevrons » – ’ "
    "€ ½ ŒœÆæ ß İ ǅ 😀 e\u0301 (décomposé)\u200b\u00a0; DROP TABLE auth_user; --"
)
NAME_FR = "Pôle Écotechnologies « Œuvre » de l’Île-de-France"
NAME_EN = "Île-de-France “Eco-tech” cluster – naïve café's"
DESCRIPTION_EN = "English text: the region's clusters, 100 % of SMEs, résumé."
SECTOR_EN = "Social “and”\tsolidarity \\N \\. economy 😀"


def database_url(params: dict) -> str:
    """A postgres:// URL for the libpq parameters of a database on the test's server."""
    user = quote(params.get("user", ""), safe="")
    password = quote(params.get("password", ""), safe="")
    host = quote(params.get("host", ""), safe="")
    credentials = f"{user}:{password}@" if password else f"{user}@"
    port = f":{params['port']}" if "port" in params else ""
    base = {"dbname", "user", "password", "host", "port"}
    query = urlencode({k: v for k, v in params.items() if k not in base})
    return f"postgres://{credentials}{host}{port}/{quote(params['dbname'])}" + (
        f"?{query}" if query else ""
    )


def digests(params: dict) -> dict:
    """Per table of the public schema: row count and md5 of its sorted rows; and the schema."""
    with backup.connect(params) as conn:
        tables = {
            table: conn.execute(
                sql.SQL(
                    "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' "
                    "ORDER BY t::text COLLATE \"C\"), '')) FROM {} t"
                ).format(sql.Identifier(*table.split(".")))
            ).fetchone()
            for table in backup.user_tables(conn)
        }
        catalog = {
            name: conn.execute(query).fetchall()
            for name, query in {
                "extensions": "SELECT extname FROM pg_extension ORDER BY 1",
                "functions": """
                    SELECT p.proname, pg_get_functiondef(p.oid) FROM pg_proc p
                    WHERE p.pronamespace = 'public'::regnamespace AND NOT EXISTS (
                        SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
                    ORDER BY 1, 2""",
                "columns": """
                    SELECT table_name, column_name, data_type, is_nullable, column_default,
                           is_generated, generation_expression, is_identity
                    FROM information_schema.columns WHERE table_schema = 'public'
                    ORDER BY 1, 2""",
                "indexes": "SELECT indexname, indexdef FROM pg_indexes "
                "WHERE schemaname = 'public' ORDER BY 1",
                "constraints": "SELECT conrelid::regclass::text, conname, "
                "pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2",
                "triggers": "SELECT tgrelid::regclass::text, tgname, pg_get_triggerdef(oid) "
                "FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1, 2",
                "text search": "SELECT cfgname FROM pg_ts_config "
                "WHERE cfgnamespace = 'public'::regnamespace ORDER BY 1",
                "sequences": "SELECT sequencename, last_value FROM pg_sequences "
                "WHERE schemaname = 'public' ORDER BY 1",
            }.items()
        }
    return {"tables": tables, **catalog}


@pytest.fixture
def db(django_db_setup, django_db_blocker):
    """The test database, without the usual transaction around each test.

    pg_dump and pg_restore only see committed rows. Named ``db`` so that
    pytest-django sets the test database up for these tests too.
    """
    with django_db_blocker.unblock():
        name = connection.settings_dict["NAME"]
        assert name.startswith(TEST_DATABASE_PREFIX), f"{name} is not a test database"
        yield
        connections.close_all()


@pytest.fixture
def source(db):
    """The connection parameters of the test database."""
    return backup.connection_params(connection.settings_dict)


@pytest.fixture
def empty_database(source):
    """A new, empty database beside the test database; dropped afterwards."""
    params = {**source, "dbname": source["dbname"] + "_restore"}
    name = sql.Identifier(params["dbname"])
    with backup.connect(source) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(name))
    try:
        yield params
    finally:
        with backup.connect(source) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


@pytest.fixture
def committed_guide(source):
    """The shipped guide, edited in both languages and committed, with staff and a session."""
    try:
        call_command("seed_guide", stdout=io.StringIO())
        cluster = Cluster.objects.get(slug="minalogic")
        cluster.name_fr, cluster.name_en = NAME_FR, NAME_EN
        cluster.description_fr, cluster.description_en = TRICKY, DESCRIPTION_EN
        cluster.save()
        Sector.objects.create(
            slug="sauvegarde-essai", name_fr="Économie « sociale » et solidaire", name_en=SECTOR_EN
        )
        user = User.objects.create_user(
            "hélène-sauvegarde", "helene@example.org", "mot de passe à garder", is_staff=True
        )
        user.first_name, user.last_name = "Hélène", "Ørsted-Ÿvon"
        user.save()
        user.groups.add(Group.objects.get(name="Éditeurs / Editors"))
        session = SessionStore()
        session.update({"_auth_user_id": str(user.pk), "note": TRICKY})
        session.save()
        yield
    finally:
        User.objects.filter(username="hélène-sauvegarde").delete()
        SessionStore.get_model_class().objects.all().delete()
        # The guide's tables, but for the content version, emptied at once (with the
        # inbox's, which refer to them).
        tables = [
            model._meta.db_table
            for label in ("directory", "inbox")
            for model in apps.get_app_config(label).get_models(include_auto_created=True)
            if model._meta.model_name != "contentversion" and not model._meta.proxy
        ]
        with connection.cursor() as cursor:
            cursor.execute(
                sql.SQL("TRUNCATE {}").format(sql.SQL(", ").join(map(sql.Identifier, tables)))
            )


def test_a_backup_restores_into_an_empty_database_with_every_row_and_both_languages(
    committed_guide, source, empty_database, tmp_path
):
    out = io.StringIO()
    call_command("backup_guide", output=tmp_path, stdout=out)
    (archive,) = tmp_path.glob("guide-*.dump")
    assert backup.verify_checksum(archive) is True

    out = io.StringIO()
    call_command("restore_guide", archive, database_url=database_url(empty_database), stdout=out)

    report = out.getvalue()
    assert f"into {empty_database['dbname']}" in report
    assert "Its checksum matched." in report
    assert re.search(rf"directory_cluster +{Cluster.objects.count():,}\n", report)
    assert "at this release's migrations" in report
    before, after = digests(source), digests(empty_database)
    assert after["tables"] == before["tables"]
    for part in before:  # extensions, functions, generated columns, indexes, sequences...
        assert after[part] == before[part], part
    assert {"unaccent", "pg_trgm"} <= {name for (name,) in after["extensions"]}

    with backup.connect(empty_database) as conn:
        assert conn.execute(
            "SELECT name_fr, name_en, description_fr, description_en "
            "FROM directory_cluster WHERE slug = 'minalogic'"
        ).fetchone() == (NAME_FR, NAME_EN, TRICKY, DESCRIPTION_EN)
        assert conn.execute(
            "SELECT name_fr, name_en FROM directory_sector WHERE slug = 'sauvegarde-essai'"
        ).fetchone() == ("Économie « sociale » et solidaire", SECTOR_EN)
        assert (
            conn.execute("SELECT count(*) FROM directory_cluster WHERE name_en <> ''").fetchone()[0]
            == Cluster.objects.exclude(name_en="").count()
        )
        assert conn.execute(
            "SELECT u.last_name, g.name FROM auth_user u JOIN auth_user_groups ug "
            "ON ug.user_id = u.id JOIN auth_group g ON g.id = ug.group_id "
            "WHERE u.username = 'hélène-sauvegarde'"
        ).fetchone() == ("Ørsted-Ÿvon", "Éditeurs / Editors")
        assert conn.execute("SELECT count(*) FROM django_session").fetchone()[0] == 1

        # The sequences go on: a new cluster takes a new id, and its generated
        # columns are computed by the restored function and configurations.
        columns = [
            name
            for (name,) in conn.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = 'public' AND table_name = 'directory_cluster' "
                "AND is_generated = 'NEVER' AND column_name NOT IN ('id', 'slug', 'name_fr')"
            )
        ]
        copied = sql.SQL(", ").join(map(sql.Identifier, columns))
        new_id, sort_name, found = conn.execute(
            sql.SQL(
                "INSERT INTO directory_cluster (slug, name_fr, {0}) "
                "SELECT 'apres-restauration', 'Nouveau Pôle après « restauration »', {0} "
                "FROM directory_cluster WHERE slug = 'minalogic' "
                "RETURNING id, sort_name_fr, search_vector @@ plainto_tsquery("
                "'public.simple_unaccent', 'pole apres restauration')"
            ).format(copied)
        ).fetchone()
        assert new_id > Cluster.objects.order_by("-pk").values_list("pk", flat=True)[0]
        assert sort_name.startswith("nouveau pole apres ")
        assert found
        conn.execute("INSERT INTO auth_group (name) VALUES ('Nouveau groupe')")


def test_restore_refuses_a_database_that_is_not_empty_unless_forced(
    source, empty_database, tmp_path
):
    archive = tmp_path / "guide.dump"
    call_command("backup_guide", output=archive, stdout=io.StringIO())
    target = database_url(empty_database)
    call_command("restore_guide", archive, database_url=target, stdout=io.StringIO())
    with backup.connect(empty_database) as conn:
        conn.execute("INSERT INTO auth_group (name) VALUES ('Ajouté après la restauration')")
    changed = digests(empty_database)

    for url in (target, None):  # the new database, then the configured one
        with pytest.raises(CommandError, match=r"is not empty .*--force.*Nothing was restored"):
            call_command("restore_guide", archive, database_url=url, stdout=io.StringIO())
    assert digests(empty_database) == changed

    out = io.StringIO()
    call_command("restore_guide", archive, database_url=target, force=True, stdout=out)
    assert "replacing its contents" in out.getvalue()
    assert digests(empty_database) == digests(source)


def test_a_damaged_backup_is_refused_before_anything_is_restored(source, tmp_path):
    archive = tmp_path / "guide.dump"
    call_command("backup_guide", output=archive, stdout=io.StringIO())
    damaged = bytearray(archive.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    archive.write_bytes(damaged)
    before = digests(source)

    # Checked before connecting: into the test database itself, even forced.
    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("restore_guide", archive, force=True, stdout=io.StringIO())
    assert digests(source) == before


def test_backups_go_to_the_git_ignored_data_folder_readable_by_their_owner_only(
    source, tmp_path, settings
):
    ignored = (settings.BASE_DIR / ".gitignore").read_text().splitlines()
    assert "/.data/" in ignored
    settings.BASE_DIR = tmp_path

    out = io.StringIO()
    call_command("backup_guide", stdout=out)

    (archive,) = (tmp_path / ".data" / "backups").glob(f"guide-{source['dbname']}-*Z.dump")
    assert str(archive) in out.getvalue()
    assert archive.stat().st_mode & 0o777 == 0o600
    digest, name = backup.checksum_path(archive).read_text().split()
    assert (digest, name) == (backup.sha256(archive), archive.name)
