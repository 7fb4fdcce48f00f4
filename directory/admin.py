"""The staff admin: tabbed French/English editing, accent-insensitive search."""

from django.contrib import admin, messages
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from editing.admin import HistoryAdmin
from editing.forms import VersionedForm

from .models import (
    CallForProposals,
    CallToReview,
    Cluster,
    ClusterToReview,
    ClusterType,
    Contact,
    Event,
    Labelling,
    OfficialFigure,
    Organisation,
    Region,
    Sector,
    SynonymGroup,
)
from .resources import ClusterResource


def unaccented(*fields: str) -> list[str]:
    """Admin search fields that ignore accents and case (``pole`` finds ``Pôle``)."""
    return [f"{field}__unaccent__icontains" for field in fields]


class GuideAdmin(TabbedTranslationAdmin):
    """French and English fields side by side in tabs; addresses typed without
    a scheme are taken as https (Django 6's default)."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class EnglishMissingFilter(admin.SimpleListFilter):
    """Rows whose English text is still empty (the public English page shows French)."""

    title = _("English text")
    parameter_name = "english"
    english_field = "description_en"

    def lookups(self, request, model_admin):
        return [("missing", _("Missing")), ("present", _("Present"))]

    def queryset(self, request, queryset):
        empty = Q(**{f"{self.english_field}__isnull": True}) | Q(**{self.english_field: ""})
        if self.value() == "missing":
            return queryset.filter(empty)
        if self.value() == "present":
            return queryset.exclude(empty)
        return queryset


class LabellingInline(TranslationTabularInline):
    model = Labelling
    extra = 0
    fields = ["phase", "year", "until_year", "outcome", "call", "note", "verification"]
    autocomplete_fields = ["call"]


class ClusterContactInline(TranslationTabularInline):
    model = Contact
    form = VersionedForm
    fk_name = "cluster"
    extra = 0
    fields = ["first_name", "last_name", "role", "email", "phone", "is_public", "version"]


@admin.register(Cluster)
class ClusterAdmin(ImportExportMixin, HistoryAdmin, GuideAdmin):
    list_display = [
        "name",
        "acronym",
        "cluster_type",
        "level_display",
        "region_names",
        "is_published",
        "verification",
        "has_english",
        "last_reviewed",
    ]
    list_filter = [
        "cluster_type",
        "cluster_type__level",
        "sectors",
        "regions",
        "is_published",
        "is_active",
        "verification",
        EnglishMissingFilter,
    ]
    list_select_related = ["cluster_type"]
    list_per_page = 50
    search_fields = unaccented("name_fr", "name_en", "acronym", "city", "slug")
    autocomplete_fields = ["sectors", "regions", "cluster_type"]
    prepopulated_fields = {"slug": ["name_fr"]}
    readonly_fields = ["created_at", "updated_at"]
    ordering = ["sort_name_fr"]
    inlines = [LabellingInline, ClusterContactInline]
    resource_classes = [ClusterResource]
    formats = [CSV, XLSX]
    fieldsets = [
        (None, {"fields": ["name", "acronym", "slug", "cluster_type", "description"]}),
        (_("Where and what"), {"fields": ["sectors", "regions", "city"]}),
        (
            _("Public contact details"),
            {"fields": ["website", "email", "phone"]},
        ),
        (
            _("Facts"),
            {"fields": ["founded_year", "member_count", "member_count_year", "sources"]},
        ),
        (
            _("Publication and review"),
            {
                "fields": [
                    "is_published",
                    "is_active",
                    "verification",
                    "last_reviewed",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("regions")

    def import_action(self, request, **kwargs):
        """Let staff confirm an import whose only problems are rejected rows:
        the valid rows go in, the rejected ones are listed with their reasons."""
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        result = context.get("result")
        only_rejected_rows = result and not result.has_errors() and result.has_validation_errors()
        if only_rejected_rows and result.valid_rows():
            context["confirm_form"] = self.create_confirm_form(
                request, import_form=context.get("form")
            )
        return response

    @admin.display(description=_("level"), ordering="cluster_type__level")
    def level_display(self, obj):
        return obj.cluster_type.get_level_display()

    @admin.display(description=_("regions"))
    def region_names(self, obj):
        return ", ".join(region.name for region in obj.regions.all())

    @admin.display(description=_("English"), boolean=True)
    def has_english(self, obj):
        return bool(obj.description_en)


@admin.register(ClusterType)
class ClusterTypeAdmin(GuideAdmin):
    list_display = ["name", "slug", "level", "established_year", "position"]
    list_filter = ["level", EnglishMissingFilter]
    search_fields = unaccented("name_fr", "name_en", "slug")
    prepopulated_fields = {"slug": ["name_fr"]}
    ordering = ["position"]


class EnglishNameMissingFilter(EnglishMissingFilter):
    english_field = "name_en"


@admin.register(Sector)
class SectorAdmin(GuideAdmin):
    list_display = ["name", "slug", "family", "position"]
    list_filter = ["family", EnglishNameMissingFilter]
    search_fields = unaccented("name_fr", "name_en", "slug")
    prepopulated_fields = {"slug": ["name_fr"]}


@admin.register(Region)
class RegionAdmin(GuideAdmin):
    list_display = ["name", "insee_code", "slug", "kind"]
    list_filter = ["kind"]
    search_fields = [*unaccented("name_fr", "name_en", "slug"), "insee_code"]
    prepopulated_fields = {"slug": ["name_fr"]}
    ordering = ["sort_name_fr"]


class OrganisationContactInline(TranslationTabularInline):
    model = Contact
    form = VersionedForm
    fk_name = "organisation"
    extra = 0
    fields = [
        "first_name",
        "last_name",
        "role",
        "cluster",
        "email",
        "phone",
        "is_public",
        "version",
    ]
    autocomplete_fields = ["cluster"]


@admin.register(Organisation)
class OrganisationAdmin(HistoryAdmin, GuideAdmin):
    list_display = ["name", "acronym", "kind", "website"]
    list_filter = ["kind", EnglishMissingFilter]
    search_fields = unaccented("name_fr", "name_en", "acronym", "slug")
    prepopulated_fields = {"slug": ["name_fr"]}
    ordering = ["sort_name_fr"]
    inlines = [OrganisationContactInline]


@admin.register(Contact)
class ContactAdmin(HistoryAdmin, GuideAdmin):
    list_display = ["__str__", "role", "organisation", "cluster", "is_public"]
    list_filter = ["is_public", "organisation"]
    list_select_related = ["organisation", "cluster"]
    search_fields = unaccented(
        "first_name",
        "last_name",
        "email",  # a person asking what the guide holds about them gives an address
        "role_fr",
        "role_en",
        "organisation__name_fr",
        "cluster__name_fr",
    )
    autocomplete_fields = ["organisation", "cluster"]
    ordering = ["sort_name"]


@admin.register(CallForProposals)
class CallForProposalsAdmin(HistoryAdmin, GuideAdmin):
    list_display = ["title", "kind", "funder", "opens_on", "closes_on", "status", "is_published"]
    list_filter = ["kind", "funder", "eligible_types", "is_published", EnglishMissingFilter]
    list_select_related = ["funder"]
    search_fields = unaccented("title_fr", "title_en", "slug", "funder__name_fr", "funder__acronym")
    autocomplete_fields = ["funder"]
    filter_horizontal = ["eligible_types"]
    prepopulated_fields = {"slug": ["title_fr"]}
    readonly_fields = ["created_at", "updated_at"]
    date_hierarchy = "closes_on"

    @admin.display(description=_("status"))
    def status(self, obj):
        return obj.get_status_display()


@admin.register(OfficialFigure)
class OfficialFigureAdmin(GuideAdmin):
    list_display = ["label", "cluster_type", "value", "unit", "year", "source"]
    list_filter = ["cluster_type", "year"]
    list_select_related = ["cluster_type"]
    search_fields = unaccented("label_fr", "label_en", "source")


@admin.register(Event)
class EventAdmin(GuideAdmin):
    list_display = ["title", "kind", "starts_on", "city", "country", "organiser", "is_published"]
    list_filter = ["kind", "is_published", EnglishMissingFilter]
    list_select_related = ["organiser"]
    search_fields = unaccented("title_fr", "title_en", "city", "country_fr", "slug")
    autocomplete_fields = ["organiser", "clusters"]
    prepopulated_fields = {"slug": ["title_fr"]}
    readonly_fields = ["created_at", "updated_at"]
    date_hierarchy = "starts_on"


class ReviewAdmin(admin.ModelAdmin):
    """Entries due for review, each with its reasons and a link to its page."""

    entry_model = None  # the model whose change page an entry links to
    list_per_page = 50
    actions = ["mark_reviewed"]

    def get_queryset(self, request):
        return super().get_queryset(request).to_review()

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def index_count(self, request) -> int:
        """Shown beside the page's name on the admin index (staff/sites.py)."""
        return self.get_queryset(request).count()

    @admin.display(description=_("entry"))
    def entry(self, obj):
        opts = self.entry_model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj)

    @admin.display(description=_("to review because"))
    def reasons(self, obj):
        return ", ".join(obj.review_reasons())

    @admin.action(description=_("Mark as reviewed today"), permissions=["change"])
    def mark_reviewed(self, request, queryset):
        """Records today's date on each one; the history keeps who and when."""
        today = timezone.localdate()
        entries = self.entry_model.objects.filter(pk__in=queryset.values("pk"))
        for entry in entries:  # saved one by one: each save is versioned and recorded
            entry.last_reviewed = today
            entry.save(update_fields=["last_reviewed", "updated_at"])
        count = len(entries)
        message = ngettext(
            "%(count)d entry marked as reviewed today.",
            "%(count)d entries marked as reviewed today.",
            count,
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)


