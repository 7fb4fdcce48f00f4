from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("", views.stub, name="root"),
    path("openapi.json", views.stub, name="schema"),
    path("docs/", views.stub, name="docs"),
    path("clusters/", views.stub, name="cluster-list"),
    path("clusters/<slug:slug>/", views.stub, name="cluster-detail"),
    path("types/", views.stub, name="type-list"),
    path("types/<slug:slug>/", views.stub, name="type-detail"),
    path("sectors/", views.stub, name="sector-list"),
    path("sectors/<slug:slug>/", views.stub, name="sector-detail"),
    path("regions/", views.stub, name="region-list"),
    path("regions/<slug:slug>/", views.stub, name="region-detail"),
    path("calls/", views.stub, name="call-list"),
    path("calls/<slug:slug>/", views.stub, name="call-detail"),
    path("events/", views.stub, name="event-list"),
    path("events/<slug:slug>/", views.stub, name="event-detail"),
    path("organisations/", views.stub, name="organisation-list"),
    path("organisations/<slug:slug>/", views.stub, name="organisation-detail"),
]
