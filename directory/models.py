"""The guide's domain: cluster types, sectors, regions, clusters, calls, contacts.

Translated fields (registered in translation.py) have a column per language
(``name_fr``, ``name_en``); code and templates use the base name and the
active language picks the column, French being the fallback.
"""

import datetime

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from editing.versioning import Versioned, version_field

from .db import Fold, translated

YEAR_VALIDATORS = [MinValueValidator(1900), MaxValueValidator(2100)]
REVIEW_EVERY_DAYS = 365  # an entry not reviewed for longer is due for review


def review_is_due(today: datetime.date) -> Q:
    """Never reviewed, or not for REVIEW_EVERY_DAYS: the condition every review page shares."""
    limit = today - datetime.timedelta(days=REVIEW_EVERY_DAYS)
    return Q(last_reviewed__isnull=True) | Q(last_reviewed__lt=limit)


def review_age_reasons(last_reviewed, today: datetime.date) -> list:
    """review_is_due() in words, for one entry."""
    if last_reviewed is None:
        return [_("never reviewed")]
    if (today - last_reviewed).days > REVIEW_EVERY_DAYS:
        return [_("reviewed over a year ago")]
    return []


SORT_KEY_NAMES = {"fr": _("sort key (French)"), "en": _("sort key (English)")}


def sort_key(field: str, language: str) -> models.GeneratedField:
    """A stored, folded copy of a translated field, for French alphabetical order."""
    return models.GeneratedField(
        expression=Fold(translated(field, language)),
        output_field=models.CharField(max_length=300),
        db_persist=True,
        verbose_name=SORT_KEY_NAMES[language],
    )


def current_language() -> str:
    return (get_language() or "fr")[:2]


class PolicyLevel(models.TextChoices):
    NATIONAL = "national", _("National policy")
    REGIONAL = "regional", _("Regional policy")
    PRIVATE = "private", _("Private initiative")


class LabelStatus(models.TextChoices):
    """A cluster's label today, computed from its label history (never stored)."""

    LABELLED = "labelled", _("Labelled now")
    ENDED = "ended", _("Label ended")
    NONE = "none", _("No official label")


def label_status(label_years, year: int) -> str:
    """The status of a cluster whose label rows cover ``label_years``, in ``year``."""
    if year in label_years:
        return LabelStatus.LABELLED
    return LabelStatus.ENDED if label_years else LabelStatus.NONE


def label_status_conditions(year: int) -> dict[str, Q]:
    """label_status() in SQL: the clusters of each status in ``year``."""
    labelled = Q(label_years__contains=[year])
    return {
        LabelStatus.LABELLED: labelled,
        LabelStatus.ENDED: ~Q(label_years=[]) & ~labelled,
        LabelStatus.NONE: Q(label_years=[]),
    }


class Verification(models.TextChoices):
    VERIFIED = "verified", _("Verified")
    PARTIAL = "partial", _("Partly verified: to review")
    UNVERIFIED = "unverified", _("Not verified: to review")


class SlugKeyed:
    """Models whose slug is their natural key (fixtures refer to them by slug)."""

    def natural_key(self):
        return (self.slug,)


