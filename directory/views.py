from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from .facets import facet_counts
from .filters import ClusterFilter
from .models import (
    CallForProposals,
    Cluster,
    ClusterType,
    Contact,
    Organisation,
    PolicyLevel,
)

PAGE_SIZE = 24
FACETS = ClusterFilter.FACETS


@require_safe
@vary_on_headers("Accept-Language", "Cookie")
def choose_language(request):
    """``/`` sends the visitor to /fr/ or /en/ from their browser's languages."""
    language = translation.get_language_from_request(request)
    with translation.override(language):
        return HttpResponseRedirect(reverse("directory:home"))


def _types_by_level():
    """The six types with their published cluster counts, grouped by policy level (1 query)."""
    types = ClusterType.objects.annotate(
        cluster_count=Count("clusters", filter=Q(clusters__is_published=True))
    )
    return [
        (PolicyLevel(level), [t for t in types if t.level == level]) for level in PolicyLevel.values
    ]


@require_safe
def home(request):
    return render(
        request,
        "directory/home.html",
        {
            "levels": _types_by_level(),
            "open_calls": CallForProposals.objects.published().open_on().by_status(),
            "cluster_count": Cluster.objects.published().count(),
        },
    )


@require_safe
def cluster_list(request):
    filterset = ClusterFilter(
        request.GET, queryset=Cluster.objects.published().select_related("cluster_type")
    )
    page = Paginator(filterset.qs.prefetch_related("regions"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    facets = facet_counts(filterset)
    return render(
        request,
        "directory/cluster_list.html",
        {
            "filter": filterset,
            "page": page,
            "facets": [
                {
                    "name": name,
                    "label": filterset.filters[name].label,
                    "values": facets[name],
                    # Short facets and those in use start unfolded.
                    "open": name in ("type", "level") or any(v.selected for v in facets[name]),
                }
                for name in FACETS
            ],
            "active_filters": _active_filters(request, filterset, facets),
        },
    )


def _active_filters(request, filterset, facets):
    """Each criterion in use, with the address of the same page without it."""

    def without(key, value=None):
        params = request.GET.copy()
        params.pop("page", None)
        if value is None:
            params.pop(key, None)
        else:
            params.setlist(key, [v for v in params.getlist(key) if v != value])
        return "?" + params.urlencode() if params else request.path

    active = []
    if query := filterset.form.cleaned_data.get("q"):
        active.append((filterset.filters["q"].label, query, without("q")))
    for name in FACETS:
        for value in facets[name]:
            if value.selected:
                label = filterset.filters[name].label
                active.append((label, value.name, without(name, value.slug)))
    return active


@require_safe
def cluster_detail(request, slug):
    cluster = get_object_or_404(
        Cluster.objects.published()
        .for_listing()
        .prefetch_related(
            "labellings",
            Prefetch("contacts", queryset=Contact.objects.select_related("organisation")),
        ),
        slug=slug,
    )
    calls = (
        CallForProposals.objects.published()
        .open_on()
        .filter(eligible_types=cluster.cluster_type_id)
        .by_status()
    )
    return render(request, "directory/cluster_detail.html", {"cluster": cluster, "calls": calls})


@require_safe
def type_detail(request, slug):
    cluster_type = get_object_or_404(ClusterType.objects.prefetch_related("figures"), slug=slug)
    clusters = cluster_type.clusters.published().for_listing().alphabetical()
    return render(
        request,
        "directory/type_detail.html",
        {"cluster_type": cluster_type, "clusters": clusters},
    )


@require_safe
def call_list(request):
    calls = (
        CallForProposals.objects.published()
        .select_related("funder")
        .prefetch_related("eligible_types")
        .by_status()
    )
    return render(request, "directory/call_list.html", {"calls": calls})


@require_safe
def call_detail(request, slug):
    call = get_object_or_404(
        CallForProposals.objects.published()
        .with_status()
        .select_related("funder")
        .prefetch_related("eligible_types"),
        slug=slug,
    )
    return render(request, "directory/call_detail.html", {"call": call})


@require_safe
def contacts(request):
    organisations = Organisation.objects.alphabetical().prefetch_related(
        Prefetch("contacts", queryset=Contact.objects.filter(cluster__isnull=True))
    )
    return render(request, "directory/contacts.html", {"organisations": organisations})
