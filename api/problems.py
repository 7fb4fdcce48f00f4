"""Errors of the API as ``application/problem+json`` (RFC 9457), never HTML.

Every refusal names its HTTP status as ``title``, says what went wrong in the
request's language (Accept-Language) as ``detail``, and keeps the headers that
tell a client what to do (``Retry-After`` on 429, ``Allow`` on 405). Addresses
under /api/ that name nothing, and server errors there, answer the same way.
"""

from http import HTTPStatus

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.views import exception_handler as drf_exception_handler

CONTENT_TYPE = "application/problem+json"


def problem(status: int, detail: str, **members) -> dict:
    """The problem details of a refusal: ``type`` is about:blank, so ``title`` is the
    status's own phrase (RFC 9457, section 4.2.1)."""
    return {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        **members,
    }


def exception_handler(exc, context):
    """DRF's handler (it sets Retry-After, Allow...), its answer rewritten as a problem."""
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # not an API refusal: a server error (problem_response below)
    if isinstance(exc, ValidationError):
        response.data = problem(
            response.status_code,
            _("Some parameters cannot be used: see errors."),
            errors=response.data,
        )
    elif isinstance(exc, Http404):  # Django's message names the model, in English
        response.data = problem(404, _("Nothing published has this address."))
    else:
        detail = response.data.get("detail") if isinstance(response.data, dict) else None
        response.data = problem(response.status_code, str(detail or HTTPStatus(200).phrase))
    response.data["instance"] = context["request"].get_full_path()
    response.content_type = CONTENT_TYPE
    return response


def problem_response(request, status: int, detail: str, headers=None) -> JsonResponse:
    """A problem answered outside DRF's views (unknown addresses, server errors, refused
    input in a middleware)."""
    data = problem(status, detail, instance=request.get_full_path())
    return JsonResponse(
        data,
        status=status,
        content_type=CONTENT_TYPE,
        headers=headers,
        json_dumps_params={"ensure_ascii": False},
    )


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def not_found(request, path=""):
    return problem_response(request, 404, _("No resource of the API has this address."))
