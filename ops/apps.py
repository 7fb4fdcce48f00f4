from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running the guide: backups and restores, the benchmark's synthetic data."""

    name = "ops"
    verbose_name = _("Operations")
