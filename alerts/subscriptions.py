"""Subscribing, confirming, changing and ending a subscription; the mail each causes.

Every message goes through the outgoing-mail queue (outbox), in the same
transaction as the change that causes it.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from outbox.mail import queue_mail

from .follows import described
from .models import UNCONFIRMED_DAYS, Subscription

RESEND_AFTER = timedelta(hours=1)  # a confirmation email at most once an hour per subscription


def subscribe(*, email, target, query, language, frequency, page, absolute) -> Subscription:
    """Ask for a subscription: a new one waits for its confirmation, sent now.

    Asking again for what an address already follows changes nothing and
    sends at most one email an hour (the confirmation again, or, once
    confirmed, the link to its page): the page a visitor sees next is the
    same either way, and tells nobody whether an address is subscribed.
    ``query`` is as ``follows.normalised()`` gives it (the form's view normalises it
    once, for its page too); ``absolute`` makes a path into a full address (the
    request's).
    """
    with transaction.atomic():
        subscription = _pending_or_existing(email, target, query, language, frequency, page)
        now = timezone.now()
        sent = subscription.confirmation_sent_at
        if sent and now - sent < RESEND_AFTER:
            return subscription
        subscription.confirmation_sent_at = now
        subscription.save(update_fields=["confirmation_sent_at"])
        confirmed = subscription.confirmed_at is not None
        token = subscription.manage_token() if confirmed else subscription.confirm_token()
        link = reverse("alerts:manage" if confirmed else "alerts:confirm", kwargs={"token": token})
        queue_mail(
            "alerts/mail/already" if confirmed else "alerts/mail/confirm",
            [subscription.email],
            subscription.language,
            {
                "subscription": subscription,
                "filters": described(target, query),
                "link": absolute(link),
                "page_url": absolute(subscription.consent_page),
            },
        )
    return subscription


def _pending_or_existing(email, target, query, language, frequency, page) -> Subscription:
    existing = (
        Subscription.objects.select_for_update()
        .filter(email__iexact=email, target=target, query=query)
        .first()
    )
    if existing is not None:
        if existing.confirmed_at is None:  # not yet agreed to: the latest choices count
            existing.language, existing.frequency, existing.consent_page = language, frequency, page
            existing.save(update_fields=["language", "frequency", "consent_page"])
        return existing
    try:
        with transaction.atomic():
            return Subscription.objects.create(
                email=email,
                target=target,
                query=query,
                language=language,
                frequency=frequency,
                consent_page=page,
            )
    except IntegrityError:  # the same request at the same moment: use the other's row
        return Subscription.objects.select_for_update().get(
            email__iexact=email, target=target, query=query
        )


def confirm(subscription: Subscription) -> None:
    """The address's owner agrees: digests start, with what is new from now on."""
    if subscription.confirmed_at is None:
        now = timezone.now()
        subscription.confirmed_at = subscription.watermark = now
        subscription.save(update_fields=["confirmed_at", "watermark"])


def unsubscribe(subscription: Subscription) -> None:
    """Deleted at once: the address and the consent with it."""
    subscription.delete()


def forget_unconfirmed(now=None) -> int:
    """Delete the subscriptions never confirmed within UNCONFIRMED_DAYS; how many."""
    since = (now or timezone.now()) - timedelta(days=UNCONFIRMED_DAYS)
    deleted, _ = Subscription.objects.filter(
        confirmed_at__isnull=True, created_at__lt=since
    ).delete()
    return deleted
