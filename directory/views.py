from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from .models import (
    CallForProposals,
    Cluster,
    ClusterType,
    Contact,
    Organisation,
    PolicyLevel,
)

PAGE_SIZE = 24


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
    clusters = Cluster.objects.published().for_listing().alphabetical()
    page = Paginator(clusters, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "directory/cluster_list.html", {"page": page})


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
