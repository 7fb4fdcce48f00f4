from django.urls import path

from . import feeds, views

app_name = "guide"

urlpatterns = [
    path("", views.home, name="home"),
    path("clusters/", views.cluster_list, name="cluster-list"),
    path("clusters/export.csv", views.cluster_export, {"file_format": "csv"}, name="export-csv"),
    path("clusters/export.json", views.cluster_export, {"file_format": "json"}, name="export-json"),
    path("clusters/<slug:slug>/", views.cluster_detail, name="cluster-detail"),
    path("types/<slug:slug>/", views.type_detail, name="type-detail"),
    path("types/<slug:slug>/calls.atom", feeds.CallsAtomFeed(), name="type-calls-atom"),
    path("types/<slug:slug>/calls.ics", feeds.calls_ics, name="type-calls-ics"),
    path("calls/", views.call_list, name="call-list"),
    path("calls/feed.atom", feeds.CallsAtomFeed(), name="calls-atom"),
    path("calls/feed.ics", feeds.calls_ics, name="calls-ics"),
    path("calls/<slug:slug>/", views.call_detail, name="call-detail"),
    path("calls/<slug:slug>/eligible.csv", views.call_eligible_export, name="call-eligible-csv"),
    path("contacts/", views.contacts, name="contacts"),
    path("events/", views.event_list, name="event-list"),
    path("events/feed.ics", feeds.events_ics, name="events-ics"),
    path("events/<slug:slug>/", views.event_detail, name="event-detail"),
    path("figures/", views.figures, name="figures"),
    path("figures/<slug:chart>.csv", views.figures_csv, name="figures-csv"),
    path("open-data/", views.open_data, name="open-data"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("legal/", views.legal, name="legal"),
    path("privacy/", views.privacy, name="privacy"),
]
