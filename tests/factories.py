"""Small builders for test data: make_x(**overrides), defaults that pass validation."""

import itertools

from directory.models import (
    CallForProposals,
    Cluster,
    ClusterType,
    Contact,
    Event,
    Organisation,
    PolicyLevel,
    Region,
    Sector,
)

_numbers = itertools.count(1)


def _n():
    return next(_numbers)


def make_type(**kwargs):
    n = _n()
    kwargs.setdefault("slug", f"type-{n}")
    kwargs.setdefault("name_fr", f"Type {n}")
    kwargs.setdefault("level", PolicyLevel.NATIONAL)
    kwargs.setdefault("summary_fr", "Résumé.")
    kwargs.setdefault("explainer_fr", "Explication.")
    return ClusterType.objects.create(**kwargs)


def make_sector(**kwargs):
    n = _n()
    kwargs.setdefault("slug", f"sector-{n}")
    kwargs.setdefault("name_fr", f"Secteur {n}")
    return Sector.objects.create(**kwargs)


def make_region(**kwargs):
    n = _n()
    kwargs.setdefault("slug", f"region-{n}")
    kwargs.setdefault("name_fr", f"Région {n}")
    kwargs.setdefault("insee_code", str(100 + n % 900))
    kwargs.setdefault("kind", Region.Kind.METROPOLITAN)
    return Region.objects.create(**kwargs)


def make_cluster(sectors=(), regions=(), **kwargs):
    n = _n()
    kwargs.setdefault("slug", f"cluster-{n}")
    kwargs.setdefault("name_fr", f"Cluster {n}")
    kwargs.setdefault("description_fr", f"Description du cluster {n}.")
    if "cluster_type" not in kwargs:
        kwargs["cluster_type"] = make_type()
    cluster = Cluster.objects.create(**kwargs)
    cluster.sectors.set(sectors)
    cluster.regions.set(regions)
    return cluster


def make_organisation(**kwargs):
    n = _n()
    kwargs.setdefault("slug", f"organisation-{n}")
    kwargs.setdefault("name_fr", f"Organisation {n}")
    return Organisation.objects.create(**kwargs)


def make_contact(**kwargs):
    n = _n()
    kwargs.setdefault("first_name", "Prénom")
    kwargs.setdefault("last_name", f"Nom {n}")
    if "organisation" not in kwargs and "cluster" not in kwargs:
        kwargs["organisation"] = make_organisation()
    return Contact.objects.create(**kwargs)


def make_call(eligible_types=(), **kwargs):
    n = _n()
    kwargs.setdefault("slug", f"call-{n}")
    kwargs.setdefault("title_fr", f"Appel {n}")
    kwargs.setdefault("description_fr", "Description de l'appel.")
    kwargs.setdefault("kind", CallForProposals.Kind.FUNDING)
    call = CallForProposals.objects.create(**kwargs)
    call.eligible_types.set(eligible_types)
    return call


def make_event(**kwargs):
    import datetime

    n = _n()
    kwargs.setdefault("slug", f"event-{n}")
    kwargs.setdefault("title_fr", f"Salon {n}")
    kwargs.setdefault("description_fr", "Description de l'événement.")
    kwargs.setdefault("kind", Event.Kind.TRADE_FAIR)
    kwargs.setdefault("starts_on", datetime.date(2027, 3, 1))
    return Event.objects.create(**kwargs)
