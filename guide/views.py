from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from directory import content_version, search
from directory.counts import (
    headline_figures,
    published_counts,
    regions_in_order,
    with_published_counts,
)
from directory.facets import (
    BY_NAME,
    FACETS,
    directory_facets,
    facet_counts,
    result_count,
    result_ids,
    search_results,
    with_region_names,
)
from directory.filters import CallFilter, ClusterFilter, EventFilter
from directory.models import (
    CallForProposals,
    Cluster,
    ClusterType,
    Contact,
    Event,
    LabelStatus,
    LinkCheck,
    OfficialFigure,
    Organisation,
    PolicyLevel,
    Sector,
)

from . import structured_data as ld
from .charts import all_charts, level_chart
from .export import csv_response, json_response
from .maps import build_map

PAGE_SIZE = 24


@require_safe
@vary_on_headers("Accept-Language", "Cookie")
def choose_language(request):
    """``/`` sends the visitor to /fr/ or /en/ from their browser's languages."""
    language = translation.get_language_from_request(request)
    with translation.override(language):
        return HttpResponseRedirect(reverse("guide:home"))


@require_safe
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap-index"))
    return HttpResponse(
        f"User-agent: *\nDisallow: /admin/\n\nSitemap: {sitemap}\n",
        content_type="text/plain; charset=utf-8",
    )


@require_safe
def home(request):
    counts = published_counts()
    types = with_published_counts(ClusterType.objects.all(), counts)
    sectors = with_published_counts(Sector.objects.all(), counts)
    headline = headline_figures()
    for cluster_type in types:
        cluster_type.headline_figure = headline.get(cluster_type.pk)
    regions = regions_in_order(counts)
    return render(
        request,
        "guide/home.html",
        {
            "levels": [(level, [t for t in types if t.level == level]) for level in PolicyLevel],
            "sector_families": [
                (family, [s for s in sectors if s.family == family]) for family in Sector.Family
            ],
            # Calls a visitor can still answer before a known deadline; the
            # funding routes open all year are on the calls page.
            "open_calls": CallForProposals.objects.published()
            .open_on()
            .filter(closes_on__isnull=False)
            .select_related("funder")
            .by_status()[:6],
            "cluster_count": sum(t.cluster_count for t in types),
            "region_count": sum(1 for region in regions if region.cluster_count),
            "overseas_count": counts.clusters_in_any_region(
                region.pk for region in regions if region.is_overseas
            ),
            "types": types,
            "level_chart": level_chart(types),
            "regions": regions,
            "map": build_map(
                (r.slug, r.name, r.insee_code, r.cluster_count, r.get_absolute_url())
                for r in regions
            ),
            "ecosystem_figures": OfficialFigure.objects.filter(cluster_type__isnull=True),
            "json_ld": [ld.web_site(request, search=True)],
        },
    )


@require_safe
def cluster_list(request):
    filterset = ClusterFilter(
        request.GET, queryset=Cluster.objects.published().select_related("cluster_type")
    )
    if filterset.is_valid() and filterset.form.cleaned_data.get("q"):
        # A search: facets and results from one pass over the matches.
        facets, ids = search_results(filterset)
        page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
        found = Cluster.objects.filter(pk__in=page.object_list).select_related("cluster_type")
        found = {cluster.pk: cluster for cluster in found}
        page.object_list = [found[pk] for pk in page.object_list]
        hints = _search_hints(request, filterset, facets, len(ids))
    else:
        hints = {}
        facets = directory_facets(filterset)
        paginator = Paginator(filterset.qs, PAGE_SIZE)
        paginator.count = result_count(facets)  # no COUNT query
        page = paginator.get_page(request.GET.get("page"))
    page.object_list = with_region_names(page.object_list)
    return render(
        request,
        "guide/cluster_list.html",
        {
            "filter": filterset,
            "page": page,
            "json_ld": [_directory_json_ld(request, filterset, page)],
            "facets": _facet_panels(facets),
            "active_filters": _active_filters(request, filterset, facets),
            "map": build_map(
                (v.slug, v.name, v.code, v.count, _directory_query(request, "region", [v.slug]))
                for v in facets["region"]
            ),
            **hints,
        },
    )


