"""What the API says of each resource: both languages' fields side by side (``_fr``,
``_en``: the English one empty where staff have not written it yet), links to the
related resources of the API (``url``) and to the guide's pages (``pages``).

Nothing personal: a cluster's or an organisation's public email and phone are on
its public page; contact persons are not in the API (the guide's introduction
form puts a partner in touch with them).
"""

from django.urls import reverse
from django.utils import timezone, translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from directory import content_version
from directory.facets import facet_options
from directory.models import (
    CallForProposals,
    Cluster,
    ClusterType,
    Event,
    Labelling,
    LabelStatus,
    Organisation,
    PolicyLevel,
    Region,
    Sector,
    label_status,
)

LANGUAGES = ("fr", "en")


def api_url(request, name: str, slug: str | None = None) -> str:
    if slug is None:
        return request.build_absolute_uri(reverse(f"api:{name}"))
    head, tail = _per_request(request, name, lambda: _api_template(request, name))
    return f"{head}{slug}{tail}"


def pages(request, entry) -> dict[str, str]:
    """The entry's page in the guide, in each language."""
    urls = {}
    for language in LANGUAGES:
        key = (type(entry), language)
        head, tail = _per_request(
            request, key, lambda language=language: _page_template(request, entry, language)
        )
        urls[language] = f"{head}{entry.slug}{tail}"
    return urls


# An answer names hundreds of addresses that differ only by a slug: each kind is
# reversed once per request, then the slugs are put in (reverse() costs ~30 µs).
SLUG = "0slug0"


def _per_request(request, key, build):
    """``build()``, made once per request (an answer's hundreds of rows share it)."""
    made = request.__dict__.setdefault("_api_per_request", {})
    if key not in made:
        made[key] = build()
    return made[key]


def _api_template(request, name):
    head, _slug, tail = request.build_absolute_uri(
        reverse(f"api:{name}", kwargs={"slug": SLUG})
    ).rpartition(SLUG)
    return head, tail


def _page_template(request, entry, language):
    with translation.override(language):
        stand_in = type(entry)(slug=SLUG)
        head, _slug, tail = request.build_absolute_uri(stand_in.get_absolute_url()).rpartition(SLUG)
    return head, tail


def facet_names(request) -> dict[str, dict[int, dict]]:
    """Types, sectors and regions by id, named in both languages: read from the facets'
    options, which each process keeps until the content changes (no query). Asked once
    per request: held() checks its token in the cache (Redis in production) each time."""
    return _per_request(
        request, ("facet-names",), lambda: content_version.held("api-facet-names", _facet_names)
    )


def _facet_names():
    named = {}
    for language in LANGUAGES:
        with translation.override(language):
            options = facet_options()
            for facet in ("type", "sector", "region"):
                for option in options[facet]:
                    entry = named.setdefault(facet, {}).setdefault(
                        option.keys[0], {"slug": option.slug}
                    )
                    entry[f"name_{language}"] = option.name
                    if facet == "region":
                        entry["insee_code"] = option.code
                    if facet == "type":
                        entry["level"] = option.group
    return named


# Types, sectors and regions as another resource names them, written as plain dicts
# (their schema: TypeRef, SectorRef, RegionRef below): a nested serializer for each
# of a list's clusters cost more than all the rest of it.
def facet_ref(request, facet, key, view_name) -> dict | None:
    entry = facet_names(request)[facet].get(key)
    if entry is None:
        return None
    return {**entry, "url": api_url(request, view_name, entry["slug"])}


def facet_refs(request, facet, keys, view_name) -> list[dict]:
    refs = (facet_ref(request, facet, key, view_name) for key in keys)
    return sorted((ref for ref in refs if ref), key=lambda ref: ref["slug"])


class Pages(serializers.Serializer):
    fr = serializers.URLField()
    en = serializers.URLField()


class PagesField(serializers.Field):
    """The entry's page in the guide, in French and in English."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, entry):
        return pages(self.context["request"], entry)


extend_schema_field(Pages)(PagesField)


class LinkField(serializers.Field):
    """The API address of the entry (``view_name``: its detail)."""

    def __init__(self, view_name, slug="slug", **kwargs):
        self.view_name, self.slug = view_name, slug
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, entry):
        slug = entry[self.slug] if isinstance(entry, dict) else getattr(entry, self.slug)
        return api_url(self.context["request"], self.view_name, slug)


extend_schema_field(OpenApiTypes.URI)(LinkField)


class ClustersOf(serializers.Field):
    """The API's list of the clusters of this type, sector or region (``parameter``)."""

    def __init__(self, parameter, **kwargs):
        self.parameter = parameter
        super().__init__(source="slug", read_only=True, **kwargs)

    def to_representation(self, slug):
        return api_url(self.context["request"], "cluster-list") + f"?{self.parameter}={slug}"


extend_schema_field(OpenApiTypes.URI)(ClustersOf)


class Named(serializers.Serializer):
    """A type, sector or region as another resource names it."""

    slug = serializers.SlugField()
    name_fr = serializers.CharField()
    name_en = serializers.CharField()


class TypeRef(Named):
    level = serializers.ChoiceField(choices=PolicyLevel.choices)
    url = LinkField("type-detail")


class SectorRef(Named):
    url = LinkField("sector-detail")


class RegionRef(Named):
    insee_code = serializers.CharField()
    url = LinkField("region-detail")


class ClusterRef(serializers.ModelSerializer):
    url = LinkField("cluster-detail")

    class Meta:
        model = Cluster
        fields = ["slug", "name_fr", "name_en", "url"]


