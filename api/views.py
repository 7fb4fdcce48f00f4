"""The read API: DRF's generic views, unchanged but for what every answer shares.

Each answer carries an ETag and a Last-Modified read from the content version
(one single-row query, shared with the rest of the request), and a conditional
GET whose validators still hold gets 304 with no body. The day is part of both:
a call's status and a cluster's label status follow the calendar, not only the
edits. Lists are paged and keep one order (ties broken by id); the clusters
take the directory's own filters, search and sort, from the facet index.
"""

import datetime

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from directory import content_version
from directory.facets import result_total, search_results
from directory.filters import CallFilter, ClusterFilter, EventFilter
from directory.models import (
    CallForProposals,
    Cluster,
    ClusterType,
    Event,
    LabelStatus,
    Organisation,
    PolicyLevel,
    Region,
    Sector,
)

from . import serializers as s
from .problems import CONTENT_TYPE

PROBLEM = OpenApiResponse(
    response={
        "type": "object",
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "instance": {"type": "string"},
            "errors": {"type": "object"},
        },
        "required": ["type", "title", "status"],
    },
    description="application/problem+json (RFC 9457)",
)
REFUSALS = {(status, CONTENT_TYPE): PROBLEM for status in (400, 404, 405, 406, 429)} | {
    304: OpenApiResponse(description="Not modified since the validators given")
}


class PerAddress(AnonRateThrottle):
    """API_RATE requests per client address (DRF reads its rates once, at import:
    this reads the setting per request)."""

    def get_rate(self):
        return settings.API_RATE


def validators() -> tuple[str, datetime.datetime]:
    """The ETag and Last-Modified of every answer: the content's version and the day."""
    today = timezone.localdate()
    midnight = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
    changed = content_version.changed_at() or midnight
    return quote_etag(f"{content_version.current()}-{today.isoformat()}"), max(changed, midnight)


class Conditional:
    """ETag and Last-Modified on each successful answer; 304 when they still hold."""

    throttle_classes = [PerAddress]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            etag, last_modified = validators()
            seconds = int(last_modified.timestamp())  # as precise as the header
            response["ETag"] = etag
            response["Last-Modified"] = http_date(seconds)
            response = get_conditional_response(
                request, etag=etag, last_modified=seconds, response=response
            )
        return response


class Detail(Conditional, generics.RetrieveAPIView):
    """One published entry, by its slug."""

    lookup_field = "slug"


class FilteredList(Conditional, generics.ListAPIView):
    """A list that takes one of the guide's FilterSets (its parameters, its order):
    a value it cannot use is refused (400), not silently dropped as a page would."""

    filterset_class = None

    def filterset(self):
        filterset = self.filterset_class(self.request.query_params, queryset=self.base_queryset())
        errors = {} if filterset.form.is_valid() else dict(filterset.form.errors)
        for name in filterset.form.fields:
            if "" in self.request.query_params.getlist(name):
                errors.setdefault(name, []).append(_("An empty value says nothing."))
        for name, field in filterset.form.fields.items():
            for value in getattr(field, "ignored", []):  # set aside by the lenient fields
                errors.setdefault(name, []).append(_("Unknown value: %(value)s") % {"value": value})
        if errors:
            raise ValidationError(errors)
        return filterset

    def base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        return self.filterset().qs


def _many(name, description, **items):
    """A parameter that may be repeated (any of its values), as the OpenAPI document says."""
    return OpenApiParameter(
        name,
        {"type": "array", "items": {"type": "string", **items}},
        explode=True,
        description=description,
    )


def _choices(name, choices, description):
    return _many(name, description, enum=[key for key, _label in choices])


def _facet_parameters():
    """The cluster list's parameters, as the OpenAPI document describes them."""
    return [
        OpenApiParameter("q", str, description="Search words, in French or English."),
        _many("type", "Cluster type (slug): any of them."),
        _choices("level", PolicyLevel.choices, "Policy level of the type: any of them."),
        _choices("label", LabelStatus.choices, "Label status this year: any of them."),
        _many("sector", "Sector (slug): any of them."),
        _many("region", "Region (slug): any of them."),
        OpenApiParameter(
            "sort",
            str,
            enum=list(ClusterFilter.SORTS),
            description="relevance (with q, the default then), name (French), reviewed.",
        ),
    ]


@extend_schema(parameters=_facet_parameters(), responses={200: s.ClusterSerializer} | REFUSALS)
class ClusterList(FilteredList):
    """Published clusters, with the directory's filters, search and sort."""

    serializer_class = s.ClusterSerializer
    filterset_class = ClusterFilter

    def base_queryset(self):
        return Cluster.objects.published()

    def list(self, request, *args, **kwargs):
        filterset = self.filterset()  # its refusals in the reader's language
        with translation.override("fr"):  # one order whatever the Accept-Language
            if filterset.form.cleaned_data.get("q"):
                # A search: its matches' ids in order (the facet index remembers them),
                # then one query for the page's rows.
                ids = self.paginate_queryset(search_results(filterset)[1])
                rows = {cluster.pk: cluster for cluster in ROWS.filter(pk__in=ids)}
                clusters = [rows[pk] for pk in ids if pk in rows]
            else:
                # The directory's SQL order, one page at a time (its sort index), and
                # its total from the facet index: one query in all, whatever the page.
                rows = Counted(filterset.qs.defer(*HEAVY), result_total(filterset))
                clusters = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(clusters, many=True).data)


