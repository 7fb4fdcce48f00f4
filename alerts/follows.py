"""What a subscription follows: a page's filters, normalised and described in words.

The filters are read with the page's own FilterSet, so an alert means exactly
what the page showed: unknown parameters and values are dropped, the search
text is trimmed and capped, repeated values kept once, and what is left is
stored as a query string whose parameters are sorted (two visitors following
the same thing hold the same subscription).
"""

from django.http import QueryDict
from django.utils.translation import gettext as _

from directory.filters import CallFilter, ClusterFilter, EventFilter
from directory.models import CallForProposals, Cluster, Event

from .models import Target

FILTERS = {
    Target.CLUSTERS: (ClusterFilter, Cluster),
    Target.CALLS: (CallFilter, CallForProposals),
    Target.EVENTS: (EventFilter, Event),
}
NOT_FOLLOWED = ("sort", "page")  # how a page shows its results, not which


def filterset(target: str, query: str):
    """The target's FilterSet over its published entries, read from ``query``."""
    filter_class, model = FILTERS[target]
    filters = filter_class(QueryDict(query), queryset=model.objects.published())
    filters.form.is_valid()  # lenient fields: always valid, unknown values dropped
    return filters


def normalised(target: str, query: str) -> str:
    """``query`` with only what the target's filters use, its parameters sorted."""
    cleaned = filterset(target, query).form.cleaned_data
    params = QueryDict(mutable=True)
    for name in sorted(cleaned):
        value = cleaned[name]
        if name in NOT_FOLLOWED or not value:
            continue
        params.setlist(name, sorted(value) if isinstance(value, list) else [value])
    return params.urlencode()


def described(target: str, query: str) -> list[tuple[str, str]]:
    """The filters in words, in the current language: [(label, "value, value"), …]."""
    filters = filterset(target, query)
    lines = []
    for name, field in filters.form.fields.items():
        value = filters.form.cleaned_data.get(name)
        if name in NOT_FOLLOWED or not value:
            continue
        if isinstance(value, list):
            labels = {str(key): label for key, label in field.choices}
            lines.append((str(field.label), ", ".join(str(labels[v]) for v in value)))
        else:
            lines.append((str(field.label), _("“%(text)s”") % {"text": value}))
    return lines
