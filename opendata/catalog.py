"""The guide's open data described as a DCAT-AP 3.0.0 catalogue (an rdflib graph).

What it says
    One ``dcat:Catalog`` published by CACIMA, four datasets (the clusters, the
    calls for proposals, the events, the key figures), each with one
    distribution per file and language (the exports, feeds and CSV files live
    under /fr/ and /en/ and their content is in that language) plus the read
    API's list where there is one, and the API itself as a ``dcat:DataService``.

Addresses
    Every node has an absolute IRI under the site, a fragment of the Turtle
    document (``<site>/catalog.ttl#clusters``, ``#clusters-csv-fr``, ``#api``...):
    stable, the same in both serialisations, and never a blank node, so a
    harvester can follow a dataset or a distribution from one harvest to the
    next. Download and access URLs are the guide's own addresses, absolute.

Controlled vocabularies (the ones DCAT-AP names, so harvesters such as
data.gouv.fr and data.europa.eu show them as they are)
    - the EU Publications Office authority tables: languages (FRA, ENG),
      countries for ``dct:spatial`` (FRA, and each overseas region and
      collectivity the guide covers: GLP, MTQ, GUF, REU, MYT, SPM, BLM, MAF,
      WLF, PYF, NCL), frequency (CONT: an edit saved by staff is in every
      export at once; there is no schedule), data themes (ECON), file types
      (CSV, JSON, ATOM, ICS), planned availability (STABLE) and access rights
      (PUBLIC);
    - IANA media types for ``dcat:mediaType``;
    - ADMS: the publisher type (LocalAuthority: CACIMA is the territorial
      chamber of Saint-Pierre-et-Miquelon; ADMS has no value for a public
      chamber of commerce) and the licence type (Attribution).

Licence
    Licence Ouverte / Open Licence 2.0 (Etalab). The EU licence table has no
    entry for it that we could check, so its IRI is SPDX's identifier
    (``http://spdx.org/licenses/etalab-2.0``), described as a
    ``dct:LicenseDocument`` with its labels and Etalab's page.

Class declarations
    The shapes check the class at the end of each property (``range.ttl``)
    without any inference, so the catalogue states the class of every IRI it
    uses, the vocabularies' included (``dct:LinguisticSystem``,
    ``dct:Location``, ``dct:Frequency``, ``dct:MediaTypeOrExtent``,
    ``dct:MediaType``, ``dct:LicenseDocument``, ``skos:Concept`` with a
    ``skos:prefLabel``...), as catalogues in the wild do. The places carry an
    approximate bounding box and centre (WKT, longitude then latitude, to
    about 0.1 degree; FRA's is metropolitan France's), which DCAT-AP recommends.

Dates
    ``dct:modified`` is the content version's time (the last edit of any
    kind), except on the figures' introductions file, counted from the inbox,
    which no content edit dates. ``dct:issued`` of the catalogue is the day it
    was first published (``ISSUED``). ``dct:temporal``: see ``_periods()``.

Reads
    The content version (one single-row query, shared with the response's
    ETag and Last-Modified) and three aggregate queries for the datasets' time
    spans; nothing loops over the content. The view keeps the serialised
    document until the content changes.
"""

import datetime

from django.conf import settings
from django.db.models import Max, Min
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, GEO, RDF, RDFS, SKOS

from directory import content_version
from directory.models import CallForProposals, Event, Labelling

DCATAP = Namespace("http://data.europa.eu/r5r/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")

PREFIXES = {
    "dcat": DCAT,
    "dct": DCTERMS,
    "dcatap": DCATAP,
    "foaf": FOAF,
    "vcard": VCARD,
    "skos": SKOS,
    "rdfs": RDFS,
    "gsp": GEO,
    "xsd": Namespace("http://www.w3.org/2001/XMLSchema#"),
}

LANGUAGES = ("fr", "en")
EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"

