from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from guide import views
from guide.sitemaps import SITEMAPS

urlpatterns = [
    path("", views.choose_language, name="root"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("healthz", views.healthz, name="healthz"),
    path("sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS}, name="sitemap-index"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("", include("opendata.urls")),
]
urlpatterns += i18n_patterns(
    path("", include("guide.urls")),
    path("", include("inbox.urls")),
    path("", include("alerts.urls")),
    prefix_default_language=True,
)

# 503 with Retry-After while the database is out of reach, 500 otherwise.
handler400 = "clusters_site.errors.bad_request"
handler500 = "clusters_site.errors.server_error"
