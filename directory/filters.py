"""The directory's query parameters: q, type, level, sector, region, sort.

Repeated keys mean OR within a facet, several facets mean AND. Unknown values
are dropped and reported to the visitor, never an error; the search text is
trimmed and capped.
"""

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef
from django.utils.translation import gettext_lazy as _

from . import search
from .facets import FACETS, chosen_keys, facet_options
from .models import CallForProposals, Cluster, Event, current_language

MAX_QUERY_LENGTH = 200


class LenientMultipleChoiceField(forms.MultipleChoiceField):
    """Keeps the known values (each once, in the order given) and drops the rest.

    The dropped values are kept in ``ignored`` so that the page can say so.
    """

    def clean(self, value):
        known = {str(key) for key, _label in self.choices}
        given = list(dict.fromkeys(v for v in (value or []) if v))
        self.ignored = [v for v in given if v not in known]
        return [v for v in given if v in known]


class LenientMultipleChoiceFilter(django_filters.MultipleChoiceFilter):
    field_class = LenientMultipleChoiceField


class SearchField(forms.CharField):
    """Search text: surrounding blanks removed, cut at MAX_QUERY_LENGTH characters."""

    def clean(self, value):
        value = " ".join((value or "").split())
        self.truncated = len(value) > MAX_QUERY_LENGTH
        return value[:MAX_QUERY_LENGTH]


class SearchFilter(django_filters.CharFilter):
    field_class = SearchField


class LenientFilterSet(django_filters.FilterSet):
    """A FilterSet whose fields drop what they cannot use instead of failing."""

    @property
    def qs(self):
        if not hasattr(self, "_qs"):
            self.form.is_valid()  # fills cleaned_data; lenient fields are always valid
            self._qs = self.order_results(self.filter_queryset(self.queryset.all()))
        return self._qs

    def order_results(self, queryset):
        return queryset

    def selected(self, name) -> list[str]:
        self.form.is_valid()  # fills cleaned_data once; lenient fields are always valid
        return self.form.cleaned_data.get(name) or []

    def ignored_values(self) -> list[tuple[str, str]]:
        """(parameter label, value) for every value the page could not use."""
        return [
            (field.label, value)
            for field in self.form.fields.values()
            for value in getattr(field, "ignored", [])
        ]


class FacetFilter(LenientMultipleChoiceFilter):
    """One facet of the directory (facets.py), its values given by slug."""

    def __init__(self, facet, **kwargs):
        self.facet = facet
        super().__init__(label=facet.label, **kwargs)

    def filter(self, qs, value):
        keys = chosen_keys(self.facet.name, value)
        return qs if keys is None else qs.filter(self.facet.condition(keys))


class ClusterFilter(LenientFilterSet):
    SORTS = {
        "relevance": _("Relevance"),
        "name": _("Name"),
        "reviewed": _("Recently reviewed"),
    }

    q = SearchFilter(label=_("Search"), method="search")
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), method="keep", choices=list(SORTS.items()), empty_label=None
    )

    class Meta:
        model = Cluster
        fields = []

    @classmethod
    def get_filters(cls):
        """The search, a filter per facet of the registry, then the sort."""
        declared = super().get_filters()
        facets = {facet.name: FacetFilter(facet) for facet in FACETS}
        return {"q": declared["q"], **facets, "sort": declared["sort"]}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        options = facet_options()
        for facet in FACETS:
            self.filters[facet.name].extra["choices"] = [
                (o.slug, o.name) for o in options[facet.name]
            ]

    # Set by facets.search_results once it knows whether the words found anything.
    typos = None

    def search(self, queryset, name, value):
        return search.ranked(queryset, value, self.typos)

    def keep(self, queryset, name, value):
        return queryset  # sorting is applied last, in order_results()

    def filter_queryset(self, queryset, exclude=()):
        """The queryset narrowed by every parameter but those in ``exclude`` (for facet counts)."""
        for name, value in self.form.cleaned_data.items():
            if name not in exclude:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    @property
    def sort_order(self) -> str:
        """The sort in effect: as asked, or relevance when searching, else name."""
        asked = self.form.cleaned_data.get("sort")
        if asked == "relevance" and not self.form.cleaned_data.get("q"):
            asked = None
        return asked or ("relevance" if self.form.cleaned_data.get("q") else "name")

    def order_results(self, queryset):
        name_key = "sort_name_en" if current_language() == "en" else "sort_name_fr"
        if self.sort_order == "relevance":
            return queryset.order_by("-relevance", name_key, "pk")
        if self.sort_order == "reviewed":
            return queryset.order_by(F("last_reviewed").desc(nulls_last=True), name_key, "pk")
        return queryset.order_by(name_key, "pk")

    @property
    def query_truncated(self) -> bool:
        return getattr(self.form.fields["q"], "truncated", False)


class CallFilter(LenientFilterSet):
    """Calls for proposals by status and by eligible cluster type."""

    status = LenientMultipleChoiceFilter(
        label=_("Status"), method="with_status", choices=CallForProposals.Status.choices
    )
    type = LenientMultipleChoiceFilter(label=_("Open to"), method="for_type")
    kind = LenientMultipleChoiceFilter(
        label=_("Kind of call"), field_name="kind", choices=CallForProposals.Kind.choices
    )

    class Meta:
        model = CallForProposals
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["type"].extra["choices"] = [(o.slug, o.name) for o in facet_options()["type"]]

    def filter_queryset(self, queryset):
        # The status is computed from the dates: annotate it before filtering on it.
        return super().filter_queryset(queryset.by_status())

    def with_status(self, queryset, name, value):
        return queryset.filter(status__in=value)

    def for_type(self, queryset, name, value):
        return queryset.filter(
            Exists(
                CallForProposals.eligible_types.through.objects.filter(
                    callforproposals_id=OuterRef("pk"), clustertype__slug__in=value
                )
            )
        )


class EventFilter(LenientFilterSet):
    """Events by kind, year and country."""

    kind = LenientMultipleChoiceFilter(
        label=_("Kind of event"), field_name="kind", choices=Event.Kind.choices
    )
    year = LenientMultipleChoiceFilter(label=_("Year"), method="in_year")
    country = LenientMultipleChoiceFilter(label=_("Country"), field_name="country_fr")

    class Meta:
        model = Event
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        events = Event.objects.published()
        years = events.dates("starts_on", "year", order="DESC")
        self.filters["year"].extra["choices"] = [(str(d.year), str(d.year)) for d in years]
        countries = (
            events.exclude(country_fr="")
            .order_by("country_fr")
            .values_list("country_fr", "country_en")
            .distinct()
        )
        english = current_language() == "en"
        self.filters["country"].extra["choices"] = [
            (fr, (en or fr) if english else fr) for fr, en in countries
        ]

    def in_year(self, queryset, name, value):
        return queryset.filter(starts_on__year__in=[int(year) for year in value])
