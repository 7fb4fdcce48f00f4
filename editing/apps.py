from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditingConfig(AppConfig):
    """Editing together: version numbers against lost edits, the history, the conflict form."""

    name = "editing"
    verbose_name = _("Editing")
