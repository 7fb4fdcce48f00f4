from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _

from api.problems import is_api, problem_response


def _has_nul(querydict) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in querydict.lists()
    )


class RejectNulBytesMiddleware:
    """Answer 400 to a request carrying a NUL byte in its path, query, form, cookies or headers.

    PostgreSQL text cannot hold NUL: psycopg raises DataError when one reaches
    a query, which would be a server error on any page, the admin's changelist
    filters included. Refusing it at the edge covers every view at once. A
    cookie can carry one too (a quoted value may write it ``"\\000"``): in the
    session cookie it reached the session table's query on the admin pages.
    Headers are stored too: django-axes records a failed login's User-Agent.

    A view marked ``accepts_nul_in_form = True`` (the public forms) gets its
    posted form as sent, and answers with a form error itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            "\x00" in request.path
            or _has_nul(request.GET)
            or any("\x00" in name or "\x00" in value for name, value in request.COOKIES.items())
            or any(
                "\x00" in value
                for name, value in request.META.items()
                if name.startswith("HTTP_") and isinstance(value, str)
            )
        ):
            return self.refuse(request)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            request.method == "POST"
            and not getattr(view_func, "accepts_nul_in_form", False)
            and _has_nul(request.POST)
        ):
            return self.refuse(request)
        return None

    @staticmethod
    def refuse(request):
        message = _("The request contains a null character (NUL), which this site does not accept.")
        if is_api(request):
            return problem_response(request, 400, str(message))
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


class PermissionsPolicyMiddleware:
    """Adds the Permissions-Policy header built from settings.PERMISSIONS_POLICY.

    Each feature maps to the origins allowed to use it: an empty list denies
    it everywhere (``camera=()``), ``["self"]`` allows this origin only.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        header = ", ".join(
            f"{feature}=({' '.join(origins)})"
            for feature, origins in settings.PERMISSIONS_POLICY.items()
        )
        if header:
            response.headers.setdefault("Permissions-Policy", header)
        return response


class QueryCountHeaderMiddleware:
    """Adds X-SQL-Queries (the number of SQL queries the request ran) for the benchmark.

    Enabled only by BENCH_QUERY_COUNT=true; a streamed response's own queries
    run after it and are not counted.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.db import connections

        count = [0]

        def counter(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
        response["X-SQL-Queries"] = str(count[0])
        return response
