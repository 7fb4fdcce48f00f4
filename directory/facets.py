"""Facet values (types, sectors, regions) and how many results each would give."""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Case, Count, When

from .cache import versioned_key
from .models import (
    ClusterType,
    PolicyLevel,
    Region,
    Sector,
    current_language,
)


@dataclass(frozen=True)
class Option:
    pk: int
    slug: str
    name: str
    group: str = ""  # sector family, region kind, type level
    code: str = ""  # a region's INSEE code


def facet_options() -> dict[str, list[Option]]:
    """The values each facet offers, in a stable display order, in the page language.

    Types, sectors and regions change rarely: they are cached under the content
    version, which any change to the guide increments.
    """
    language = current_language()
    key = versioned_key(f"facet-options:{language}")
    options = cache.get(key)
    if options is None:
        options = {
            "type": [Option(t.pk, t.slug, t.name, t.level) for t in ClusterType.objects.all()],
            "sector": [Option(s.pk, s.slug, s.name, s.family) for s in Sector.objects.all()],
            # Metropolitan regions, then overseas regions and collectivities.
            "region": [
                Option(
                    r.pk,
                    r.slug,
                    r.name,
                    "overseas" if r.is_overseas else "metropolitan",
                    r.insee_code,
                )
                for r in Region.objects.order_by(
                    Case(When(kind=Region.Kind.METROPOLITAN, then=0), default=1),
                    f"sort_name_{language}",
                )
            ],
        }
        cache.set(key, options, timeout=None)
    return options


@dataclass(frozen=True)
class FacetValue:
    slug: str
    name: str
    count: int
    selected: bool
    group: str = ""
    code: str = ""


def facet_counts(filterset) -> dict[str, list[FacetValue]]:
    """Each facet's values with the number of results each would give (one query a facet).

    A facet's own selection is left out of its counts (ticking another type
    adds to the results), the other facets and the search apply.
    """

    def grouped(exclude, column):
        queryset = filterset.filter_queryset(filterset.queryset.all(), exclude=exclude)
        rows = queryset.order_by().values(column).annotate(n=Count("pk"))
        return {row[column]: row["n"] for row in rows}

    options = facet_options()
    counts = {
        "type": grouped("type", "cluster_type_id"),
        "level": grouped("level", "cluster_type__level"),
        "sector": grouped("sector", "sectors"),
        "region": grouped("region", "regions"),
    }
    facets = {
        name: [
            FacetValue(
                o.slug,
                o.name,
                counts[name].get(o.pk, 0),
                o.slug in filterset.selected(name),
                o.group,
                o.code,
            )
            for o in options[name]
        ]
        for name in ("type", "sector", "region")
    }
    facets["level"] = [
        FacetValue(
            level.value,
            level.label,
            counts["level"].get(level.value, 0),
            level.value in filterset.selected("level"),
        )
        for level in PolicyLevel
    ]
    return facets