def _directory_json_ld(request, filterset, page) -> dict:
    """The directory as a CollectionPage of the clusters on this page of results."""
    if query := filterset.form.cleaned_data.get("q"):
        name = _("“%(query)s”: search the clusters") % {"query": query}
    else:
        name = _("Directory of clusters")
    clusters = [(cluster.name, cluster.get_absolute_url()) for cluster in page.object_list]
    return ld.collection_page(request, name, clusters, start=page.start_index() or 1)


def _search_hints(request, filterset, facets, found: int) -> dict:
    """For a search: the sectors and regions it names, offered as filters; when it found
    nothing, the closest spelling ("Did you mean …?")."""
    text = filterset.form.cleaned_data["q"]
    named = search.named_facets(text)
    offers = []
    for facet in ("sector", "region"):
        for value in facets[facet]:
            if value.slug in named[facet] and not value.selected:
                params = request.GET.copy()
                for key in ("q", "page"):
                    params.pop(key, None)
                params.setlist(facet, [value.slug])
                offers.append((BY_NAME[facet].label, value.name, f"?{params.urlencode()}"))
    hints = {"facet_offers": offers}
    if not found:
        suggested = search.suggestion(text)
        if suggested:
            hints["suggestion"] = (suggested, _directory_query(request, "q", [suggested]))
    return hints


def _facet_panels(facets) -> list[dict]:
    """The facets as the page shows them, in the registry's order."""
    return [
        {
            "name": facet.name,
            "label": facet.label,
            "values": facets[facet.name],
            # Short facets and those in use start unfolded.
            "open": facet.starts_open or any(v.selected for v in facets[facet.name]),
        }
        for facet in FACETS
        if facet.name in facets
    ]


def _directory_query(request, key, values):
    """The directory's address with ``key`` set to ``values`` (none: removed), page reset."""
    params = request.GET.copy()
    params.pop("page", None)
    params.setlist(key, values)
    query = params.urlencode()
    return f"?{query}" if query else request.path


def _active_filters(request, filterset, facets):
    """Each criterion in use, with the address of the same page without it."""

    def without(key, value=None):
        kept = [v for v in request.GET.getlist(key) if value is not None and v != value]
        return _directory_query(request, key, kept)

    active = []
    if query := filterset.form.cleaned_data.get("q"):
        active.append((filterset.filters["q"].label, query, without("q")))
    for facet in FACETS:
        for value in facets[facet.name]:
            if value.selected:
                active.append((facet.label, value.name, without(facet.name, value.slug)))
    return active


@require_safe
def cluster_detail(request, slug):
    cluster = get_object_or_404(
        Cluster.objects.published()
        .for_listing()
        .prefetch_related(
            "labellings",
            Prefetch("contacts", queryset=Contact.objects.select_related("organisation")),
            Prefetch("events", queryset=Event.objects.published().order_by("-starts_on")),
        ),
        slug=slug,
    )
    calls = (
        CallForProposals.objects.published()
        .open_on()
        .filter(eligible_types=cluster.cluster_type_id)
        .select_related("funder")
        .by_status()
    )
    return render(
        request,
        "guide/cluster_detail.html",
        {
            "cluster": cluster,
            "calls": calls,
            "json_ld": [
                ld.organization(request, cluster),
                ld.breadcrumbs(
                    request,
                    [
                        (_("Directory"), reverse("guide:cluster-list")),
                        (
                            cluster.cluster_type.name,
                            reverse("guide:cluster-list") + f"?type={cluster.cluster_type.slug}",
                        ),
                        (cluster.name, cluster.get_absolute_url()),
                    ],
                ),
            ],
            "link_check": _link_check(cluster.website),
        },
    )


@require_safe
def type_detail(request, slug):
    cluster_type = get_object_or_404(ClusterType.objects.prefetch_related("figures"), slug=slug)
    clusters = (
        cluster_type.clusters.published()
        .select_related("cluster_type")
        .prefetch_related("regions")
        .alphabetical()
    )
    # How many, and how many a label covers this year, in the paginator's one count.
    totals = clusters.aggregate(
        total=Count("pk"),
        labelled=Count("pk", filter=BY_NAME["label"].condition([LabelStatus.LABELLED])),
    )
    paginator = Paginator(clusters, PAGE_SIZE)
    paginator.count = totals["total"]
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for cluster in page.object_list:  # as the directory's cards show them
        cluster.region_names = [region.name for region in cluster.regions.all()]
    return render(
        request,
        "guide/type_detail.html",
        {
            "cluster_type": cluster_type,
            "page": page,
            "labelled_now": totals["labelled"],
            "calls": cluster_type.calls.published().select_related("funder").by_status(),
            "json_ld": [
                ld.collection_page(
                    request,
                    cluster_type.name,
                    [(cluster.name, cluster.get_absolute_url()) for cluster in page.object_list],
                    start=page.start_index() or 1,
                    about=ld.defined_term(request, cluster_type),
                )
            ],
        },
    )


