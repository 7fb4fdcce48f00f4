"""The read API (to be written)."""

from django.http import HttpResponse


def stub(request, **kwargs):
    return HttpResponse(status=501)
