"""The history of what staff edit, and the refusal of a save that would lose an edit.

History (django-simple-history): every save of a cluster, call, organisation
or contact writes a historical row, with both languages' columns, who made
the change (the admin's request) and, for clusters and calls, the sectors,
regions or eligible types at that moment. Staff read it and revert from the
admin. ``track()`` is called once modeltranslation has added the ``_fr`` /
``_en`` fields (at the end of translation.py): registered earlier, the
historical tables would miss them.

Lost edits: the admin forms carry the row's version (versioning.py). When a
form comes back with an older version than the saved row, ``VersionedForm``
refuses it, lists what the other editor changed, keeps the editor's input,
carries the other editor's changes into the fields the editor left alone,
marks the fields both changed, and takes the new version: after checking,
the editor saves again.
"""

import contextlib
import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connections, router, transaction
from django.forms.models import InlineForeignKeyField
from django.test.utils import override_settings
from django.urls import NoReverseMatch, reverse
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from modeltranslation.translator import NotRegistered, translator
from simple_history import register
from simple_history.admin import SimpleHistoryAdmin
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME
from simple_history.models import HistoricalRecords
from simple_history.signals import post_create_historical_record
from simple_history.utils import get_m2m_field_name, get_m2m_reverse_field_name

from .versioning import history_records, lock_version


def quote(name: str) -> str:
    return connections["default"].ops.quote_name(name)


# Kept out of the historical tables: columns PostgreSQL computes from the
# others, and the copies of the links that links.py rewrites after each save.
DERIVED_FIELDS = ("sector_ids", "region_ids")


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
            sender._guide_history = self
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
        history = self.m2m_models[field]
        with connections[router.db_for_write(history)].cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {quote(history._meta.db_table)} WHERE "
                f"{quote(history._meta.get_field('history').column)} = %s",
                [record.pk],
            )
        self.copy_links(record, instance, field)

    def copy_links(self, record, instance, field):
        """Copy ``instance``'s links of ``field`` to ``record``, in one statement."""
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


