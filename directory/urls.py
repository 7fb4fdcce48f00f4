from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("", views.home, name="home"),
    path("clusters/", views.cluster_list, name="cluster-list"),
    path("clusters/<slug:slug>/", views.cluster_detail, name="cluster-detail"),
    path("types/<slug:slug>/", views.type_detail, name="type-detail"),
    path("calls/", views.call_list, name="call-list"),
    path("calls/<slug:slug>/", views.call_detail, name="call-detail"),
    path("contacts/", views.contacts, name="contacts"),
    path("figures/", views.figures, name="figures"),
    path("figures/<slug:chart>.csv", views.figures_csv, name="figures-csv"),
]
