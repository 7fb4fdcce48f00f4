from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Cluster guide")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Connects the receivers that move the content version on every change,
        # wherever the change comes from (admin, import command, fixtures).
        from . import cache  # noqa: F401
