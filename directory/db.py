"""Database helpers shared by models, queries and migrations."""

import contextlib

from django.db import connections, transaction
from django.db.models import CharField, F, Func, Value
from django.db.models.functions import Coalesce, NullIf

# lower(unaccent(text)) as an IMMUTABLE function, so that generated columns and
# indexes may use it (unaccent() itself is only STABLE). The embedded server is
# built without ICU: sorting on this folded key gives French alphabetical order
# ("Élise" beside "Eric", "zoé" after "Yves") on every server.
CREATE_FOLD_FUNCTION = """
CREATE OR REPLACE FUNCTION directory_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;
"""
DROP_FOLD_FUNCTION = "DROP FUNCTION IF EXISTS directory_fold(text);"


class Fold(Func):
    """Accent- and case-folded text: ``Fold("name_fr")``."""

    function = "directory_fold"
    output_field = CharField()


def translated(field: str, language: str, fallback: str = "fr"):
    """The column of ``field`` in ``language``, falling back to French when empty.

    modeltranslation applies its fallback when a value is displayed, not in
    queries: filters and sorts that must match what a page shows use this.
    """
    if language == fallback:
        return F(f"{field}_{fallback}")
    return Coalesce(NullIf(f"{field}_{language}", Value("")), f"{field}_{fallback}")


@contextlib.contextmanager
def local_setting(using: str, name: str, value: str):
    """Within it, PostgreSQL's setting ``name`` is ``value`` for the queries that
    database ``using`` runs (``SET LOCAL``: until the transaction it opens ends)."""
    with transaction.atomic(using=using, savepoint=False), connections[using].cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
        yield