LANGUAGE = {"fr": URIRef(EU + "language/FRA"), "en": URIRef(EU + "language/ENG")}
THEME_SCHEME = URIRef(EU + "data-theme")
ECONOMY = URIRef(EU + "data-theme/ECON")
CONTINUOUS = URIRef(EU + "frequency/CONT")
STABLE = URIRef(EU + "planned-availability/STABLE")
PUBLIC = URIRef(EU + "access-right/PUBLIC")

LICENCE = URIRef("http://spdx.org/licenses/etalab-2.0")
LICENCE_PAGE = URIRef("https://www.etalab.gouv.fr/licence-ouverte-open-licence/")
ATTRIBUTION = URIRef("http://purl.org/adms/licencetype/Attribution")
LOCAL_AUTHORITY = URIRef("http://purl.org/adms/publishertype/LocalAuthority")

# When this catalogue was first published (dct:issued of the catalogue).
ISSUED = datetime.date(2026, 12, 5)

# France and the overseas regions and collectivities the guide covers (the EU
# country table), each with an approximate bounding box (west, south, east,
# north) and centre, in degrees of longitude and latitude.
PLACES = {
    "FRA": ((-5.15, 41.33, 9.57, 51.09), (2.21, 46.23)),  # metropolitan France
    "GLP": ((-61.81, 15.83, -61.0, 16.52), (-61.55, 16.25)),
    "MTQ": ((-61.23, 14.39, -60.81, 14.88), (-61.02, 14.64)),
    "GUF": ((-54.6, 2.11, -51.62, 5.78), (-53.13, 3.93)),
    "REU": ((55.21, -21.39, 55.84, -20.87), (55.54, -21.12)),
    "MYT": ((45.01, -13.0, 45.3, -12.63), (45.15, -12.83)),
    "SPM": ((-56.42, 46.74, -56.12, 47.15), (-56.33, 46.95)),
    "BLM": ((-62.95, 17.87, -62.79, 17.97), (-62.83, 17.9)),
    "MAF": ((-63.15, 18.05, -62.97, 18.13), (-63.06, 18.07)),
    "WLF": ((-178.21, -14.36, -176.12, -13.18), (-177.17, -13.77)),
    "PYF": ((-154.8, -28.0, -134.4, -7.8), (-149.4, -17.7)),
    "NCL": ((163.5, -22.9, 168.2, -19.5), (165.6, -21.3)),
}

# Each kind of distribution: its file type (EU table), media type (IANA), short
# name (for titles) and what it is (for descriptions).
FORMATS = {
    "csv": ("CSV", "text/csv", "CSV", {"fr": "fichier CSV", "en": "CSV file"}),
    "json": ("JSON", "application/json", "JSON", {"fr": "fichier JSON", "en": "JSON file"}),
    "atom": ("ATOM", "application/atom+xml", "Atom", {"fr": "flux Atom", "en": "Atom feed"}),
    "ics": (
        "ICS",
        "text/calendar",
        "iCalendar",
        {"fr": "calendrier iCalendar", "en": "iCalendar file"},
    ),
}
# The standards a feed follows (dct:conformsTo).
STANDARDS = {
    "atom": ("https://www.rfc-editor.org/rfc/rfc4287", "Atom (RFC 4287)"),
    "ics": ("https://www.rfc-editor.org/rfc/rfc5545", "iCalendar (RFC 5545)"),
}
LANGUAGE_NAMES = {
    "fr": {"fr": "français", "en": "French"},
    "en": {"fr": "anglais", "en": "English"},
}

# The figures page's CSV files: guide/charts.py's slugs and titles (a test keeps them in step).
CHARTS = {
    "types": {"fr": "Clusters par type", "en": "Clusters per type"},
    "levels": {"fr": "Clusters par niveau de politique", "en": "Clusters per policy level"},
    "sectors": {"fr": "Clusters par secteur", "en": "Clusters per sector"},
    "regions": {
        "fr": "Clusters par région, outre-mer compris",
        "en": "Clusters per region, overseas included",
    },
    "labelling": {"fr": "Clusters labellisés par année", "en": "Clusters labelled per year"},
    "introductions": {
        "fr": "Demandes de mise en relation par mois",
        "en": "Introduction requests per month",
    },
}
# Counted from the inbox, not the guide's content: the content version's time
# is not its modification date.
NOT_CONTENT = {"introductions"}

