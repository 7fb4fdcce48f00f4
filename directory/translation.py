"""Fields translated with django-modeltranslation (a column per language).

French is the reference language: the fields named in required_languages
must be filled in French; English is optional and falls back to French.
"""

from modeltranslation.translator import TranslationOptions, register

from editing.history import track

from .models import (
    CallForProposals,
    Cluster,
    ClusterType,
    Contact,
    Event,
    Labelling,
    OfficialFigure,
    Organisation,
    Region,
    Sector,
)


@register(ClusterType)
class ClusterTypeTranslation(TranslationOptions):
    fields = ("name", "short_name", "summary", "explainer", "programme_owner")
    required_languages = {"fr": ("name", "summary", "explainer")}


@register(Sector)
class SectorTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = {"fr": ("name",)}


@register(Region)
class RegionTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = {"fr": ("name",)}


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = {"fr": ("name",)}


@register(Cluster)
class ClusterTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = {"fr": ("name", "description")}


@register(Labelling)
class LabellingTranslation(TranslationOptions):
    fields = ("phase", "note")
    required_languages = {"fr": ("phase",)}


@register(Contact)
class ContactTranslation(TranslationOptions):
    fields = ("role",)


@register(CallForProposals)
class CallTranslation(TranslationOptions):
    fields = ("title", "description", "budget_note")
    required_languages = {"fr": ("title", "description")}


@register(OfficialFigure)
class OfficialFigureTranslation(TranslationOptions):
    fields = ("label", "note")
    required_languages = {"fr": ("label",)}


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("title", "country", "description")
    required_languages = {"fr": ("title", "description")}


# The history is registered once the translation fields exist, so that the
# historical tables keep both languages (see editing/history.py). The copies
# of a cluster's links (links.py) are rebuilt after each save: not recorded.
track(
    Cluster,
    m2m_fields=["sectors", "regions"],
    derived_fields=["sector_ids", "region_ids", "label_years", "topics_fr", "topics_en"],
)
track(CallForProposals, m2m_fields=["eligible_types"])
track(Organisation)
track(Contact)