@require_safe
def call_list(request):
    filterset = CallFilter(
        request.GET,
        queryset=CallForProposals.objects.published()
        .select_related("funder")
        .prefetch_related("eligible_types"),
    )
    calls = [(call.title, call.get_absolute_url()) for call in filterset.qs]  # the page's list
    json_ld = [ld.collection_page(request, _("Calls for proposals"), calls)]
    return render(request, "guide/call_list.html", {"filter": filterset, "json_ld": json_ld})


def _link_check(url):
    """The last check of an address the page links to (a query only when there is one)."""
    return LinkCheck.objects.filter(url=url).first() if url else None


# The facets that narrow a call's eligible clusters (their types are the call's).
ELIGIBLE_FACETS = ("sector", "region")


def _published_call(slug):
    return get_object_or_404(
        CallForProposals.objects.published()
        .with_status()
        .select_related("funder")
        .prefetch_related("eligible_types"),
        slug=slug,
    )


def _eligible(request, call) -> ClusterFilter:
    """The published clusters of the call's eligible types, narrowed by the query."""
    types = [cluster_type.pk for cluster_type in call.eligible_types.all()]
    clusters = Cluster.objects.published().filter(cluster_type_id__in=types)
    return ClusterFilter(request.GET, queryset=clusters.select_related("cluster_type"))


@require_safe
def call_detail(request, slug):
    call = _published_call(slug)
    context = {
        "call": call,
        "link_check": _link_check(call.url),
        "json_ld": [
            ld.monetary_grant(request, call),
            ld.breadcrumbs(
                request,
                [
                    (_("Calls for proposals"), reverse("guide:call-list")),
                    (call.title, call.get_absolute_url()),
                ],
            ),
        ],
    }
    if call.eligible_types.all():
        # Who can apply: the start of a consortium.
        filterset = _eligible(request, call)
        facets = facet_counts(filterset, ELIGIBLE_FACETS)
        page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = with_region_names(page.object_list)
        context.update(filter=filterset, facets=_facet_panels(facets), page=page)
    return render(request, "guide/call_detail.html", context)


@require_safe
def call_eligible_export(request, slug):
    """The call's shortlist of eligible clusters, as on its page, in CSV."""
    call = _published_call(slug)
    filename = f"eligible-{call.slug}-{translation.get_language()}"
    ids = list(_eligible(request, call).qs.values_list("pk", flat=True))
    return csv_response(ids, request, filename)


@require_safe
def contacts(request):
    organisations = Organisation.objects.alphabetical().prefetch_related(
        Prefetch(
            "contacts",
            queryset=Contact.objects.filter(cluster__isnull=True),
        )
    )
    groups = [(kind, [o for o in organisations if o.kind == kind]) for kind in Organisation.Kind]
    groups = [(kind, orgs) for kind, orgs in groups if orgs]
    shown = [(o.name, o.get_absolute_url()) for _kind, orgs in groups for o in orgs]
    return render(
        request,
        "guide/contacts.html",
        {
            "groups": groups,
            "json_ld": [ld.collection_page(request, _("Contacts and useful organisations"), shown)],
        },
    )


@require_safe
def figures(request):
    charts = all_charts()
    return render(
        request,
        "guide/figures.html",
        {
            "charts": charts,
            "official_figures": OfficialFigure.objects.select_related("cluster_type"),
            "json_ld": [
                ld.web_page(
                    request, _("Key figures"), mainEntity=ld.figures_dataset(request, charts)
                )
            ],
        },
    )


