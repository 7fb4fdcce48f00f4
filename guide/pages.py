"""The guide's main pages: one list for the main menu and the sitemap."""

from django.utils.translation import gettext_lazy as _

HOME = "guide:home"
# (view name, menu label), in the menu's order.
MAIN_PAGES = [
    ("guide:cluster-list", _("Directory")),
    ("guide:call-list", _("Calls for proposals")),
    ("guide:event-list", _("Events")),
    ("guide:figures", _("Figures")),
    ("guide:contacts", _("Contacts")),
]
