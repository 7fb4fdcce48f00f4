"""The DCAT-AP 3 catalogue of the guide's open data (to be written)."""

from django.http import HttpResponse
from django.views.decorators.http import require_safe


@require_safe
def catalog(request, file_format):
    return HttpResponse(status=501)
