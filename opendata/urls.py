from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("catalog.ttl", views.catalog, {"file_format": "turtle"}, name="catalog-ttl"),
    path("catalog.jsonld", views.catalog, {"file_format": "json-ld"}, name="catalog-jsonld"),
]
