"""A URL whose view fails with an ordinary bug (see test_reliability.py)."""

from django.urls import path


def boom(request):
    raise ZeroDivisionError("a bug, not an outage")


urlpatterns = [path("boom/", boom)]
handler500 = "clusters_site.errors.server_error"