class Publishable(models.Model):
    """An entry the public sees once published, and since when: the email alerts tell
    of the entries published since their last digest. Unpublishing clears the date,
    so an entry published again is news again."""

    published_at = models.DateTimeField(_("published since"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        published_at = self.published_at
        if not self.is_published:
            self.published_at = None
        elif self.published_at is None:
            self.published_at = timezone.now()
        fields = kwargs.get("update_fields")
        if fields is not None and self.published_at != published_at:
            kwargs["update_fields"] = {*fields, "published_at"}
        return super().save(*args, **kwargs)


class SlugManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class AlphabeticalQuerySet(models.QuerySet):
    """Shared by models with ``sort_name_fr`` / ``sort_name_en`` keys."""

    def alphabetical(self, language: str | None = None):
        language = language or current_language()
        key = "sort_name_en" if language == "en" else "sort_name_fr"
        return self.order_by(key, "pk")


class ClusterType(SlugKeyed, models.Model):
    """A label or kind of cluster (pôle de compétitivité, PTCE, ...)."""

    slug = models.SlugField(_("slug"), max_length=60, db_index=False)
    name = models.CharField(_("name"), max_length=150)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    level = models.CharField(_("policy level"), max_length=10, choices=PolicyLevel.choices)
    summary = models.CharField(
        _("summary"), max_length=300, help_text=_("One sentence shown in lists.")
    )
    explainer = models.TextField(
        _("explainer"), help_text=_("What it is, since when, who runs it. Paragraphs: blank line.")
    )
    programme_owner = models.CharField(
        _("programme run by"), max_length=200, blank=True, help_text=_("Ministry or body.")
    )
    established_year = models.PositiveSmallIntegerField(
        _("programme since"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    website = models.URLField(_("official page"), blank=True)
    sources = models.TextField(_("sources"), blank=True, help_text=_("One source per line."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = SlugManager()

    class Meta:
        verbose_name = _("cluster type")
        verbose_name_plural = _("cluster types")
        ordering = ["position", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="directory_clustertype_slug_unique"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("guide:type-detail", kwargs={"slug": self.slug})


class Sector(SlugKeyed, models.Model):
    """A sector of activity, or one of the craft innovation centres' themes."""

    class Family(models.TextChoices):
        ACTIVITY = "activity", _("Sector of activity")
        CRAFT = "craft", _("Craft innovation theme")

    slug = models.SlugField(_("slug"), max_length=60, db_index=False)
    name = models.CharField(_("name"), max_length=120)
    family = models.CharField(
        _("family"), max_length=10, choices=Family.choices, default=Family.ACTIVITY
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = SlugManager()

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["family", "position", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="directory_sector_slug_unique"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("guide:cluster-list") + "?" + urlencode({"sector": self.slug})


class Region(SlugKeyed, models.Model):
    """A region of France or an overseas collectivity, with its INSEE code."""

    class Kind(models.TextChoices):
        METROPOLITAN = "metropolitan", _("Metropolitan region")
        OVERSEAS_REGION = "overseas-region", _("Overseas region")
        OVERSEAS_COLLECTIVITY = "overseas-collectivity", _("Overseas collectivity")

    slug = models.SlugField(_("slug"), max_length=60, db_index=False)
    name = models.CharField(_("name"), max_length=100)
    insee_code = models.CharField(_("INSEE code"), max_length=3)
    kind = models.CharField(_("kind"), max_length=25, choices=Kind.choices)
    sort_name_fr = sort_key("name", "fr")
    sort_name_en = sort_key("name", "en")

    objects = SlugManager.from_queryset(AlphabeticalQuerySet)()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["sort_name_fr"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="directory_region_slug_unique"),
            models.UniqueConstraint(fields=["insee_code"], name="directory_region_insee_unique"),
            models.CheckConstraint(
                condition=Q(insee_code__regex=r"^[0-9]{2,3}$"),
                name="directory_region_insee_digits",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("guide:cluster-list") + "?" + urlencode({"region": self.slug})

    @property
    def is_overseas(self) -> bool:
        return self.kind != self.Kind.METROPOLITAN


class Organisation(SlugKeyed, Versioned, models.Model):
    """A support body, funder or network (ISM, Bpifrance, France Clusters, CACIMA...)."""

    class Kind(models.TextChoices):
        PUBLIC = "public", _("Ministry or public agency")
        FUNDER = "funder", _("Funder")
        NETWORK = "network", _("Network or association")
        CHAMBER = "chamber", _("Chamber of commerce or trades")
        OTHER = "other", _("Other")

    slug = models.SlugField(_("slug"), max_length=80, db_index=False)
    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OTHER)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("public email"), blank=True)
    phone = models.CharField(_("public phone"), max_length=40, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    sources = models.TextField(_("sources"), blank=True, help_text=_("One source per line."))
    sort_name_fr = sort_key("name", "fr")
    sort_name_en = sort_key("name", "en")
    version = version_field()

    objects = SlugManager.from_queryset(AlphabeticalQuerySet)()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["sort_name_fr"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="directory_organisation_slug_unique"),
        ]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self):
        return reverse("guide:contacts") + f"#{self.slug}"


class ClusterQuerySet(AlphabeticalQuerySet):
    def published(self):
        return self.filter(is_published=True)

    def to_review(self, today: datetime.date | None = None):
        """Published clusters that need an editor: never reviewed or not for a
        year, facts not fully verified, the English description missing, or
        the website failing its last check."""
        today = today or timezone.localdate()
        failed = LinkCheck.objects.failing().filter(url=OuterRef("website"))
        return (
            self.published()
            .annotate(website_failed=Exists(failed))
            .filter(
                review_is_due(today)
                | ~Q(verification=Verification.VERIFIED)
                | Q(description_en__isnull=True)
                | Q(description_en="")
                | Q(website_failed=True)
            )
        )

    def for_listing(self):
        """Everything a list of clusters shows, in a constant number of queries."""
        return self.select_related("cluster_type").prefetch_related("sectors", "regions")


class Cluster(SlugKeyed, Publishable, Versioned, models.Model):
    slug = models.SlugField(
        _("slug"), max_length=100, db_index=False, help_text=_("Part of the page address.")
    )
    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    cluster_type = models.ForeignKey(
        ClusterType, models.PROTECT, related_name="clusters", verbose_name=_("type")
    )
    sectors = models.ManyToManyField(
        Sector, related_name="clusters", verbose_name=_("sectors"), blank=True
    )
    regions = models.ManyToManyField(
        Region, related_name="clusters", verbose_name=_("regions"), blank=True
    )
    city = models.CharField(_("head office city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("public email"), blank=True)
    phone = models.CharField(_("public phone"), max_length=40, blank=True)
    description = models.TextField(_("description"))
    founded_year = models.PositiveSmallIntegerField(
        _("founded in"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    member_count = models.PositiveIntegerField(_("members"), null=True, blank=True)
    member_count_year = models.PositiveSmallIntegerField(
        _("members counted in"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Untick when the cluster has stopped or merged.")
    )
    is_published = models.BooleanField(
        _("published"), default=True, help_text=_("Shown on the public site.")
    )
    verification = models.CharField(
        _("fact check"),
        max_length=10,
        choices=Verification.choices,
        default=Verification.UNVERIFIED,
    )
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    sources = models.TextField(_("sources"), blank=True, help_text=_("One source per line."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    sort_name_fr = sort_key("name", "fr")
    sort_name_en = sort_key("name", "en")
    # Copies of the sector and region links, kept in step by links.py: the
    # sector and region filters and the facet counts read them without a join.
    sector_ids = ArrayField(models.IntegerField(), default=list, blank=True, editable=False)
    region_ids = ArrayField(models.IntegerField(), default=list, blank=True, editable=False)
    # The years its label history covers (rows not withdrawn, from their year
    # to their end year), kept in step by links.py: the label status of any
    # day is computed from it (label_status()).
    label_years = ArrayField(models.SmallIntegerField(), default=list, blank=True, editable=False)
    # When label_years last changed (links.py): the email alerts tell of it.
    label_changed_at = models.DateTimeField(
        _("label history changed"), null=True, blank=True, editable=False
    )
    # The names of its type, sectors and regions in each language, kept in
    # step by links.py, so that a search for "pêche", "fishery" or "Brittany"
    # finds the clusters of that sector or region.
    topics_fr = models.TextField(_("topics (French)"), blank=True, default="", editable=False)
    topics_en = models.TextField(_("topics (English)"), blank=True, default="", editable=False)
    # Both languages in one vector: a French-only entry is found from the
    # English pages, an English word from the French ones. Weights: names and
    # acronym (A), then type, sectors, regions and city (B), then descriptions (C).
    search_vector = models.GeneratedField(
        expression=(
            SearchVector("name_fr", "name_en", "acronym", config="simple_unaccent", weight="A")
            + SearchVector("name_fr", "acronym", config="french_unaccent", weight="A")
            + SearchVector("name_en", config="english_unaccent", weight="A")
            + SearchVector("topics_fr", "topics_en", "city", config="simple_unaccent", weight="B")
            + SearchVector("topics_fr", config="french_unaccent", weight="B")
            + SearchVector("topics_en", config="english_unaccent", weight="B")
            + SearchVector("description_fr", config="french_unaccent", weight="C")
            + SearchVector("description_en", config="english_unaccent", weight="C")
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    # The names and acronym alone (the A part of search_vector), with an index
    # of their own: a broad search ranks the clusters its words name first
    # without ranking every match (facets.search_results()).
    name_vector = models.GeneratedField(
        expression=(
            SearchVector("name_fr", "name_en", "acronym", config="simple_unaccent", weight="A")
            + SearchVector("name_fr", "acronym", config="french_unaccent", weight="A")
            + SearchVector("name_en", config="english_unaccent", weight="A")
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    version = version_field()

    objects = SlugManager.from_queryset(ClusterQuerySet)()

    class Meta:
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        ordering = ["sort_name_fr", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="directory_cluster_slug_unique"),
            models.UniqueConstraint(
                Fold("name_fr"),
                name="directory_cluster_name_unique",
                violation_error_message=_("A cluster with this name already exists."),
            ),
            models.CheckConstraint(
                condition=Q(member_count_year__isnull=True) | Q(member_count__isnull=False),
                name="directory_cluster_member_year_needs_count",
                violation_error_message=_("Give the number of members for that year."),
            ),
        ]
        indexes = [
            models.Index(fields=["sort_name_fr"], name="directory_cluster_sort_fr"),
            models.Index(fields=["sort_name_en"], name="directory_cluster_sort_en"),
            models.Index(fields=["-last_reviewed"], name="directory_cluster_reviewed"),
            # The facet counts read only this index (an index-only scan).
            models.Index(
                fields=["cluster_type"],
                include=["sector_ids", "region_ids", "label_years"],
                condition=Q(is_published=True),
                name="directory_cluster_facets",
            ),
            GinIndex(fields=["sector_ids"], name="directory_cluster_sector_ids"),
            GinIndex(fields=["region_ids"], name="directory_cluster_region_ids"),
            GinIndex(fields=["label_years"], name="directory_cluster_label_years"),
            GinIndex(
                OpClass(F("sort_name_fr"), name="gin_trgm_ops"),
                name="directory_cluster_trgm_fr",
            ),
            GinIndex(
                OpClass(F("sort_name_en"), name="gin_trgm_ops"),
                name="directory_cluster_trgm_en",
            ),
            GinIndex(fields=["search_vector"], name="directory_cluster_search"),
            GinIndex(fields=["name_vector"], name="directory_cluster_name_search"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("guide:cluster-detail", kwargs={"slug": self.slug})

    @property
    def label_status(self) -> str:
        """Its label today (labelled now, label ended, no official label): no query."""
        return label_status(self.label_years, timezone.localdate().year)

    def get_label_status_display(self) -> str:
        return LabelStatus(self.label_status).label


class ClusterToReview(Cluster):
    """The clusters due for review (ClusterQuerySet.to_review()), as staff see them."""

    class Meta:
        proxy = True
        verbose_name = _("cluster to review")
        verbose_name_plural = _("clusters to review")

    def review_reasons(self, today: datetime.date | None = None) -> list[str]:
        """Why it is due, in words: what to_review() tests, for this row."""
        today = today or timezone.localdate()
        reasons = review_age_reasons(self.last_reviewed, today)
        if self.verification != Verification.VERIFIED:
            reasons.append(_("facts not fully verified"))
        if not self.description_en:
            reasons.append(_("English description missing"))
        if getattr(self, "website_failed", False):  # annotated by to_review()
            reasons.append(_("website failed its last check"))
        return [str(reason) for reason in reasons]


class LabellingManager(models.Manager):
    def get_by_natural_key(self, cluster_slug, phase_fr, year):
        return self.get(cluster__slug=cluster_slug, phase_fr=phase_fr, year=year)


class Labelling(models.Model):
    """One step of a cluster's label history: which call or phase, which year."""

    class Outcome(models.TextChoices):
        LABELLED = "labelled", _("Labelled")
        PROBATION = "probation", _("Labelled on probation")
        LAUREATE = "laureate", _("Laureate of the call")
        WITHDRAWN = "withdrawn", _("Label withdrawn")

    cluster = models.ForeignKey(
        Cluster, models.CASCADE, related_name="labellings", verbose_name=_("cluster")
    )
    call = models.ForeignKey(
        "CallForProposals",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="labellings",
        verbose_name=_("labelling call"),
    )
    phase = models.CharField(
        _("call or phase"), max_length=150, help_text=_("For example: Phase V (2023–2026).")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    until_year = models.PositiveSmallIntegerField(
        _("until"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.LABELLED
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    verification = models.CharField(
        _("fact check"),
        max_length=10,
        choices=Verification.choices,
        default=Verification.UNVERIFIED,
    )

    objects = LabellingManager()

    class Meta:
        verbose_name = _("label history entry")
        verbose_name_plural = _("label history")
        ordering = ["cluster", "year", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(until_year__isnull=True) | Q(until_year__gte=F("year")),
                name="directory_labelling_until_after_year",
                violation_error_message=_("The end year cannot come before the year."),
            ),
            models.UniqueConstraint(
                fields=["cluster", "phase_fr", "year"], name="directory_labelling_unique"
            ),
        ]

    def __str__(self):
        return f"{self.phase} ({self.year})"

    def natural_key(self):
        return (self.cluster.slug, self.phase_fr, self.year)

    natural_key.dependencies = ["directory.cluster"]


class ContactManager(models.Manager):
    def get_by_natural_key(self, last_name, first_name, organisation_slug, cluster_slug):
        return self.get(
            last_name=last_name,
            first_name=first_name,
            organisation__slug=organisation_slug,
            cluster__slug=cluster_slug,
        )


class Contact(Versioned, models.Model):
    """A person to contact, at an organisation or a cluster."""

    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=80)
    role = models.CharField(_("role"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("organisation"),
    )
    cluster = models.ForeignKey(
        Cluster,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("cluster"),
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_public = models.BooleanField(
        _("details public"),
        default=False,
        help_text=_("Show the email and phone on the public site (the person agreed)."),
    )
    sources = models.TextField(_("sources"), blank=True, help_text=_("One source per line."))
    sort_name = models.GeneratedField(
        expression=Fold(models.functions.Concat("last_name", Value(" "), "first_name")),
        output_field=models.CharField(max_length=170),
        db_persist=True,
    )
    version = version_field()

    objects = ContactManager()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["sort_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["last_name", "first_name", "organisation", "cluster"],
                name="directory_contact_unique",
                nulls_distinct=False,
                violation_error_message=_("This person is already a contact there."),
            ),
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | Q(cluster__isnull=False),
                name="directory_contact_has_affiliation",
                violation_error_message=_("Attach the contact to an organisation or a cluster."),
            ),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    def natural_key(self):
        return (
            self.last_name,
            self.first_name,
            self.organisation.slug if self.organisation_id else None,
            self.cluster.slug if self.cluster_id else None,
        )

    natural_key.dependencies = ["directory.organisation", "directory.cluster"]


class DatePrecision(models.TextChoices):
    """How much of a date is known: old calls are often known to the month or year."""

    DAY = "day", _("Exact date")
    MONTH = "month", _("Month only")
    YEAR = "year", _("Year only")
    BEFORE = "before", _("No later than this date")


class CallQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def with_status(self, today: datetime.date | None = None):
        """Annotate ``status`` and ``status_rank`` (open calls first) from the dates."""
        today = today or timezone.localdate()
        soon = today + datetime.timedelta(days=CallForProposals.CLOSING_SOON_DAYS)
        Status = CallForProposals.Status
        status = Case(
            When(opens_on__gt=today, then=Value(Status.UPCOMING)),
            When(closes_on__lt=today, then=Value(Status.CLOSED)),
            When(closes_on__lt=soon, then=Value(Status.CLOSING_SOON)),
            default=Value(Status.OPEN),
            output_field=models.CharField(),
        )
        rank = Case(
            *(
                When(status=value, then=Value(i))
                for i, value in enumerate(CallForProposals.STATUS_RANKING)
            ),
            output_field=models.IntegerField(),
        )
        return self.annotate(status=status).annotate(status_rank=rank)

    def by_status(self, today: datetime.date | None = None):
        """Closing soon, open, upcoming, then closed calls.

        Within each group the next date that matters comes first: the nearest
        deadline, the nearest opening; closed calls most recent first.
        """
        Status = CallForProposals.Status
        next_deadline = Case(
            When(status=Status.CLOSED, then=Value(None)),
            default=F("closes_on"),
            output_field=models.DateField(),
        )
        next_opening = Case(
            When(status=Status.UPCOMING, then=F("opens_on")),
            default=Value(None),
            output_field=models.DateField(),
        )
        return self.with_status(today).order_by(
            "status_rank",
            next_deadline.asc(nulls_last=True),
            next_opening.asc(nulls_last=True),
            F("closes_on").desc(nulls_last=True),
            "pk",
        )

    def to_review(self, today: datetime.date | None = None):
        """Published calls that need an editor: never reviewed or not for a year,
        past their deadline since their last review (a next edition? still
        accurate?), English text missing, or their link failing its last check."""
        today = today or timezone.localdate()
        failed = LinkCheck.objects.failing().filter(url=OuterRef("url"))
        return (
            self.published()
            .annotate(link_failed=Exists(failed))
            .filter(
                review_is_due(today)
                | Q(closes_on__lt=today, last_reviewed__lt=F("closes_on"))
                | Q(title_en__isnull=True)
                | Q(title_en="")
                | Q(description_en__isnull=True)
                | Q(description_en="")
                | Q(link_failed=True)
            )
        )

    def open_on(self, today: datetime.date | None = None):
        Status = CallForProposals.Status
        return self.with_status(today).filter(status__in=[Status.OPEN, Status.CLOSING_SOON])


class CallForProposals(SlugKeyed, Publishable, Versioned, models.Model):
    """An appel à projets: a funding call, or a call that awards a cluster label."""

    CLOSING_SOON_DAYS = 30

    class Kind(models.TextChoices):
        FUNDING = "funding", _("Funding call")
        LABELLING = "labelling", _("Labelling call")

    class Status(models.TextChoices):
        UPCOMING = "upcoming", _("Upcoming")
        OPEN = "open", _("Open")
        CLOSING_SOON = "closing-soon", _("Closing soon")
        CLOSED = "closed", _("Closed")

    # The order of the calls pages: what can still be answered comes first.
    STATUS_RANKING = (Status.CLOSING_SOON, Status.OPEN, Status.UPCOMING, Status.CLOSED)

    slug = models.SlugField(_("slug"), max_length=100, db_index=False)
    title = models.CharField(_("title"), max_length=250)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    funder = models.ForeignKey(
        Organisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("funder or organiser"),
    )
    eligible_types = models.ManyToManyField(
        ClusterType, related_name="calls", verbose_name=_("eligible cluster types"), blank=True
    )
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    opens_precision = models.CharField(
        _("opening date precision"),
        max_length=6,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    closes_on = models.DateField(
        _("closes on"), null=True, blank=True, help_text=_("Empty for a call with no deadline.")
    )
    closes_precision = models.CharField(
        _("closing date precision"),
        max_length=6,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_(
            "For a past call whose exact dates are not recorded: the month, the year, "
            "or a date by which it had surely closed (its results, for example)."
        ),
    )
    budget_eur = models.DecimalField(
        _("budget (euros)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    budget_note = models.CharField(_("budget details"), max_length=250, blank=True)
    url = models.URLField(_("link"), blank=True)
    description = models.TextField(_("description"))
    sources = models.TextField(_("sources"), blank=True, help_text=_("One source per line."))
    is_published = models.BooleanField(_("published"), default=True)
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = version_field()

    objects = SlugManager.from_queryset(CallQuerySet)()

    class Meta:
        verbose_name = _("call for proposals")
        verbose_name_plural = _("calls for proposals")
        ordering = ["-closes_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="directory_call_slug_unique"),
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True)
                | Q(closes_on__isnull=True)
                | Q(closes_on__gte=F("opens_on")),
                name="directory_call_closes_after_opening",
                violation_error_message=_("The closing date cannot come before the opening date."),
            ),
            models.CheckConstraint(
                condition=Q(budget_eur__isnull=True) | Q(budget_eur__gte=0),
                name="directory_call_budget_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["closes_on", "opens_on"], name="directory_call_dates"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("guide:call-detail", kwargs={"slug": self.slug})

    def status_on(self, day: datetime.date) -> str:
        """The call's status on ``day``; CallQuerySet.with_status() says the same in SQL."""
        if self.opens_on and day < self.opens_on:
            return self.Status.UPCOMING
        if self.closes_on:
            if day > self.closes_on:
                return self.Status.CLOSED
            if (self.closes_on - day).days < self.CLOSING_SOON_DAYS:
                return self.Status.CLOSING_SOON
        return self.Status.OPEN

    def get_status_display(self) -> str:
        return self.Status(self.current_status).label

    @property
    def current_status(self) -> str:
        return getattr(self, "status", None) or self.status_on(timezone.localdate())


class CallToReview(CallForProposals):
    """The calls due for review (CallQuerySet.to_review()), as staff see them."""

    class Meta:
        proxy = True
        verbose_name = _("call to review")
        verbose_name_plural = _("calls to review")

    def review_reasons(self, today: datetime.date | None = None) -> list[str]:
        """Why it is due, in words: what to_review() tests, for this row."""
        today = today or timezone.localdate()
        reasons = review_age_reasons(self.last_reviewed, today)
        if (
            self.closes_on
            and self.closes_on < today
            and (self.last_reviewed is None or self.last_reviewed < self.closes_on)
        ):
            reasons.append(_("deadline passed since the last review"))
        if not self.title_en or not self.description_en:
            reasons.append(_("English text missing"))
        if getattr(self, "link_failed", False):  # annotated by to_review()
            reasons.append(_("link failed its last check"))
        return [str(reason) for reason in reasons]


class OfficialFigureManager(models.Manager):
    def get_by_natural_key(self, type_slug, label_fr, year):
        return self.get(cluster_type__slug=type_slug, label_fr=label_fr, year=year)


class OfficialFigure(models.Model):
    """A programme's official figure (count or budget), with its year and source."""

    class Unit(models.TextChoices):
        COUNT = "count", _("Count")
        EUROS = "euros", _("Euros")

    cluster_type = models.ForeignKey(
        ClusterType,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="figures",
        verbose_name=_("cluster type"),
        help_text=_("Empty for a figure about the whole ecosystem."),
    )
    label = models.CharField(_("label"), max_length=200)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=0)
    unit = models.CharField(_("unit"), max_length=5, choices=Unit.choices, default=Unit.COUNT)
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    note = models.CharField(_("note"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=300)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = OfficialFigureManager()

    class Meta:
        verbose_name = _("official figure")
        verbose_name_plural = _("official figures")
        ordering = ["cluster_type", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cluster_type", "label_fr", "year"],
                name="directory_officialfigure_unique",
                nulls_distinct=False,
            ),
        ]

    def __str__(self):
        return f"{self.label}: {self.value} ({self.year})"

    def natural_key(self):
        return (self.cluster_type.slug if self.cluster_type_id else None, self.label_fr, self.year)

    natural_key.dependencies = ["directory.clustertype"]


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def in_calendar_order(self, today: datetime.date | None = None):
        """Events not over yet, soonest first, then past ones, most recent first.

        Annotates ``is_past``: an event is over once its last day (its only
        day, or the end of its month or year when only those are known) is
        before ``today``.
        """
        today = today or timezone.localdate()
        # Without an end date, an event known to the month (or year) lasts
        # until that month (or year) is over.
        over = Q(ends_on__lt=today) | Q(ends_on__isnull=True) & (
            Q(date_precision=DatePrecision.MONTH, starts_on__lt=today.replace(day=1))
            | Q(date_precision=DatePrecision.YEAR, starts_on__lt=today.replace(month=1, day=1))
            | Q(
                ~Q(date_precision__in=[DatePrecision.MONTH, DatePrecision.YEAR]),
                starts_on__lt=today,
            )
        )
        is_past = Case(When(over, then=Value(True)), default=Value(False))
        ahead = {
            field: Case(When(is_past=False, then=F(field))).asc() for field in ("starts_on", "pk")
        }
        return self.annotate(is_past=is_past).order_by(
            "is_past", ahead["starts_on"], ahead["pk"], F("starts_on").desc(), F("pk").desc()
        )


class Event(SlugKeyed, Publishable, models.Model):
    """A gathering of the cluster network: summit, forum, training day, study tour..."""

    class Kind(models.TextChoices):
        GATHERING = "gathering", _("Inter-cluster gathering")
        CONFERENCE = "conference", _("Conference or summit")
        TRAINING = "training", _("Training day")
        STUDY_TOUR = "study-tour", _("Study tour")
        FORUM = "forum", _("Networking forum")
        TRADE_FAIR = "trade-fair", _("Trade fair")

    slug = models.SlugField(_("slug"), max_length=100, db_index=False)
    title = models.CharField(_("title"), max_length=250)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    date_precision = models.CharField(
        _("date precision"),
        max_length=6,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_("For a past event known only by its month or year."),
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    organiser = models.ForeignKey(
        Organisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("organiser"),
    )
    clusters = models.ManyToManyField(
        Cluster, related_name="events", verbose_name=_("partner clusters"), blank=True
    )
    url = models.URLField(_("link"), blank=True)
    description = models.TextField(_("description"))
    sources = models.TextField(_("sources"), blank=True, help_text=_("One source per line."))
    is_published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SlugManager.from_queryset(EventQuerySet)()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="directory_event_slug_unique"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="directory_event_ends_after_start",
                violation_error_message=_("An event cannot end before it starts."),
            ),
        ]
        indexes = [
            models.Index(fields=["starts_on", "ends_on"], name="directory_event_dates"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("guide:event-detail", kwargs={"slug": self.slug})


class ContentVersionManager(models.Manager):
    # Read and moved on the primary database, whatever serves the page's reads.
    def state(self):
        """The number and when it last moved (None before the first migration's row)."""
        found = self.using(DEFAULT_DB_ALIAS).filter(pk=1).values_list("number", "changed_at")
        return next(iter(found), (0, None))

    def number(self) -> int:
        return self.state()[0]

    def bump(self) -> None:
        self.using(DEFAULT_DB_ALIAS).filter(pk=1).update(number=F("number") + 1, changed_at=Now())


class ContentVersion(models.Model):
    """One row whose number grows with every change to the guide's content.

    Cached pages and cached facet values are keyed by it: a change made in the
    admin, an import or a migration gives a new number in the same
    transaction, so no visitor is served the old version once it is saved,
    whichever server or worker answers.
    """

    number = models.BigIntegerField(_("number"), default=1)
    # The last change's time: the open data's Last-Modified and modification dates.
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    objects = ContentVersionManager()

    class Meta:
        verbose_name = _("content version")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="directory_contentversion_single_row"),
        ]

    def __str__(self):
        return str(self.number)


class LinkCheckQuerySet(models.QuerySet):
    def failing(self, times: int = 1):
        """Addresses that failed at least their last ``times`` checks."""
        return self.filter(failures__gte=times)


class LinkCheck(models.Model):
    """The last check of a website address the guide links to (manage.py check_links).

    Kept apart from the entries: a check never edits content, moves no
    version and writes no history.
    """

    FAILING_AFTER = 2  # failed checks in a row before the public pages stop linking

    url = models.URLField(_("address"), max_length=500)
    status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    final_url = models.URLField(_("final address"), max_length=500, blank=True)
    redirects = models.PositiveSmallIntegerField(_("redirects followed"), default=0)
    error = models.CharField(_("error"), max_length=200, blank=True)
    checked_at = models.DateTimeField(_("checked at"))
    failures = models.PositiveSmallIntegerField(
        _("failed checks in a row"), default=0, help_text=_("0 when the last check succeeded.")
    )

    objects = LinkCheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("link check")
        verbose_name_plural = _("link checks")
        ordering = ["url"]
        constraints = [
            models.UniqueConstraint(fields=["url"], name="directory_linkcheck_url_unique"),
        ]

    def __str__(self):
        return self.url

    @property
    def is_failing(self) -> bool:
        """Failed its last two checks: the public pages say so instead of linking."""
        return self.failures >= self.FAILING_AFTER


class SynonymGroupManager(models.Manager):
    def get_by_natural_key(self, key):
        return self.get(key=key)


class SynonymGroup(models.Model):
    """Words that mean the same to a searcher, across French, English and everyday speech.

    A search for any of them searches for all (search.py). Staff keep the
    groups in the admin; a change moves the content version, so the next
    search uses it and no cached page outlives it.
    """

    key = models.SlugField(
        _("key"), max_length=60, unique=True, help_text=_("A short name for the group.")
    )
    terms = models.TextField(
        _("words and phrases"),
        help_text=_(
            "One per line, in French or English, singular or plural, with or without accents: "
            "e.g. cheval, chevaux, équin, equine, horse, horses."
        ),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = SynonymGroupManager()

    class Meta:
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonyms (search thesaurus)")
        ordering = ["key"]

    def __str__(self):
        return ", ".join(self.term_list()[:4])

    def natural_key(self):
        return (self.key,)

    def term_list(self) -> list[str]:
        return [line.strip() for line in self.terms.splitlines() if line.strip()]