class OrganisationRef(serializers.ModelSerializer):
    url = LinkField("organisation-detail")

    class Meta:
        model = Organisation
        fields = ["slug", "name_fr", "name_en", "url"]


class ClusterSerializer(serializers.ModelSerializer):
    """A cluster as a list holds it; its type, sectors and regions named from the
    facets (their ids are on the cluster's row: no join)."""

    url = LinkField("cluster-detail")
    pages = PagesField()
    type = serializers.SerializerMethodField()
    label_status = serializers.SerializerMethodField()
    sectors = serializers.SerializerMethodField()
    regions = serializers.SerializerMethodField()

    class Meta:
        model = Cluster
        fields = [
            "slug",
            "url",
            "pages",
            "name_fr",
            "name_en",
            "acronym",
            "type",
            "label_status",
            "sectors",
            "regions",
            "city",
            "website",
            "email",
            "phone",
            "description_fr",
            "description_en",
            "founded_year",
            "member_count",
            "member_count_year",
            "is_active",
            "verification",
            "last_reviewed",
            "published_at",
        ]

    @extend_schema_field(TypeRef)
    def get_type(self, cluster):
        return facet_ref(self.context["request"], "type", cluster.cluster_type_id, "type-detail")

    @extend_schema_field(serializers.ChoiceField(choices=LabelStatus.choices))
    def get_label_status(self, cluster):
        """Labelled this year, label ended, or never labelled."""
        return label_status(cluster.label_years, timezone.localdate().year)

    @extend_schema_field(SectorRef(many=True))
    def get_sectors(self, cluster):
        return facet_refs(self.context["request"], "sector", cluster.sector_ids, "sector-detail")

    @extend_schema_field(RegionRef(many=True))
    def get_regions(self, cluster):
        return facet_refs(self.context["request"], "region", cluster.region_ids, "region-detail")


class LabellingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Labelling
        fields = ["phase_fr", "phase_en", "year", "until_year", "outcome", "note_fr", "note_en"]


class EventRef(serializers.ModelSerializer):
    url = LinkField("event-detail")

    class Meta:
        model = Event
        fields = ["slug", "title_fr", "title_en", "starts_on", "ends_on", "url"]


class ClusterDetailSerializer(ClusterSerializer):
    """A cluster with its label history and the events it takes part in."""

    label_history = LabellingSerializer(source="labellings", many=True)
    events = EventRef(many=True)

    class Meta(ClusterSerializer.Meta):
        fields = [*ClusterSerializer.Meta.fields, "label_history", "events"]


class TypeSerializer(serializers.ModelSerializer):
    url = LinkField("type-detail")
    pages = PagesField()
    clusters = ClustersOf("type")

    class Meta:
        model = ClusterType
        fields = [
            "slug",
            "url",
            "pages",
            "level",
            *(
                f"{field}_{language}"
                for field in ("name", "short_name", "summary", "explainer", "programme_owner")
                for language in LANGUAGES
            ),
            "established_year",
            "website",
            "clusters",
        ]


class SectorSerializer(serializers.ModelSerializer):
    url = LinkField("sector-detail")
    clusters = ClustersOf("sector")

    class Meta:
        model = Sector
        fields = ["slug", "url", "name_fr", "name_en", "family", "clusters"]


class RegionSerializer(serializers.ModelSerializer):
    url = LinkField("region-detail")
    clusters = ClustersOf("region")

    class Meta:
        model = Region
        fields = ["slug", "url", "name_fr", "name_en", "insee_code", "kind", "clusters"]


class OrganisationSerializer(serializers.ModelSerializer):
    url = LinkField("organisation-detail")
    pages = PagesField()

    class Meta:
        model = Organisation
        fields = [
            "slug",
            "url",
            "pages",
            "name_fr",
            "name_en",
            "acronym",
            "kind",
            "description_fr",
            "description_en",
            "website",
            "email",
            "phone",
            "city",
        ]


class CallSerializer(serializers.ModelSerializer):
    url = LinkField("call-detail")
    pages = PagesField()
    status = serializers.ChoiceField(choices=CallForProposals.Status.choices)
    funder = OrganisationRef(allow_null=True)
    eligible_types = serializers.SerializerMethodField()
    link = serializers.URLField(source="url", allow_blank=True)
    budget_eur = serializers.DecimalField(
        max_digits=14, decimal_places=0, coerce_to_string=False, allow_null=True
    )

    class Meta:
        model = CallForProposals
        fields = [
            "slug",
            "url",
            "pages",
            "title_fr",
            "title_en",
            "kind",
            "status",
            "funder",
            "eligible_types",
            "opens_on",
            "opens_precision",
            "closes_on",
            "closes_precision",
            "budget_eur",
            "budget_note_fr",
            "budget_note_en",
            "link",
            "description_fr",
            "description_en",
            "last_reviewed",
        ]

    @extend_schema_field(TypeRef(many=True))
    def get_eligible_types(self, call):
        request = self.context["request"]
        keys = [t.pk for t in call.eligible_types.all()]
        return facet_refs(request, "type", keys, "type-detail")


class EventSerializer(serializers.ModelSerializer):
    url = LinkField("event-detail")
    pages = PagesField()
    organiser = OrganisationRef(allow_null=True)
    clusters = ClusterRef(many=True)
    link = serializers.URLField(source="url", allow_blank=True)

    class Meta:
        model = Event
        fields = [
            "slug",
            "url",
            "pages",
            "title_fr",
            "title_en",
            "kind",
            "starts_on",
            "ends_on",
            "date_precision",
            "city",
            "country_fr",
            "country_en",
            "organiser",
            "clusters",
            "link",
            "description_fr",
            "description_en",
        ]
