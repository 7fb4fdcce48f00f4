from django.apps import AppConfig
from django.contrib.postgres.signals import register_type_handlers
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Cluster guide")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals

        # The content version moves on every change, wherever it comes from
        # (admin, import command, fixtures); the copies of the links follow.
        signals.connect(self)
        # django.contrib.postgres looks up the hstore and citext types on each
        # process's first connection (two queries) to decode them; the guide
        # has no such column.
        connection_created.disconnect(register_type_handlers)