@admin.register(ClusterToReview)
class ClusterToReviewAdmin(ReviewAdmin):
    entry_model = Cluster
    list_display = ["entry", "cluster_type", "reasons", "last_reviewed", "verification"]
    list_filter = ["cluster_type", "verification", EnglishMissingFilter]
    list_select_related = ["cluster_type"]
    search_fields = unaccented("name_fr", "name_en", "acronym", "city", "slug")
    ordering = [models.F("last_reviewed").asc(nulls_first=True), "sort_name_fr"]


@admin.register(CallToReview)
class CallToReviewAdmin(ReviewAdmin):
    entry_model = CallForProposals
    list_display = ["entry", "kind", "closes_on", "reasons", "last_reviewed"]
    list_filter = ["kind", EnglishMissingFilter]
    search_fields = unaccented("title_fr", "title_en", "slug")
    ordering = [models.F("last_reviewed").asc(nulls_first=True), "-closes_on"]


@admin.register(SynonymGroup)
class SynonymGroupAdmin(admin.ModelAdmin):
    """The search's thesaurus: a change is used by the next search (no rebuild, no deploy)."""

    list_display = ["key", "terms_in_a_line", "note"]
    search_fields = unaccented("key", "terms", "note")
    fields = ["key", "terms", "note"]

    @admin.display(description=_("words and phrases"))
    def terms_in_a_line(self, group):
        return ", ".join(group.term_list())
