"""What visitors send: introduction requests and error reports, and what staff did with them.

Both are personal data: they appear only in the admin (never on a public
page, export, feed or sitemap), are erased with the person's other data by
``manage.py forget_contact``, and are purged INBOX_KEPT_DAYS after they are
closed by ``manage.py purge_inbox``.
"""

from django.conf import settings
from django.db import connection, models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import CallForProposals, Cluster, Event, Region, Sector

MAX_CLUSTERS = 5


class Status(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    FORWARDED = "forwarded", _("Forwarded")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    SPAM = "spam", _("Spam")


FINISHED = [Status.CLOSED, Status.SPAM]  # the statuses that close an item


class Language(models.TextChoices):
    FR = "fr", _("French")
    EN = "en", _("English")


def next_reference(prefix: str) -> str:
    """``INT-2026-0042``: the prefix, the year and the year's next number, in one statement.

    Two visitors sending at once get two numbers: the row is locked by the
    upsert until their transactions end.
    """
    year = timezone.localdate().year
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO inbox_referencecounter (prefix, year, last) VALUES (%s, %s, 1)
            ON CONFLICT (prefix, year)
            DO UPDATE SET last = inbox_referencecounter.last + 1
            RETURNING last
            """,
            [prefix, year],
        )
        (number,) = cursor.fetchone()
    return f"{prefix}-{year}-{number:04d}"


class ReferenceCounter(models.Model):
    """The last reference number given, per kind and year."""

    prefix = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField()

    class Meta:
        ordering = ["prefix", "year"]
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="inbox_counter_unique")
        ]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last}"


class InboxItem(models.Model):
    """What requests and reports share: a reference, a status, someone in charge, dates."""

    REFERENCE_PREFIX = ""

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.NEW, db_index=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    first_action_at = models.DateTimeField(_("first staff action"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, db_index=True)
    language = models.CharField(_("language of the page"), max_length=2, choices=Language)

    class Meta:
        abstract = True
        ordering = ["-received_at", "-pk"]

    def __str__(self):
        return self.reference

    def save(self, *args, **kwargs):
        if not self.reference:
            self.reference = next_reference(self.REFERENCE_PREFIX)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """Its page in the admin: requests and reports have no public page."""
        meta = self._meta
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[self.pk])


class Timeframe(models.TextChoices):
    SOON = "3m", _("Within three months")
    HALF_YEAR = "6m", _("Within six months")
    YEAR = "12m", _("Within a year")
    LATER = "later", _("Later, or not decided yet")


class IntroductionRequest(InboxItem):
    """A visitor asks to be introduced to French clusters."""

    REFERENCE_PREFIX = "INT"

    name = models.CharField(_("name"), max_length=120)
    organisation = models.CharField(_("organisation"), max_length=200)
    country = models.CharField(_("country"), max_length=6)
    email = models.EmailField(_("email"), max_length=254)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    looking_for = models.TextField(_("what they are looking for"), max_length=2000)
    sectors = models.ManyToManyField(
        Sector, blank=True, related_name="+", verbose_name=_("sectors")
    )
    regions = models.ManyToManyField(
        Region, blank=True, related_name="+", verbose_name=_("regions")
    )
    clusters = models.ManyToManyField(
        Cluster, blank=True, related_name="+", verbose_name=_("clusters")
    )
    timeframe = models.CharField(_("timeframe"), max_length=6, choices=Timeframe)
    reply_language = models.CharField(_("reply language"), max_length=2, choices=Language)
    consent = models.BooleanField(_("agreed to the processing of their data"))
    share_address = models.BooleanField(
        _("agreed that their address be passed to the clusters"), default=False
    )

    class Meta(InboxItem.Meta):
        verbose_name = _("introduction request")
        verbose_name_plural = _("introduction requests")
        indexes = [models.Index(fields=["email"], name="inbox_request_email")]
        constraints = [
            models.CheckConstraint(condition=Q(consent=True), name="inbox_request_consent")
        ]


class ErrorReport(InboxItem):
    """A visitor says that a cluster, call or event page is wrong."""

    REFERENCE_PREFIX = "ERR"

    class Kind(models.TextChoices):
        WEBSITE = "website", _("The website is wrong")
        CONTACT = "contact", _("A contact is wrong")
        CLOSED = "closed", _("It has closed or merged")
        LABEL = "label", _("The label history is wrong")
        TRANSLATION = "translation", _("A translation problem")
        OTHER = "other", _("Something else")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    description = models.TextField(_("description"), max_length=2000)
    email = models.EmailField(_("email for a follow-up"), max_length=254, blank=True)
    cluster = models.ForeignKey(
        Cluster, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("cluster")
    )
    call = models.ForeignKey(
        CallForProposals,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("call for proposals"),
    )
    event = models.ForeignKey(
        Event, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("event")
    )
    page_title = models.CharField(_("page"), max_length=300)
    page_url = models.CharField(_("address of the page"), max_length=300)
    fix = models.TextField(_("what was fixed"), blank=True)

    class Meta(InboxItem.Meta):
        verbose_name = _("error report")
        verbose_name_plural = _("error reports")
        indexes = [models.Index(fields=["email"], name="inbox_report_email")]
        constraints = [
            models.CheckConstraint(
                condition=Q(cluster__isnull=True, call__isnull=True)
                | Q(cluster__isnull=True, event__isnull=True)
                | Q(call__isnull=True, event__isnull=True),
                name="inbox_report_one_entry",
            )
        ]

    @property
    def entry(self):
        return self.cluster or self.call or self.event


class Action(models.Model):
    """One thing that happened to a request or report: who, when, what."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Received")
        STATUS = "status", _("Status changed")
        ASSIGNED = "assigned", _("Assigned")
        FORWARDED = "forwarded", _("Forwarded")
        REPLIED = "replied", _("Replied")
        SPAM = "spam", _("Marked as spam")
        CLOSED = "closed", _("Closed")

    request = models.ForeignKey(
        IntroductionRequest, models.CASCADE, null=True, blank=True, related_name="actions"
    )
    report = models.ForeignKey(
        ErrorReport, models.CASCADE, null=True, blank=True, related_name="actions"
    )
    kind = models.CharField(_("action"), max_length=10, choices=Kind)
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.TextField(_("details"), blank=True)
    recipients = models.TextField(_("sent to"), blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(request__isnull=False, report__isnull=True)
                | Q(request__isnull=True, report__isnull=False),
                name="inbox_action_one_item",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.at:%Y-%m-%d %H:%M})"