CATALOG = {
    "title": {
        "fr": "Guide des clusters français – données ouvertes",
        "en": "Guide to French clusters – open data",
    },
    "description": {
        "fr": "Les données ouvertes du Guide des clusters français publié par la CACIMA : "
        "les clusters de métropole et d'outre-mer, les appels à projets qui leur sont "
        "ouverts, les événements de leur réseau et les chiffres clés, en français et en "
        "anglais, sous Licence Ouverte 2.0.",
        "en": "The open data of the Guide to French clusters published by CACIMA: the "
        "clusters of metropolitan and overseas France, the calls for proposals open to "
        "them, the events of their network and the key figures, in French and English, "
        "under the Licence Ouverte 2.0 (Open Licence).",
    },
}

DATASETS = {
    "clusters": {
        "title": {"fr": "Clusters français", "en": "French clusters"},
        "description": {
            "fr": "Les clusters du guide, en métropole et outre-mer : pôles de compétitivité, "
            "grappes d'entreprises, pôles d'innovation pour l'artisanat, PTCE, clusters "
            "régionaux et privés, avec leur type, leurs secteurs, leurs régions, leurs "
            "coordonnées publiques, leur historique de labellisation et leurs sources.",
            "en": "The guide's clusters, in metropolitan and overseas France: competitiveness "
            "clusters, business clusters, innovation centres for crafts, PTCE, regional and "
            "private clusters, with their type, sectors, regions, public contact details, "
            "label history and sources.",
        },
        "keywords": {
            "fr": [
                "clusters",
                "pôles de compétitivité",
                "grappes d'entreprises",
                "PTCE",
                "innovation",
                "développement économique",
                "outre-mer",
            ],
            "en": [
                "clusters",
                "competitiveness clusters",
                "business clusters",
                "PTCE",
                "innovation",
                "economic development",
                "overseas France",
            ],
        },
        "page": "guide:cluster-list",
    },
    "calls": {
        "title": {
            "fr": "Appels à projets pour les clusters",
            "en": "Calls for proposals for clusters",
        },
        "description": {
            "fr": "Les appels à projets et appels à labellisation ouverts aux clusters : "
            "financeur, types de clusters éligibles, dates d'ouverture et de clôture, budget, "
            "lien vers l'appel.",
            "en": "The funding and labelling calls open to clusters: funder, eligible cluster "
            "types, opening and closing dates, budget, link to the call.",
        },
        "keywords": {
            "fr": ["appels à projets", "financement", "labellisation", "clusters"],
            "en": ["calls for proposals", "funding", "labelling", "clusters"],
        },
        "page": "guide:call-list",
    },
    "events": {
        "title": {"fr": "Événements du réseau des clusters", "en": "Events of the cluster network"},
        "description": {
            "fr": "Les rencontres du réseau des clusters français, en France et à l'étranger : "
            "conventions, congrès, formations, voyages d'études, forums et salons, avec "
            "leurs dates, leur lieu, leur organisateur et les clusters participants.",
            "en": "The gatherings of the French cluster network, in France and abroad: "
            "conventions, summits, training days, study tours, forums and trade fairs, with "
            "their dates, place, organiser and the clusters taking part.",
        },
        "keywords": {
            "fr": ["événements", "salons", "formation", "voyages d'études", "clusters"],
            "en": ["events", "trade fairs", "training", "study tours", "clusters"],
        },
        "page": "guide:event-list",
    },
    "figures": {
        "title": {"fr": "Chiffres clés des clusters", "en": "Key figures on clusters"},
        "description": {
            "fr": "Les tableaux des graphiques de la page des chiffres clés : clusters par "
            "type, niveau de politique, secteur, région et année de labellisation (à côté "
            "des chiffres officiels des programmes), demandes de mise en relation par mois.",
            "en": "The tables behind the key figures page's charts: clusters per type, policy "
            "level, sector, region and labelling year (beside the programmes' official "
            "figures), introduction requests per month.",
        },
        "keywords": {
            "fr": ["chiffres clés", "statistiques", "clusters", "labellisation"],
            "en": ["key figures", "statistics", "clusters", "labelling"],
        },
        "page": "guide:figures",
    },
}

