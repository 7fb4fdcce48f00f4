"""Back the whole guide up: manage.py backup_guide [--output FILE_OR_FOLDER].

Writes one pg_dump archive (custom format, without owners or privileges) of
the configured database, by default to .data/backups/ (git-ignored) under a
timestamped name, readable by its owner only. The archive is then checked:
``pg_restore --list`` must read it and find every table of the database in it.
A sha256 checksum goes beside it (FILE.sha256, as sha256sum writes it), which
restore_guide checks. pg_dump reads one consistent snapshot: the site can stay
up while it runs. See the README's "Backups".
"""

import time
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from ops import backup


def default_folder() -> Path:
    return Path(settings.BASE_DIR) / ".data" / "backups"


class Command(BaseCommand):
    help = "Back the whole guide's database up into one pg_dump archive (see the README)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="File to write, or an existing folder to put a timestamped file in "
            "(default: .data/backups/).",
        )

    def handle(self, *args, output=None, **options):
        params = backup.connection_params(connections[DEFAULT_DB_ALIAS].settings_dict)
        try:
            lines = self.back_up(params, output)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS(lines[0]))
            self.stdout.write("\n".join(lines[1:]))

    def back_up(self, params, output):
        started = time.monotonic()
        path = self.target(params, output)
        with backup.connect(params) as conn:
            major = backup.server_major(conn)
            version = conn.info.parameter_status("server_version")
            pg_dump = backup.find_program("pg_dump", major)
            pg_restore = backup.find_program("pg_restore", pg_dump.major)
            partial = path.with_name(path.name + ".partial")
            try:
                backup.run(
                    pg_dump,
                    [
                        "--format=custom",
                        "--no-owner",
                        "--no-privileges",
                        "--no-password",
                        "--file",
                        partial,
                    ],
                    params,
                )
                contents = backup.list_archive(pg_restore, partial)
                missing = set(backup.user_tables(conn)) - contents.tables
                if missing:
                    raise backup.BackupError(
                        f"The archive lacks the rows of {', '.join(sorted(missing))}."
                    )
                partial.chmod(0o600)
                partial.replace(path)
            finally:
                partial.unlink(missing_ok=True)
        digest = backup.write_checksum(path)
        size = path.stat().st_size
        return [
            f"Backed up {backup.describe(params)} (PostgreSQL {version}) to:",
            f"  {path}",
            f"  {size / 1e6:.1f} MB, {len(contents.tables)} tables, read back with "
            f"pg_restore --list, in {time.monotonic() - started:.1f} s (pg_dump {pg_dump.major})",
            f"  sha256 {digest} (in {backup.checksum_path(path).name})",
        ]

    def target(self, params, output) -> Path:
        name = "guide-{}-{:%Y%m%dT%H%M%SZ}.dump".format(
            params.get("dbname", "db"), datetime.now(UTC)
        )
        if output is None:
            folder = default_folder()
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            path = folder / name
        else:
            path = Path(output)
            if path.is_dir():
                path = path / name
        if not path.parent.is_dir():
            raise CommandError(f"No folder {path.parent} to write the backup in.")
        if path.exists():
            raise CommandError(f"{path} exists already: give another --output.")
        return path