def track(model, m2m_fields=()):
    """Keep the history of ``model`` (after its translation fields are added)."""
    excluded = [
        f.name for f in model._meta.concrete_fields if f.generated or f.name in DERIVED_FIELDS
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


def _is_empty(value) -> bool:
    return value is None or value == "" or value == []


class VersionedForm(forms.ModelForm):
    """An admin form that refuses to save over changes made since it was opened."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        record = getattr(self.instance, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None)
        if record is not None and not self.is_bound:
            # The revert page shows a past version, links included, and saves
            # it over the row as it is now.
            model = type(self.instance)
            saved = model._base_manager.filter(pk=self.instance.pk).values_list("version")
            self.initial["version"] = saved[0][0] if saved else self.instance.version
            for name, ids in recorded_links(record).items():
                if name in self.fields:
                    self.initial[name] = ids

    def clean(self):
        cleaned_data = super().clean()
        instance = self.instance
        if instance.pk is None or instance._state.adding:
            cleaned_data["version"] = instance.version
            return cleaned_data
        # Locked until the save's transaction ends. (An inline row left
        # unchanged is not saved: nothing to record before it.)
        saved = lock_version(instance, changing=self.has_changed())
        if saved is None:  # deleted meanwhile
            return cleaned_data
        opened_at = cleaned_data.get("version")
        if opened_at == saved:
            cleaned_data["version"] = saved
            instance._locked_version = saved
        else:
            self.refuse(saved, opened_at)
        return cleaned_data

    # The refusal ---------------------------------------------------------

    def refuse(self, saved: int, opened_at: int | None):
        model = type(self.instance)
        current = model._base_manager.get(pk=self.instance.pk)
        baseline, editors = None, []
        if history_records(model) is not None:
            history = model.history.filter(**{model._meta.pk.attname: current.pk})
            if opened_at is not None:
                baseline = (
                    history.filter(version=opened_at).order_by("-history_date", "-pk").first()
                )
            since = (
                history.filter(history_date__gt=baseline.history_date).select_related(
                    "history_user"
                )
                if baseline
                else []
            )
            for record in since:
                user = record.history_user
                if user is not None and user.get_username() not in editors:
                    editors.append(user.get_username())
        self.data = self.data.copy()  # the form shown again takes the saved version...
        self._set_data("version", saved)
        changes = []
        for name in self.compared_fields():
            field = self.fields[name]
            now = self._value_of(current, name)
            yours = self[name].data
            if baseline is not None:
                before = self._value_of(baseline, name, record=True)
                if not field.has_changed(before, now):
                    continue  # the other editor left it alone
                changes.append((field.label, self._display(name, now)))
                if not field.has_changed(before, yours):
                    self._set_data(name, now)  # ...and their change where you made none
                elif field.has_changed(now, yours):
                    self.add_error(
                        name,
                        _("Changed meanwhile by another editor, to: %(value)s")
                        % {"value": self._display(name, now)},
                    )
            elif field.has_changed(now, yours):
                # Nothing tells what the form was opened with: show the saved
                # value beside every field that differs from it.
                changes.append((field.label, self._display(name, now)))
                self.add_error(
                    name, _("Saved version: %(value)s") % {"value": self._display(name, now)}
                )
        self.add_error(None, ValidationError(self._message(current, editors, changes, baseline)))

    def compared_fields(self) -> list[str]:
        """The fields the editor sees and edits (not the version, the id, an inline's parent)."""
        names = []
        for name, field in self.fields.items():
            if name == "version" or field.disabled or isinstance(field, InlineForeignKeyField):
                continue
            try:
                model_field = type(self.instance)._meta.get_field(name)
            except FieldDoesNotExist:  # an inline's DELETE box
                continue
            if not model_field.primary_key:
                names.append(name)
        return names

    def _message(self, current, editors, changes, baseline):
        if editors:
            intro = _(
                "Changes to “%(object)s” were saved by %(editors)s after you opened this "
                "page: yours are not saved yet."
            ) % {"object": current, "editors": ", ".join(editors)}
        else:
            intro = _(
                "Changes to “%(object)s” were saved after you opened this page: "
                "yours are not saved yet."
            ) % {"object": current}
        if baseline is not None:
            advice = _(
                "The form below keeps your input and now includes these changes; where you "
                "both changed a field, your input is kept and the field is marked. Check, "
                "then save again."
            )
        else:
            advice = _(
                "The form below keeps your input; the fields where it differs from the saved "
                "version are marked. Check them, then save again."
            )
        line = _("{field}: {value}")  # French puts a space before the colon
        items = format_html_join(
            "",
            "<li>{}</li>",
            (
                (format_html(line, field=format_html("<strong>{}</strong>", label), value=value),)
                for label, value in changes
            ),
        )
        listed = (
            format_html("<p>{}</p><ul>{}</ul>", _("Changed meanwhile:"), items) if changes else ""
        )
        opts = current._meta
        try:
            history_url = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_history", args=[current.pk]
            )
        except NoReverseMatch:
            link = ""
        else:
            link = format_html(' <a href="{}">{}</a>', history_url, _("See the history."))
        return format_html(
            '<div class="edit-conflict"><p>{}</p>{}<p>{}{}</p></div>', intro, listed, advice, link
        )

    def _value_of(self, obj, name, record=False):
        """``name``'s value as a form's initial data: ids for relations."""
        field = type(self.instance)._meta.get_field(name)
        if field.many_to_many:
            if record:
                return recorded_links(obj).get(name, [])
            return sorted(getattr(obj, name).values_list("pk", flat=True))
        return field.value_from_object(obj)

    def _display(self, name, value) -> str:
        field = type(self.instance)._meta.get_field(name)
        if _is_empty(value):
            return _("(empty)")
        if field.is_relation:
            ids = value if field.many_to_many else [value]
            related = field.related_model._base_manager.filter(pk__in=ids)
            return ", ".join(str(obj) for obj in related) or str(value)
        if field.flatchoices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if isinstance(value, (datetime.date, datetime.datetime)):
            return formats.localize(value)
        return Truncator(str(value)).chars(300)

    def _set_data(self, name, value):
        """Put ``value`` in the submitted data, as the field's widget would send it."""
        key = self.add_prefix(name)
        field = self.fields[name]
        model_field = type(self.instance)._meta.get_field(name) if name != "version" else None
        if isinstance(field.widget, forms.CheckboxInput):
            if value:
                self.data[key] = "on"
            else:
                self.data.pop(key, None)
        elif isinstance(value, (list, tuple)):
            self._set_list(key, [str(v) for v in value])
        elif value is None:
            self.data[key] = ""
        elif model_field is not None and model_field.is_relation:
            self.data[key] = str(value)
        else:
            formatted = field.widget.format_value(value)
            if isinstance(formatted, list):  # a select: the chosen values
                self._set_list(key, formatted)
            else:
                self.data[key] = formatted or ""

    def _set_list(self, key, values):
        if hasattr(self.data, "setlist"):  # a request's QueryDict
            self.data.setlist(key, values)
        else:
            self.data[key] = values


class HistoryAdmin(SimpleHistoryAdmin):
    """The history and revert pages, and the version check, for a ModelAdmin.

    Comes before the admin's translation base: ``class X(HistoryAdmin, GuideAdmin)``.
    """

    form = VersionedForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        fields = [name for _name, options in fieldsets for name in options["fields"]]
        flat = {n for name in fields for n in (name if isinstance(name, (list, tuple)) else [name])}
        editable = self.has_change_permission(request, obj) or (
            obj is None and self.has_add_permission(request)
        )
        if "version" in flat and not editable:  # read-only page: no version to show
            return [
                (title, {**options, "fields": [n for n in options["fields"] if n != "version"]})
                for title, options in fieldsets
            ]
        if "version" not in flat and editable:
            (title, options), *rest = fieldsets
            return [(title, {**options, "fields": [*options["fields"], "version"]}), *rest]
        return fieldsets

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # The revert's check of the version locks the row until it is saved.
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """The changes column of the history page, without bookkeeping fields."""
        hidden = hidden_in_changes(self.model)
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(
                    current, excluded_fields=hidden, foreign_keys_are_objs=foreign_keys_are_objs
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current