SERVICE = {
    "title": {
        "fr": "API de lecture du Guide des clusters français",
        "en": "Read API of the Guide to French clusters",
    },
    "description": {
        "fr": "API JSON en lecture seule : clusters, types, secteurs, régions, appels à "
        "projets, événements et organisations, en français et en anglais, paginée, avec "
        "ETag et Last-Modified. Décrite par un document OpenAPI.",
        "en": "Read-only JSON API: clusters, types, sectors, regions, calls for proposals, "
        "events and organisations, in French and English, paged, with ETag and "
        "Last-Modified. Described by an OpenAPI document.",
    },
    "keywords": {
        "fr": ["API", "clusters", "données ouvertes"],
        "en": ["API", "clusters", "open data"],
    },
}
API_LISTS = {"clusters": "api:cluster-list", "calls": "api:call-list", "events": "api:event-list"}


def build_catalog(request) -> Graph:
    """The catalogue, its addresses made absolute from ``request``."""
    return _Catalog(request).graph


def serialize(graph: Graph, file_format: str) -> str:
    """Turtle, or JSON-LD compacted with the prefixes (it parses back to the same graph)."""
    if file_format == "json-ld":
        context = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
        return graph.serialize(format="json-ld", context=context, indent=2)
    return graph.serialize(format="turtle")


