"""Restore a backup_guide archive: manage.py restore_guide FILE [--database-url URL] [--force].

Restores into the configured database, or the one --database-url names, which
must be empty (a new database: no need to run migrate first, the archive
brings the whole schema). --force replaces the contents of a database that is
not empty: pg_restore drops each object of the archive before creating it
again. Either way the restore is one transaction: if anything fails, the
database is left as it was. The archive's checksum (FILE.sha256) is checked
first when it is there. Afterwards the command runs ANALYZE, prints the row
count of the main tables, and says whether this release has migrations that
the restored database lacks. See the README's "Backups".
"""

import io
import time
from pathlib import Path

import dj_database_url
import psycopg
from django.apps import apps
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader

from ops import backup

# Apps whose tables are listed one by one after a restore; the others are summed.
MAIN_APPS = ("directory", "auth", "sessions")


class Command(BaseCommand):
    help = "Restore a backup_guide archive into an empty database (see the README)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The archive written by backup_guide.")
        parser.add_argument(
            "--database-url",
            help="postgres://user:password@host:port/name to restore into "
            "(default: the configured database).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the contents of a database that is not empty.",
        )

    def handle(self, *args, file, database_url=None, force=False, **options):
        if database_url:
            settings_dict = dj_database_url.parse(database_url)
            if settings_dict.get("ENGINE") != "django.db.backends.postgresql":
                raise CommandError("--database-url must point at PostgreSQL (postgres://...).")
        else:
            settings_dict = connections[DEFAULT_DB_ALIAS].settings_dict
        params = backup.connection_params(settings_dict)
        if not params.get("dbname"):
            raise CommandError("The target database has no name.")
        if options["verbosity"] < 1:
            self.stdout = OutputWrapper(io.StringIO())
        try:
            self.restore(Path(file), params, force)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        if not database_url:
            # Cached pages are keyed by the content version, which the restore
            # may have taken back to a number already used: forget them.
            cache.clear()
            self.stdout.write("Cleared the cache; restart the app servers.")

    def restore(self, path: Path, params: dict, force: bool):
        started = time.monotonic()
        if not path.is_file():
            raise backup.BackupError(f"No backup file {path}.")
        checked = backup.verify_checksum(path)
        if checked is False:
            raise backup.BackupError(
                f"{path.name} does not match its checksum ({backup.checksum_path(path).name}): "
                "the file is damaged or incomplete. Nothing was restored."
            )
        target = backup.describe(params)
        with backup.connect(params) as conn:
            pg_restore = backup.find_program("pg_restore", backup.server_major(conn))
            contents = backup.list_archive(pg_restore, path)
            existing = backup.existing_objects(conn)
            if existing and not force:
                found = ", ".join(f"{count} {kind}" for kind, count in existing.items())
                raise backup.BackupError(
                    f"The database {target} is not empty ({found}). Restore into an empty "
                    "database, or add --force to replace its contents with the backup's. "
                    "Nothing was restored."
                )
            try:
                backup.restore(pg_restore, path, params, conn, clean=bool(existing))
            except backup.BackupError as error:
                hint = (
                    " If objects that are not in the backup depend on its tables, restore "
                    "into a new, empty database instead."
                    if existing
                    else ""
                )
                raise backup.BackupError(
                    f"{error}\nNothing was restored: the restore is one transaction, and the "
                    f"database is as it was.{hint}"
                ) from None
            # The planner's statistics are not in the archive.
            backup.analyze(conn)
            counts = backup.row_counts(conn)
            applied = self.applied_migrations(conn)
        self.report(path, target, contents, counts, existing, checked, started)
        self.report_migrations(applied)
        leftover = sorted(set(counts) - contents.tables)
        if leftover:
            self.stderr.write(
                f"Left in place, not in the backup: {', '.join(leftover)}. Drop them, or "
                "restore into a new, empty database."
            )

    def report(self, path, target, contents, counts, existing, checked, started):
        created = contents.header.get("Archive created at", "at an unknown date")
        source = contents.header.get("dbname", "?")
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {path.name} (database {source}, {created}) into {target}"
                + (", replacing its contents" if existing else "")
                + f", in {time.monotonic() - started:.1f} s."
            )
        )
        if checked is None:
            self.stdout.write(f"No {backup.checksum_path(path).name} beside it: not checked.")
        else:
            self.stdout.write("Its checksum matched.")
        main = {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.app_label in MAIN_APPS
        }
        rows = {table.split(".", 1)[1]: count for table, count in counts.items()}
        width = max(map(len, rows), default=0)
        self.stdout.write("Rows per table:")
        for table in sorted(rows):
            if table in main:
                self.stdout.write(f"  {table:<{width}}  {rows[table]:>9,}")
        others = [count for table, count in rows.items() if table not in main]
        self.stdout.write(
            f"  and {sum(others):,} rows in {len(others)} other tables; "
            f"{sum(rows.values()):,} rows in {len(rows)} tables in all."
        )

    def applied_migrations(self, conn):
        try:
            return set(conn.execute("SELECT app, name FROM django_migrations").fetchall())
        except psycopg.errors.UndefinedTable:  # a backup of something else than the guide
            return None

    def report_migrations(self, applied):
        if applied is None:
            self.stderr.write("The restored database has no django_migrations table.")
            return
        known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
        missing, unknown = known - applied, applied - known
        if missing:
            self.stdout.write(
                f"This release has {len(missing)} migrations that the restored database "
                "lacks: run manage.py migrate."
            )
        else:
            self.stdout.write("The restored database is at this release's migrations.")
        if unknown:
            self.stderr.write(
                f"The backup has {len(unknown)} migrations this release does not know: "
                "it may come from a newer release."
            )
