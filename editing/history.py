"""The history of what staff edit (django-simple-history).

Every save of a tracked model writes a historical row, with both languages'
columns, who made the change (the admin's request) and the many-to-many
links named at registration at that moment. Staff read it and revert from
the admin (admin.py). ``track()`` is called once modeltranslation has added
the ``_fr`` / ``_en`` fields (at the end of a translation.py): registered
earlier, the historical tables would miss them.
"""

import contextlib

from django.conf import settings
from django.db import connections, router
from django.test.utils import override_settings
from modeltranslation.translator import NotRegistered, translator
from simple_history import register
from simple_history.models import HistoricalRecords
from simple_history.signals import post_create_historical_record
from simple_history.utils import get_m2m_field_name, get_m2m_reverse_field_name

from . import registry


def quote(name: str) -> str:
    return connections["default"].ops.quote_name(name)


class GuideHistoricalRecords(HistoricalRecords):
    """simple-history's recorder, with one record per save, links included.

    simple-history writes a record for the save, then one more for each
    change of a many-to-many field; the admin saves the links just after the
    row, so one edit would show as three entries, the first with the old
    links. Here a change of links made on an instance that has just been
    saved updates that save's record instead. Fixtures (raw saves) are not
    recorded, their links neither.
    """

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        if sender is self.cls:
            registry.register(sender, self)
            post_create_historical_record.connect(
                self._remember, sender=sender.history.model, weak=False
            )

    @staticmethod
    def _remember(instance, history_instance, **kwargs):
        instance._history_record = history_instance

    def post_save(self, instance, created, using=None, **kwargs):
        if kwargs.get("raw"):  # loaddata: neither the row nor the links it sets next
            instance.skip_history_when_saving = True
            return
        super().post_save(instance, created, using=using, **kwargs)

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            return
        if reverse:  # sector.clusters.add(...): these clusters' links changed
            if pk_set:  # (a clear from the other side names none: not recorded)
                for obj in self.cls._base_manager.filter(pk__in=pk_set):
                    self.create_historical_record(obj, "~")
            return
        if hasattr(instance, "skip_history_when_saving"):
            return
        record = instance.__dict__.get("_history_record")
        if record is None:
            super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
        else:
            self.refresh_links(record, instance, self.cls._meta.get_field(attr))

    def create_historical_record_m2ms(self, history_instance, instance):
        # simple-history's own version rebuilds the instance from the record
        # (a query per field) only to find the link table.
        for field in history_instance._history_m2m_fields:
            self.copy_links(history_instance, instance, field)

    def refresh_links(self, record, instance, field):
        """Rewrite ``record``'s copy of ``field``'s links from the saved links."""
        self.m2m_models[field].objects.filter(history=record).delete()
        self.copy_links(record, instance, field)

    def copy_links(self, record, instance, field):
        """Copy ``instance``'s links of ``field`` to ``record``, in one statement.

        Raw SQL: the ORM has no INSERT ... SELECT; reading the links and
        inserting them again would take two queries and a round trip.
        """
        history = self.m2m_models[field]
        through = field.remote_field.through
        columns = ", ".join(quote(f.column) for f in through._meta.fields)
        source = through._meta.get_field(get_m2m_field_name(field)).column
        with connections[router.db_for_write(history)].cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} "
                f"({columns}, {quote(history._meta.get_field('history').column)}) "
                f"SELECT {columns}, %s FROM {quote(through._meta.db_table)} "
                f"WHERE {quote(source)} = %s",
                [record.pk, instance.pk],
            )


@contextlib.contextmanager
def without_history():
    """Changes made inside are not recorded (bulk work on synthetic data)."""
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        yield


def track(model, m2m_fields=(), derived_fields=()):
    """Keep the history of ``model`` (after its translation fields are added).

    Left out of the historical table: the columns PostgreSQL computes from
    the others, and ``derived_fields``, which the app recomputes after each save.
    """
    excluded = [
        f.name for f in model._meta.concrete_fields if f.generated or f.name in derived_fields
    ]
    register(
        model,
        records_class=GuideHistoricalRecords,
        m2m_fields=list(m2m_fields),
        excluded_fields=excluded,
    )


def translated_base_names(model) -> set[str]:
    """``name``, ``description``...: the columns modeltranslation fills from the active language."""
    try:
        return set(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return set()


def hidden_in_changes(model) -> set[str]:
    """Fields a list of changes leaves out: bookkeeping, and the language-less copies."""
    return {"version", "created_at", "updated_at", *translated_base_names(model)}


def recorded_links(record) -> dict[str, list[int]]:
    """The many-to-many links a historical record kept: field name -> related ids."""
    links = {}
    for field in record._history_m2m_fields:
        target = get_m2m_reverse_field_name(field)
        rows = getattr(record, field.name).values_list(f"{target}_id", flat=True)
        links[field.name] = sorted(rows)
    return links