class _Catalog:
    def __init__(self, request):
        self.request = request
        self.graph = Graph(bind_namespaces="none")
        for prefix, namespace in PREFIXES.items():
            self.graph.bind(prefix, namespace)
        self.base = request.build_absolute_uri(reverse("opendata:catalog-ttl"))
        changed_at = content_version.changed_at()
        self.modified = Literal(changed_at.replace(microsecond=0)) if changed_at else None
        self.periods = _periods(changed_at)
        self.publisher = self.node("publisher")
        self.contact = self.node("contact")
        self.service = self.node("api")
        self.build()

    # Helpers

    def node(self, name) -> URIRef:
        return URIRef(f"{self.base}#{name}")

    def url(self, name, language=None, **kwargs) -> URIRef:
        """The absolute address of URL ``name``; in ``language`` for the guide's pages."""
        if language:
            with translation.override(language):
                path = reverse(name, kwargs=kwargs or None)
        else:
            path = reverse(name, kwargs=kwargs or None)
        return URIRef(self.request.build_absolute_uri(path))

    def add(self, subject, predicate, *objects):
        for value in objects:
            self.graph.add((subject, predicate, value))

    def text(self, subject, predicate, texts):
        """One literal per language: ``texts`` is {"fr": ..., "en": ...} of strings or lists."""
        for language, values in texts.items():
            for value in [values] if isinstance(values, str) else values:
                self.add(subject, predicate, Literal(value, lang=language))

    def typed(self, iri, *classes, label=None) -> URIRef:
        """A vocabulary's IRI with its classes (and the prefLabel a skos:Concept needs)."""
        self.add(iri, RDF.type, *classes)
        if label:
            self.add(iri, SKOS.prefLabel, Literal(label, lang="en"))
        return iri

    def document(self, iri) -> URIRef:
        return self.typed(iri, FOAF.Document)

    def common(self, subject):
        """What the catalogue, its datasets and its service share."""
        self.add(subject, DCTERMS.publisher, self.publisher)
        self.add(subject, DCTERMS.license, LICENCE)
        if self.modified is not None:
            self.add(subject, DCTERMS.modified, self.modified)

    # The parts

    def build(self):
        catalog = self.node("catalog")
        self.add(catalog, RDF.type, DCAT.Catalog)
        self.text(catalog, DCTERMS.title, CATALOG["title"])
        self.text(catalog, DCTERMS.description, CATALOG["description"])
        self.common(catalog)
        self.add(catalog, DCTERMS.issued, Literal(ISSUED))
        self.add(catalog, DCAT.contactPoint, self.contact)
        self.add(catalog, DCTERMS.language, *self.languages())
        self.add(catalog, DCTERMS.spatial, *self.places())
        self.add(catalog, FOAF.homepage, self.document(self.url("root")))
        self.add(catalog, DCAT.themeTaxonomy, THEME_SCHEME)
        self.add(THEME_SCHEME, RDF.type, SKOS.ConceptScheme)
        self.add(THEME_SCHEME, DCTERMS.title, Literal("Data theme", lang="en"))

        self.add(self.publisher, RDF.type, FOAF.Agent, FOAF.Organization)
        self.add(self.publisher, FOAF.name, Literal(settings.LEGAL_PUBLISHER))
        self.add(self.publisher, DCTERMS.type, LOCAL_AUTHORITY)
        self.typed(LOCAL_AUTHORITY, SKOS.Concept, label="Local Authority")
        self.add(LOCAL_AUTHORITY, SKOS.inScheme, URIRef("http://purl.org/adms/publishertype/1.0"))

        self.add(self.contact, RDF.type, VCARD.Kind, VCARD.Organization)
        self.add(self.contact, VCARD.fn, Literal(settings.LEGAL_PUBLISHER))
        self.add(self.contact, VCARD.hasEmail, URIRef(f"mailto:{settings.CONTACT_EMAIL}"))

        self.add(LICENCE, RDF.type, DCTERMS.LicenseDocument)
        self.add(LICENCE, RDFS.label, Literal("Licence Ouverte 2.0", lang="fr"))
        self.add(LICENCE, RDFS.label, Literal("Open Licence 2.0", lang="en"))
        self.add(LICENCE, DCTERMS.type, ATTRIBUTION)
        self.add(LICENCE, FOAF.page, self.document(LICENCE_PAGE))
        self.typed(ATTRIBUTION, SKOS.Concept, label="Attribution")
        self.add(ATTRIBUTION, SKOS.inScheme, URIRef("http://purl.org/adms/licencetype/1.0"))

        self.typed(ECONOMY, SKOS.Concept, label="Economy and finance")
        self.add(ECONOMY, SKOS.inScheme, THEME_SCHEME)
        self.typed(CONTINUOUS, DCTERMS.Frequency)
        self.typed(STABLE, SKOS.Concept, label="Stable")
        self.typed(PUBLIC, DCTERMS.RightsStatement)

        for name in DATASETS:
            self.add(catalog, DCAT.dataset, self.dataset(name))
        self.add(catalog, DCAT.service, self.data_service())

    def languages(self):
        for iri in LANGUAGE.values():
            self.typed(iri, DCTERMS.LinguisticSystem)
        return LANGUAGE.values()

    def places(self):
        iris = []
        for code, ((west, south, east, north), (x, y)) in PLACES.items():
            iri = self.typed(URIRef(f"{EU}country/{code}"), DCTERMS.Location)
            corners = [(west, south), (east, south), (east, north), (west, north), (west, south)]
            box = "POLYGON((" + ", ".join(f"{lon} {lat}" for lon, lat in corners) + "))"
            self.add(iri, DCAT.bbox, Literal(box, datatype=GEO.wktLiteral))
            self.add(iri, DCAT.centroid, Literal(f"POINT({x} {y})", datatype=GEO.wktLiteral))
            iris.append(iri)
        return iris

    def dataset(self, name) -> URIRef:
        spec = DATASETS[name]
        dataset = self.node(name)
        self.add(dataset, RDF.type, DCAT.Dataset)
        self.add(dataset, DCTERMS.identifier, Literal(str(dataset)))
        self.text(dataset, DCTERMS.title, spec["title"])
        self.text(dataset, DCTERMS.description, spec["description"])
        self.text(dataset, DCAT.keyword, spec["keywords"])
        self.common(dataset)
        self.add(dataset, DCAT.contactPoint, self.contact)
        self.add(dataset, DCTERMS.language, *self.languages())
        self.add(dataset, DCTERMS.spatial, *self.places())
        self.add(dataset, DCTERMS.accrualPeriodicity, CONTINUOUS)
        self.add(dataset, DCTERMS.accessRights, PUBLIC)
        self.add(dataset, DCAT.theme, ECONOMY)
        for language in LANGUAGES:
            self.add(dataset, DCAT.landingPage, self.document(self.url(spec["page"], language)))
            # How to reuse it: the open-data page (exports, API, licence).
            self.add(dataset, FOAF.page, self.document(self.url("guide:open-data", language)))
        period = self.periods.get(name)
        if period:
            node = self.node(f"{name}-period")
            self.add(dataset, DCTERMS.temporal, node)
            self.add(node, RDF.type, DCTERMS.PeriodOfTime)
            self.add(node, DCAT.startDate, Literal(period[0]))
            self.add(node, DCAT.endDate, Literal(period[1]))
        for distribution in self.distributions(name):
            self.add(dataset, DCAT.distribution, distribution)
        return dataset

    def distributions(self, name):
        title = DATASETS[name]["title"]
        if name == "clusters":
            for kind in ("csv", "json"):
                for language in LANGUAGES:
                    url = self.url(f"guide:export-{kind}", language)
                    yield self.file(f"clusters-{kind}", kind, language, url, title)
        if name == "calls":
            for language in LANGUAGES:
                url = self.url("guide:calls-atom", language)
                yield self.file("calls-atom", "atom", language, url, title)
        if name in ("calls", "events"):
            for language in LANGUAGES:
                url = self.url(f"guide:{name}-ics", language)
                yield self.file(f"{name}-ics", "ics", language, url, title)
        if name == "figures":
            for chart, chart_title in CHARTS.items():
                for language in LANGUAGES:
                    url = self.url("guide:figures-csv", language, chart=chart)
                    dated = chart not in NOT_CONTENT
                    yield self.file(f"figures-{chart}", "csv", language, url, chart_title, dated)
        if name in API_LISTS:
            yield self.api_list(name)

    def distribution(self, node, kind, title, description):
        file_type, media_type, _, _ = FORMATS[kind]
        self.add(node, RDF.type, DCAT.Distribution)
        self.text(node, DCTERMS.title, title)
        self.text(node, DCTERMS.description, description)
        self.add(
            node,
            DCTERMS.format,
            self.typed(URIRef(f"{EU}file-type/{file_type}"), DCTERMS.MediaTypeOrExtent),
        )
        self.add(node, DCAT.mediaType, self.typed(URIRef(IANA + media_type), DCTERMS.MediaType))
        self.add(node, DCTERMS.license, LICENCE)
        self.add(node, DCATAP.availability, STABLE)
        if kind in STANDARDS:
            address, label = STANDARDS[kind]
            standard = self.typed(URIRef(address), DCTERMS.Standard)
            self.add(standard, RDFS.label, Literal(label))
            self.add(node, DCTERMS.conformsTo, standard)

    def file(self, name, kind, language, url, title, dated=True) -> URIRef:
        """A file of the guide in one language, downloaded from ``url``."""
        node = self.node(f"{name}-{language}")
        _, _, short, what = FORMATS[kind]
        names = LANGUAGE_NAMES[language]
        self.distribution(
            node,
            kind,
            {lang: f"{title[lang]} ({short}, {names[lang]})" for lang in LANGUAGES},
            {
                "fr": f"{title['fr']} : {what['fr']} en {names['fr']}.",
                "en": f"{title['en']}: {what['en']} in {names['en']}.",
            },
        )
        self.add(node, DCAT.accessURL, url)
        self.add(node, DCAT.downloadURL, url)
        self.add(node, DCTERMS.language, LANGUAGE[language])
        if dated and self.modified is not None:
            self.add(node, DCTERMS.modified, self.modified)
        return node

    def api_list(self, name) -> URIRef:
        """The read API's list of ``name``, in both languages, served by the API."""
        node = self.node(f"{name}-api")
        title = DATASETS[name]["title"]
        self.distribution(
            node,
            "json",
            {"fr": f"{title['fr']} (API JSON)", "en": f"{title['en']} (JSON API)"},
            {
                "fr": f"{title['fr']} par l'API de lecture : JSON paginé, en français et anglais.",
                "en": f"{title['en']} through the read API: paged JSON, in French and English.",
            },
        )
        self.add(node, DCAT.accessURL, self.url(API_LISTS[name]))
        self.add(node, DCAT.accessService, self.service)
        self.add(node, DCTERMS.language, *self.languages())
        if self.modified is not None:
            self.add(node, DCTERMS.modified, self.modified)
        return node

    def data_service(self) -> URIRef:
        service = self.service
        self.add(service, RDF.type, DCAT.DataService)
        self.text(service, DCTERMS.title, SERVICE["title"])
        self.text(service, DCTERMS.description, SERVICE["description"])
        self.text(service, DCAT.keyword, SERVICE["keywords"])
        self.add(service, DCTERMS.publisher, self.publisher)
        self.add(service, DCTERMS.license, LICENCE)
        self.add(service, DCAT.contactPoint, self.contact)
        self.add(service, DCAT.theme, ECONOMY)
        self.add(service, DCTERMS.accessRights, PUBLIC)
        self.add(service, DCAT.endpointURL, self.url("api:root"))
        self.add(service, DCAT.endpointDescription, self.url("api:schema"))
        self.add(service, DCAT.landingPage, self.document(self.url("api:docs")))
        version = getattr(settings, "SPECTACULAR_SETTINGS", {}).get("OAS_VERSION", "3.0.3")
        openapi = self.typed(URIRef(f"https://spec.openapis.org/oas/v{version}"), DCTERMS.Standard)
        self.add(openapi, RDFS.label, Literal(f"OpenAPI {version}"))
        self.add(service, DCTERMS.conformsTo, openapi)
        for name in API_LISTS:
            self.add(service, DCAT.servesDataset, self.node(name))
        return service


def _periods(changed_at) -> dict[str, tuple[datetime.date, datetime.date]]:
    """Each dataset's time span (dct:temporal), from three aggregate queries.

    The clusters and the figures: from January of the first labelling year to
    the last change; the calls: from the first opening (or closing) date to the
    last closing (or opening) date; the events: from the first start to the last end.
    """
    periods = {}
    first_year = Labelling.objects.filter(cluster__is_published=True).aggregate(first=Min("year"))
    if first_year["first"] and changed_at:
        span = (datetime.date(first_year["first"], 1, 1), timezone.localdate(changed_at))
        periods["clusters"] = periods["figures"] = span
    calls = CallForProposals.objects.published().aggregate(
        start=Min(Coalesce("opens_on", "closes_on")), end=Max(Coalesce("closes_on", "opens_on"))
    )
    if calls["start"]:
        periods["calls"] = (calls["start"], calls["end"])
    events = Event.objects.published().aggregate(
        start=Min("starts_on"), end=Max(Coalesce("ends_on", "starts_on"))
    )
    if events["start"]:
        periods["events"] = (events["start"], events["end"])
    return periods
