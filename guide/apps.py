from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuideConfig(AppConfig):
    """The public site: pages, feeds, exports, sitemaps, the page cache."""

    name = "guide"
    verbose_name = _("Public guide")
