"""Email alerts: a visitor follows what a page of the guide lists, and hears of what is new.

A subscription is an email address, what it follows (the directory, the
calls or the events, with the page's filters as a query string), a language
and a frequency. It is personal data and holds nothing else: the address and
the consent (when, from which page). Nothing is sent before the address is
confirmed, except the confirmation itself; unconfirmed subscriptions are
deleted after UNCONFIRMED_DAYS; unsubscribing deletes the row at once.
"""

import uuid

from django.core import signing
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

UNCONFIRMED_DAYS = 7
CONFIRM_SALT = "alerts.confirm"
MANAGE_SALT = "alerts.manage"


class Target(models.TextChoices):
    CLUSTERS = "clusters", _("Clusters")
    CALLS = "calls", _("Calls for proposals")
    EVENTS = "events", _("Events")


class Frequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class Language(models.TextChoices):
    FR = "fr", _("French")
    EN = "en", _("English")


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def active(self):
        """Those that receive digests: confirmed and not paused."""
        return self.confirmed().filter(paused=False)


class Subscription(models.Model):
    # What its links sign: not its id, and a new one for a new subscription.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("email address"), max_length=254)
    target = models.CharField(_("follows"), max_length=10, choices=Target.choices)
    query = models.CharField(
        _("filters"),
        max_length=2000,
        blank=True,
        help_text=_("The page's filters, as the query string of its address."),
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    frequency = models.CharField(
        _("frequency"), max_length=6, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    paused = models.BooleanField(_("paused"), default=False)
    # The consent: when and from which page; and when it was confirmed.
    created_at = models.DateTimeField(_("subscribed"), auto_now_add=True)
    consent_page = models.CharField(_("subscribed from"), max_length=2200)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(_("confirmation sent"), null=True, blank=True)
    # What is new for it is what was published or changed after this moment:
    # its confirmation, then the end of the period of its last digest.
    watermark = models.DateTimeField(_("news since"), null=True, blank=True)
    last_period = models.CharField(
        _("last digest for"), max_length=10, blank=True, help_text=_("A day or an ISO week.")
    )

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("email alert")
        verbose_name_plural = _("email alerts")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"), "target", "query", name="alerts_subscription_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["frequency", "confirmed_at"], name="alerts_sub_due"),
            models.Index(fields=["created_at"], name="alerts_sub_created"),
        ]

    def __str__(self):
        return f"{self.email} · {self.get_target_display()} ({self.get_frequency_display()})"

    def get_absolute_url(self):
        """The subscription's own page, in its language, reached by a signed link."""
        with translation.override(self.language):
            return reverse("alerts:manage", kwargs={"token": self.manage_token()})

    def manage_token(self) -> str:
        """Signs the subscription's page, its one-click unsubscription; never expires."""
        return signing.dumps(self.key.hex, salt=MANAGE_SALT, compress=True)

    def confirm_token(self) -> str:
        """Signs the confirmation link; expires after UNCONFIRMED_DAYS."""
        return signing.dumps(self.key.hex, salt=CONFIRM_SALT, compress=True)

    @classmethod
    def from_token(cls, token: str, salt: str):
        """The subscription a link names, or None (tampered, expired, or deleted since)."""
        max_age = UNCONFIRMED_DAYS * 24 * 3600 if salt == CONFIRM_SALT else None
        try:
            key = signing.loads(token, salt=salt, max_age=max_age)
            return cls.objects.filter(key=uuid.UUID(key)).first()
        except (signing.BadSignature, ValueError, TypeError):
            return None


class Reason(models.TextChoices):
    """Why an item is in a digest."""

    NEW = "new", _("New")
    LABEL = "label", _("Label status changed")
    DEADLINE_14 = "deadline-14", _("Deadline in 14 days")
    DEADLINE_3 = "deadline-3", _("Deadline in 3 days")


class Delivery(models.Model):
    """An item told to a subscriber, once: a rerun of a digest never tells it again."""

    subscription = models.ForeignKey(
        Subscription, models.CASCADE, related_name="deliveries", verbose_name=_("email alert")
    )
    target = models.CharField(_("kind"), max_length=10, choices=Target.choices)
    item_id = models.PositiveBigIntegerField(_("item"))
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    period = models.CharField(_("digest of"), max_length=10)
    sent_at = models.DateTimeField(_("queued"), auto_now_add=True)

    class Meta:
        verbose_name = _("item sent")
        verbose_name_plural = _("items sent")
        ordering = ["-sent_at", "pk"]
        constraints = [
            # Once per period: a label may change again in a later period.
            models.UniqueConstraint(
                fields=["subscription", "target", "item_id", "reason", "period"],
                name="alerts_delivery_once",
            ),
        ]

    def __str__(self):
        return f"{self.subscription_id}: {self.target} {self.item_id} ({self.reason})"
