"""Version numbers against lost edits (optimistic concurrency).

Each model staff edit (clusters, calls, organisations, contacts) has a
``version`` that grows by one with every save. The admin form carries the
version it was opened at; if the row has moved on when the form comes back,
the save is refused (see forms.py) instead of overwriting the other
editor's work.

The new number is always the saved row's number plus one, read under a row
lock, never the number of the instance in memory: an instance loaded long ago
or rebuilt from the history (a revert) cannot hand out a number that a form
already holds. Bulk inserts and fixtures take the field's default, 1.
"""

from django.db import models, router, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import registry


def version_field():
    return models.PositiveIntegerField(
        _("version"),
        default=1,
        help_text=_("Grows with each save; a form opened at an older version cannot save."),
    )


def lock_version(obj, changing: bool = True) -> int | None:
    """The saved version of ``obj``, its row locked until the end of the transaction.

    The first time a row that has no history yet is about to change
    (``changing``; it came from the shipped fixtures, a bulk insert, or was
    saved before history was kept), its saved state is recorded first: the
    history then shows what the change replaced, an editor can revert to it,
    and a refused save can list what changed since.
    """
    model = type(obj)
    using = router.db_for_write(model, instance=obj)
    rows = model._base_manager.using(using).filter(pk=obj.pk)
    if transaction.get_connection(using).in_atomic_block:
        rows = rows.select_for_update()
    records = registry.recorder_for(model)
    if records is None:
        found = list(rows.values_list("version", flat=True)[:1])
        return found[0] if found else None
    history = model.history.model
    earlier = history.objects.filter(**{model._meta.pk.attname: OuterRef("pk")})
    rows = rows.annotate(has_history=Exists(earlier))
    found = list(rows.values_list("version", "has_history")[:1])
    if not found:
        return None
    version, has_history = found[0]
    if changing and not has_history:
        saved = model._base_manager.using(using).get(pk=obj.pk)
        saved._history_user = None  # nobody known: the state before history was kept
        saved._history_date = getattr(saved, "updated_at", None) or timezone.now()
        records.create_historical_record(saved, "~", using=using)
    return version


class Versioned:
    """Models with a ``version`` field: each save of an existing row increments it."""

    def save(self, *args, **kwargs):
        if self.pk is None or self._state.adding:
            return super().save(*args, **kwargs)
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            # The admin form has just read (and locked) the saved version.
            saved = self.__dict__.pop("_locked_version", None)
            if saved is None:
                saved = lock_version(self)
            if saved is not None:
                self.version = saved + 1
                if kwargs.get("update_fields") is not None:
                    kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
            return super().save(*args, **kwargs)
