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
