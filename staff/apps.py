from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    """The staff's side: the admin site, the login form and its lock-out page."""

    default = True
    name = "staff"
    verbose_name = _("Staff")


class GuideAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the guide's site (staff/sites.py); named in INSTALLED_APPS."""

    default = False
    default_site = "staff.sites.GuideAdminSite"
