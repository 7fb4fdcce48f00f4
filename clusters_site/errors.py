"""The server-error page: 503 while the database is out of reach, 500 otherwise.

Django calls ``handler500`` inside the ``except`` block of whatever failed (a
view or a middleware), so the exception is still at hand. A database that is
down or restarting is a temporary state, not a bug: the visitor gets a "come
back in a moment" page with ``Retry-After``, and load balancers and crawlers
know to retry. Each request checks its connection first (CONN_HEALTH_CHECKS),
so the guide recovers by itself once the database is back.
"""

import sys

from django import db
from django.http import HttpResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token

from api.problems import is_api, problem_response

RETRY_AFTER_SECONDS = 30


def database_unavailable(exception) -> bool:
    return isinstance(exception, db.OperationalError | db.InterfaceError)


@requires_csrf_token
def server_error(request):
    unavailable = database_unavailable(sys.exc_info()[1])
    if is_api(request):  # the API answers in JSON, never HTML (RFC 9457)
        if unavailable:
            return problem_response(
                request,
                503,
                _("The guide's database is out of reach for a moment: please try again."),
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            )
        return problem_response(request, 500, _("The guide met an error; it has been logged."))
    # No context processors and no database: the templates stand alone.
    if unavailable:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def bad_request(request, exception):
    """A request Django refused before any view (too many fields, a suspicious header):
    the API answers it as a problem document, the pages with Django's own."""
    if is_api(request):
        return problem_response(request, 400, _("The request cannot be read."))
    return defaults.bad_request(request, exception)
