from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from directory.models import CallForProposals, Cluster, ClusterType, Event

from .pages import HOME, MAIN_PAGES

# Linked from every page's footer, not from the main menu.
TRUST_PAGES = ["guide:accessibility", "guide:legal", "guide:privacy"]
FOOTER_PAGES = ["guide:open-data", *TRUST_PAGES]


class GuideSitemap(Sitemap):
    """Every page in both languages, each listing its other-language version."""

    i18n = True
    alternates = True
    x_default = True


class StaticPagesSitemap(GuideSitemap):
    def items(self):
        return [HOME, *(name for name, _label in MAIN_PAGES), *FOOTER_PAGES]

    def location(self, item):
        return reverse(item)


class ClusterSitemap(GuideSitemap):
    limit = 2000  # each cluster gives two URLs, one per language

    def items(self):
        return Cluster.objects.published().order_by("pk").only("slug", "updated_at")

    def lastmod(self, cluster):
        return cluster.updated_at


class TypeSitemap(GuideSitemap):
    def items(self):
        return ClusterType.objects.only("slug")


class CallSitemap(GuideSitemap):
    def items(self):
        return CallForProposals.objects.published().order_by("pk").only("slug", "updated_at")

    def lastmod(self, call):
        return call.updated_at


class EventSitemap(GuideSitemap):
    def items(self):
        return Event.objects.published().order_by("pk").only("slug", "updated_at")

    def lastmod(self, event):
        return event.updated_at


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "clusters": ClusterSitemap,
    "types": TypeSitemap,
    "calls": CallSitemap,
    "events": EventSitemap,
}
