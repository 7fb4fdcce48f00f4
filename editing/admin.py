"""The history and revert pages of the admin, with the version check."""

from django.db import router, transaction
from simple_history.admin import SimpleHistoryAdmin

from .forms import VersionedForm
from .history import hidden_in_changes


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
