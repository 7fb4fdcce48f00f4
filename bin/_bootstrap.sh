# Shared by bin/serve, bin/test and bin/check: a virtual environment with the
# pinned dependencies, and local defaults for the settings. Sourced, not run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "The guide needs Python 3.11 or newer (set PYTHON=/path/to/python3.11)." >&2
    exit 1
fi

VENV=.venv
stamp="$VENV/.installed-$(cat pyproject.toml constraints.txt | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
    echo "Installing the pinned dependencies into $VENV ..."
    [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        -c constraints.txt -e ".[dev]"
    rm -f "$VENV"/.installed-*
    touch "$stamp"
fi
PY="$VENV/bin/python"

# Local defaults: plain HTTP on the loopback interface and a secret key kept
# in the git-ignored data folder. Production sets these in its environment.
mkdir -p .data
if [ -z "${SECRET_KEY:-}" ]; then
    [ -s .data/secret_key ] || "$PY" -c 'import secrets; print(secrets.token_urlsafe(50))' > .data/secret_key
    SECRET_KEY="$(cat .data/secret_key)"
    export SECRET_KEY
fi
export HTTPS="${HTTPS:-false}"
export DJANGO_SETTINGS_MODULE=clusters_site.settings
# The database: DATABASE_URL, or else the embedded PostgreSQL server in .data/
# (EMBEDDED_PG_DIR), started here if it is not running yet, and its database
# EMBEDDED_PG_DATABASE (default "clusters").
if [ -z "${DATABASE_URL:-}" ]; then
    DATABASE_URL="$("$PY" -m clusters_site.embedded_db)"
    export DATABASE_URL
fi
