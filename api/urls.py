from csp.decorators import csp_update
from django.urls import path, re_path
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views
from .problems import not_found

app_name = "api"

urlpatterns = [
    path("", views.Root.as_view(), name="root"),
    path(
        "openapi.json",
        SpectacularAPIView.as_view(renderer_classes=[OpenApiJsonRenderer]),
        name="schema",
    ),
    # Swagger UI from the guide's own static files, its start script a file of its own:
    # the Content-Security-Policy allows no inline script and nothing from elsewhere.
    # Its icons are SVG data: images, allowed on this page alone.
    path(
        "docs/",
        csp_update({"img-src": ["data:"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema")
        ),
        name="docs",
    ),
    path("clusters/", views.ClusterList.as_view(), name="cluster-list"),
    path("clusters/<slug:slug>/", views.ClusterDetail.as_view(), name="cluster-detail"),
    path("types/", views.TypeList.as_view(), name="type-list"),
    path("types/<slug:slug>/", views.TypeDetail.as_view(), name="type-detail"),
    path("sectors/", views.SectorList.as_view(), name="sector-list"),
    path("sectors/<slug:slug>/", views.SectorDetail.as_view(), name="sector-detail"),
    path("regions/", views.RegionList.as_view(), name="region-list"),
    path("regions/<slug:slug>/", views.RegionDetail.as_view(), name="region-detail"),
    path("calls/", views.CallList.as_view(), name="call-list"),
    path("calls/<slug:slug>/", views.CallDetail.as_view(), name="call-detail"),
    path("events/", views.EventList.as_view(), name="event-list"),
    path("events/<slug:slug>/", views.EventDetail.as_view(), name="event-detail"),
    path("organisations/", views.OrganisationList.as_view(), name="organisation-list"),
    path(
        "organisations/<slug:slug>/",
        views.OrganisationDetail.as_view(),
        name="organisation-detail",
    ),
    re_path(r"^(?P<path>[\s\S]*)$", not_found),  # anything else: a problem, never the HTML 404
]