# What a cluster's row holds that the API does not say (search vectors, sources).
HEAVY = ("search_vector", "name_vector", "topics_fr", "topics_en", "sources")
ROWS = Cluster.objects.defer(*HEAVY)


class Counted:
    """A queryset whose length is known already: the paginator reads no COUNT."""

    def __init__(self, queryset, total: int):
        self.queryset, self.total = queryset, total

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index):
        return list(self.queryset[index])


@extend_schema(responses={200: s.ClusterDetailSerializer} | REFUSALS)
class ClusterDetail(Detail):
    """A published cluster, with its label history and events."""

    serializer_class = s.ClusterDetailSerializer
    queryset = Cluster.objects.published().prefetch_related(
        "labellings",
        Prefetch("events", queryset=Event.objects.published().order_by("-starts_on", "pk")),
    )


class SmallList(Conditional, generics.ListAPIView):
    """A short list kept in its display order."""


@extend_schema(responses={200: s.TypeSerializer} | REFUSALS)
class TypeList(SmallList):
    """Cluster types: national labels, regional and private clusters."""

    serializer_class = s.TypeSerializer
    queryset = ClusterType.objects.order_by("position", "slug")


@extend_schema(responses={200: s.TypeSerializer} | REFUSALS)
class TypeDetail(Detail):
    serializer_class = s.TypeSerializer
    queryset = ClusterType.objects.all()


@extend_schema(responses={200: s.SectorSerializer} | REFUSALS)
class SectorList(SmallList):
    """Sectors, by family."""

    serializer_class = s.SectorSerializer
    queryset = Sector.objects.order_by("family", "position", "slug")


@extend_schema(responses={200: s.SectorSerializer} | REFUSALS)
class SectorDetail(Detail):
    serializer_class = s.SectorSerializer
    queryset = Sector.objects.all()


@extend_schema(responses={200: s.RegionSerializer} | REFUSALS)
class RegionList(SmallList):
    """Regions, mainland and overseas (Saint-Pierre-et-Miquelon included), by INSEE code."""

    serializer_class = s.RegionSerializer
    queryset = Region.objects.order_by("insee_code")


@extend_schema(responses={200: s.RegionSerializer} | REFUSALS)
class RegionDetail(Detail):
    serializer_class = s.RegionSerializer
    queryset = Region.objects.all()


CALLS = (
    CallForProposals.objects.published().select_related("funder").prefetch_related("eligible_types")
)


@extend_schema(
    parameters=[
        _choices("status", CallForProposals.Status.choices, "Status today: any of them."),
        _choices("kind", CallForProposals.Kind.choices, "Kind of call: any of them."),
        _many("type", "Open to clusters of this type (slug): any of them."),
    ],
    responses={200: s.CallSerializer} | REFUSALS,
)
class CallList(FilteredList):
    """Published calls for proposals: closing soon, open, upcoming, then closed."""

    serializer_class = s.CallSerializer
    filterset_class = CallFilter

    def base_queryset(self):
        return CALLS


@extend_schema(responses={200: s.CallSerializer} | REFUSALS)
class CallDetail(Detail):
    serializer_class = s.CallSerializer

    def get_queryset(self):
        return CALLS.with_status()


EVENTS = (
    Event.objects.published()
    .select_related("organiser")
    .prefetch_related(Prefetch("clusters", queryset=Cluster.objects.published().order_by("slug")))
)


@extend_schema(
    parameters=[
        _choices("kind", Event.Kind.choices, "Kind of event: any of them."),
        _many("year", "Starting in this year: any of them.", type="integer"),
        _many("country", "Country, as named in French: any of them."),
    ],
    responses={200: s.EventSerializer} | REFUSALS,
)
class EventList(FilteredList):
    """Published events: those to come, soonest first, then past ones."""

    serializer_class = s.EventSerializer
    filterset_class = EventFilter

    def base_queryset(self):
        return EVENTS.in_calendar_order()


@extend_schema(responses={200: s.EventSerializer} | REFUSALS)
class EventDetail(Detail):
    serializer_class = s.EventSerializer
    queryset = EVENTS


@extend_schema(responses={200: s.OrganisationSerializer} | REFUSALS)
class OrganisationList(SmallList):
    """Funders, organisers and support organisations."""

    serializer_class = s.OrganisationSerializer
    queryset = Organisation.objects.order_by("name_fr", "pk")


@extend_schema(responses={200: s.OrganisationSerializer} | REFUSALS)
class OrganisationDetail(Detail):
    serializer_class = s.OrganisationSerializer
    queryset = Organisation.objects.all()


class Root(Conditional, APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT} | REFUSALS)
    def get(self, request):
        """The API's collections, its OpenAPI document and its licence."""
        names = ["cluster", "type", "sector", "region", "call", "event", "organisation"]
        return Response(
            {
                **{f"{name}s": s.api_url(request, f"{name}-list") for name in names},
                "openapi": s.api_url(request, "schema"),
                "documentation": s.api_url(request, "docs"),
                "licence": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
            }
        )