@require_safe
def figures_csv(request, chart):
    charts = {c.slug: c for c in all_charts()}
    if chart not in charts:
        raise Http404
    response = HttpResponse(charts[chart].csv(), content_type="text/csv; charset=utf-8")
    language = translation.get_language()
    response["Content-Disposition"] = f'attachment; filename="clusters-{chart}-{language}.csv"'
    return response


@require_safe
def open_data(request):
    """How to reuse the guide's data: files, feeds, API, catalogue and licence."""
    changed_at = content_version.changed_at()
    dataset = ld.open_dataset(request, changed_at)
    return render(
        request,
        "guide/open_data.html",
        {
            "changed_at": changed_at,
            "licence_url": ld.LICENCE_URL,
            "json_ld": [ld.web_page(request, _("Open data"), mainEntity=dataset)],
        },
    )


@require_safe
def event_list(request):
    filterset = EventFilter(
        request.GET,
        queryset=Event.objects.published().select_related("organiser").prefetch_related("clusters"),
    )
    events = list(filterset.qs.in_calendar_order())
    upcoming = [event for event in events if not event.is_past]
    past = [event for event in events if event.is_past]
    next_event = None
    if not upcoming and filterset.form.has_changed():
        # Nothing ahead among the filtered events: the next one of all, if any.
        next_event = Event.objects.published().in_calendar_order().filter(is_past=False).first()
    shown = [(event.title, event.get_absolute_url()) for event in upcoming + past]
    return render(
        request,
        "guide/event_list.html",
        {
            "filter": filterset,
            "upcoming": upcoming,
            "past": past,
            "next_event": next_event,
            "json_ld": [ld.collection_page(request, _("Events of the cluster network"), shown)],
        },
    )


@require_safe
def event_detail(request, slug):
    event = get_object_or_404(
        Event.objects.published()
        .select_related("organiser")
        .prefetch_related(Prefetch("clusters", queryset=Cluster.objects.published())),
        slug=slug,
    )
    trail = [(_("Events"), reverse("guide:event-list")), (event.title, event.get_absolute_url())]
    return render(
        request,
        "guide/event_detail.html",
        {
            "event": event,
            "link_check": _link_check(event.url),
            "json_ld": [ld.event(request, event), ld.breadcrumbs(request, trail)],
        },
    )


@require_safe
def cluster_export(request, file_format):
    """The directory's current results as open data (CSV or JSON), streamed."""
    filterset = ClusterFilter(request.GET, queryset=Cluster.objects.published())
    ids = result_ids(filterset)
    filename = f"clusters-{translation.get_language()}"
    if file_format == "csv":
        return csv_response(ids, request, filename)
    return json_response(ids, request, filename)


@require_safe
def healthz(request):
    """A constant answer through the normal middleware, for load balancers and benchmarks."""
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


# The trust pages: what the accessibility statement, the legal notice and the
# personal data page say about the publisher comes from the settings.


@require_safe
def accessibility(request):
    return render(
        request,
        "guide/trust/accessibility.html",
        {
            "publisher": settings.LEGAL_PUBLISHER,
            "contact_email": settings.CONTACT_EMAIL,
            "statement_date": settings.ACCESSIBILITY_STATEMENT_DATE,
        },
    )


@require_safe
def legal(request):
    return render(
        request,
        "guide/trust/legal.html",
        {
            "publisher": settings.LEGAL_PUBLISHER,
            "publisher_address": settings.LEGAL_PUBLISHER_ADDRESS,
            "director": settings.LEGAL_DIRECTOR,
            "host": settings.LEGAL_HOST,
            "host_address": settings.LEGAL_HOST_ADDRESS,
            "contact_email": settings.CONTACT_EMAIL,
        },
    )


@require_safe
def privacy(request):
    return render(
        request,
        "guide/trust/privacy.html",
        {
            "publisher": settings.LEGAL_PUBLISHER,
            "publisher_address": settings.LEGAL_PUBLISHER_ADDRESS,
            "host": settings.LEGAL_HOST,
            "privacy_email": settings.PRIVACY_EMAIL,
            "policy_date": settings.PRIVACY_POLICY_DATE,
        },
    )


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request):
    """``/favicon.ico``, where browsers look for the icon of any page, the admin's too."""
    icon = settings.BASE_DIR / "static" / "favicon.ico"
    return HttpResponse(icon.read_bytes(), content_type="image/vnd.microsoft.icon")
