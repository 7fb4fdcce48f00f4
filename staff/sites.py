"""The admin site staff edit the guide in."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .forms import StaffLoginForm


class GuideAdminSite(admin.AdminSite):
    site_header = _("French cluster guide: editing")
    site_title = _("Cluster guide admin")
    index_title = _("Guide content")
    site_url = "/"
    login_form = StaffLoginForm

    def get_app_list(self, request, app_label=None):
        """The index, with a count beside pages whose admin gives one (``index_count``)."""
        app_list = super().get_app_list(request, app_label)
        for app in app_list:
            for entry in app["models"]:
                model_admin = self._registry.get(entry["model"])
                count = getattr(model_admin, "index_count", None)
                if count is not None:
                    entry["name"] = f"{entry['name']} ({count(request)})"
        return app_list
