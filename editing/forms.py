"""The refusal of a save that would lose an edit.

The admin forms carry the row's version (versioning.py). When a form comes
back with an older version than the saved row, ``VersionedForm`` refuses it,
lists what the other editor changed, keeps the editor's input, carries the
other editor's changes into the fields the editor left alone, marks the
fields both changed, and takes the new version: after checking, the editor
saves again.
"""

import datetime

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.forms.models import InlineForeignKeyField
from django.urls import NoReverseMatch, reverse
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME

from . import registry
from .history import recorded_links
from .versioning import lock_version


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
        if registry.is_tracked(model):
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
