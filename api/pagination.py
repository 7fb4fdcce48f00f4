"""Lists are paged: ``page`` (from 1) and ``page_size`` (1 to API_MAX_PAGE_SIZE)."""

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    page_size_query_param = "page_size"
    # Read per request, so that the settings (and the tests) may change them.
    page_size = property(lambda self: settings.API_PAGE_SIZE)
    max_page_size = property(lambda self: settings.API_MAX_PAGE_SIZE)

    def get_page_size(self, request):
        """The size asked for; one the API cannot give is refused (400), not replaced."""
        asked = request.query_params.get(self.page_size_query_param)
        if asked is None:
            return self.page_size
        if not asked.isascii() or not asked.isdigit() or not 1 <= int(asked) <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("A whole number from 1 to %(most)s.") % {"most": self.max_page_size}
                    ]
                }
            )
        return int(asked)

    def get_page_number(self, request, paginator):
        """The page asked for (1 by default); beyond the last one is 404 (not found)."""
        asked = request.query_params.get(self.page_query_param)
        if asked is None:
            return 1
        if not asked.isascii() or not asked.isdigit() or int(asked) < 1:
            raise ValidationError({self.page_query_param: [_("A whole number from 1.")]})
        return asked

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters
