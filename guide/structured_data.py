"""schema.org data (JSON-LD) that the pages give search engines.

One small function per schema.org type. They build their data from objects the
view has already loaded, and never query the database themselves (the pages'
query counts are pinned by the tests). A view passes its page's data to the
template as ``json_ld``: a list of top-level nodes, each with its own
``@context``. base.html prints it; a page whose view passes nothing gets a
plain ``web_page()`` built from its title.

Only what the page itself shows goes in: no contact person's details, ever.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from directory.models import DatePrecision

CONTEXT = "https://schema.org"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
PUBLISHER_NAME = "CACIMA"


def _url(request, path):
    return request.build_absolute_uri(path)


def _language():
    return translation.get_language()


def iso_date(value, precision=DatePrecision.DAY):
    """``value`` in ISO 8601, as precisely as it is known ("2016", "2026-06", "2026-06-17");
    None when only a date it came before is known (DatePrecision.BEFORE)."""
    if value is None or precision == DatePrecision.BEFORE:
        return None
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def publisher(request):
    """The CACIMA, which edits and publishes the guide."""
    return {
        "@type": "Organization",
        "@id": _url(request, "/#publisher"),
        "name": PUBLISHER_NAME,
        "legalName": settings.LEGAL_PUBLISHER,
        "address": settings.LEGAL_PUBLISHER_ADDRESS,
    }


def web_site(request, search=False):
    """The guide as a WebSite, in the page's language; with ``search``, how to search it."""
    home = _url(request, reverse("guide:home"))
    data = {
        "@type": "WebSite",
        "@id": f"{home}#website",
        "name": _("Guide to French clusters"),
        "url": home,
        "inLanguage": _language(),
    }
    if search:
        directory = _url(request, reverse("guide:cluster-list"))
        data = {
            "@context": CONTEXT,
            **data,
            "publisher": publisher(request),
            "potentialAction": {
                "@type": "SearchAction",
                "target": f"{directory}?q={{search_term_string}}",
                "query-input": "required name=search_term_string",
            },
        }
    return data


def web_page(request, name, page_type="WebPage", full_path=False, **fields):
    """A page of the guide: its name (its title), address and language, part of the WebSite."""
    path = request.get_full_path() if full_path else request.path
    return {
        "@context": CONTEXT,
        "@type": page_type,
        "name": str(name),
        "url": _url(request, path),
        "inLanguage": _language(),
        "isPartOf": web_site(request),
        **fields,
    }


def item_list(request, items, start=1):
    """An ItemList of ``items``, (name, path) pairs in the order the page shows them;
    ``start`` is the first one's position (a later page of results starts further on)."""
    items = list(items)
    return {
        "@type": "ItemList",
        "numberOfItems": len(items),
        "itemListElement": [
            {"@type": "ListItem", "position": position, "url": _url(request, path), "name": name}
            for position, (name, path) in enumerate(items, start=start)
        ],
    }


def collection_page(request, name, items, start=1, **fields):
    """A page listing things: its ``items`` ((name, path) pairs) as its main entity."""
    return web_page(
        request,
        name,
        page_type="CollectionPage",
        full_path=True,  # the filters in use are part of what it lists
        mainEntity=item_list(request, items, start),
        **fields,
    )


def breadcrumbs(request, trail):
    """A BreadcrumbList: the visible breadcrumb's (name, path) links, then the page itself."""
    return {
        "@context": CONTEXT,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": str(name),
                "item": _url(request, path),
            }
            for position, (name, path) in enumerate(trail, start=1)
        ],
    }


def _organisation(request, organisation):
    """An organisation of the contacts page: its public name and address only."""
    data = {
        "@type": "Organization",
        "name": organisation.name,
        "url": _url(request, organisation.get_absolute_url()),
    }
    if organisation.acronym:
        data["alternateName"] = organisation.acronym
    if organisation.website:
        data["sameAs"] = [organisation.website]
    return data


def organization(request, cluster):
    """schema.org Organization data for search engines."""
    data = {
        "@context": CONTEXT,
        "@type": "Organization",
        "name": cluster.name,
        "url": request.build_absolute_uri(cluster.get_absolute_url()),
        "description": cluster.description,
        "areaServed": [region.name for region in cluster.regions.all()],
        "knowsAbout": [sector.name for sector in cluster.sectors.all()],
    }
    if cluster.acronym:
        data["alternateName"] = cluster.acronym
    if cluster.website:
        data["sameAs"] = [cluster.website]
    if cluster.email:
        data["email"] = cluster.email
    if cluster.phone:
        data["telephone"] = cluster.phone
    if cluster.founded_year:
        data["foundingDate"] = str(cluster.founded_year)
    if cluster.city:
        data["address"] = {
            "@type": "PostalAddress",
            "addressLocality": cluster.city,
            "addressCountry": "FR",
        }
    return data


def event(request, event):
    """An Event of the cluster network, its dates as precisely as they are known."""
    data = {
        "@context": CONTEXT,
        "@type": "Event",
        "name": event.title,
        "description": event.description,
        "url": _url(request, event.get_absolute_url()),
        "inLanguage": _language(),
    }
    starts = iso_date(event.starts_on, event.date_precision)
    if starts:
        data["startDate"] = starts
        data["endDate"] = iso_date(event.ends_on or event.starts_on, event.date_precision)
    if event.city or event.country:
        address = {"@type": "PostalAddress"}
        if event.city:
            address["addressLocality"] = event.city
        if event.country:
            address["addressCountry"] = event.country
        place = ", ".join(part for part in (event.city, event.country) if part)
        data["location"] = {"@type": "Place", "name": place, "address": address}
    if event.organiser:
        data["organizer"] = _organisation(request, event.organiser)
    if event.url:
        data["sameAs"] = [event.url]
    return data


def monetary_grant(request, call):
    """A call for proposals as a MonetaryGrant: who funds it, and when it can be answered."""
    amount = {"@type": "MonetaryAmount", "currency": "EUR"}
    opens = iso_date(call.opens_on, call.opens_precision)
    closes = iso_date(call.closes_on, call.closes_precision)
    if opens:
        amount["validFrom"] = opens
    if closes:
        amount["validThrough"] = closes
    if call.budget_eur is not None:
        amount["value"] = int(call.budget_eur)
    data = {
        "@context": CONTEXT,
        "@type": "MonetaryGrant",
        "name": call.title,
        "description": call.description,
        "url": _url(request, call.get_absolute_url()),
        "inLanguage": _language(),
        "amount": amount,
    }
    if call.funder:
        data["funder"] = _organisation(request, call.funder)
    if call.url:
        data["sameAs"] = [call.url]
    return data


def defined_term(request, cluster_type):
    """A type of cluster, as a term of the guide's vocabulary."""
    return {
        "@type": "DefinedTerm",
        "name": cluster_type.name,
        "description": cluster_type.summary,
        "termCode": cluster_type.slug,
        "url": _url(request, cluster_type.get_absolute_url()),
    }


def data_download(request, name, path, encoding_format):
    """One file of a Dataset."""
    return {
        "@type": "DataDownload",
        "name": str(name),
        "encodingFormat": encoding_format,
        "contentUrl": _url(request, path),
    }


def dataset(request, name, description, distribution, **fields):
    """A Dataset of the guide under the Licence Ouverte 2.0, by the CACIMA."""
    return {
        "@type": "Dataset",
        "name": str(name),
        "description": str(description),
        "url": _url(request, request.path),
        "license": LICENCE_URL,
        "isAccessibleForFree": True,
        "creator": publisher(request),
        "publisher": publisher(request),
        "inLanguage": _language(),
        "distribution": distribution,
        **fields,
    }


def figures_dataset(request, charts):
    """The key figures: one CSV file per chart."""
    return dataset(
        request,
        _("Key figures of the Guide to French clusters"),
        _(
            "The guide's clusters counted per type, policy level, sector and region, "
            "the clusters labelled each year, and the programmes' official figures."
        ),
        [
            data_download(
                request, chart.title, reverse("guide:figures-csv", args=[chart.slug]), "text/csv"
            )
            for chart in charts
        ],
    )


def open_dataset(request, changed_at):
    """The guide's open data: the directory's exports and the catalogue for harvesters."""
    data = dataset(
        request,
        _("Guide to French clusters: open data"),
        _(
            "French clusters (competitiveness clusters, business clusters, craft innovation "
            "centres, PTCE, regional and private clusters), their calls for proposals and "
            "events, in French and English, edited by the CACIMA."
        ),
        [
            data_download(
                request, _("Directory of clusters (CSV)"), reverse("guide:export-csv"), "text/csv"
            ),
            data_download(
                request,
                _("Directory of clusters (JSON)"),
                reverse("guide:export-json"),
                "application/json",
            ),
            data_download(
                request,
                _("DCAT-AP catalogue (Turtle)"),
                reverse("opendata:catalog-ttl"),
                "text/turtle",
            ),
            data_download(
                request,
                _("DCAT-AP catalogue (JSON-LD)"),
                reverse("opendata:catalog-jsonld"),
                "application/ld+json",
            ),
        ],
        inLanguage=["fr", "en"],
        spatialCoverage={
            "@type": "Place",
            "name": _("France (mainland and overseas, Saint-Pierre-et-Miquelon included)"),
        },
    )
    if changed_at:
        data["dateModified"] = changed_at.isoformat(timespec="seconds")
    return data
