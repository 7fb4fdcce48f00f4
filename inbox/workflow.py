"""What happens to a request or report: received, acted on, closed. Each step is an Action.

Every function here runs in the caller's transaction: the rows and the mail
they queue (outbox.mail) are committed together or not at all.
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from directory import content_version
from outbox.mail import address, queue_mail

from .models import FINISHED, Action, ErrorReport, IntroductionRequest, Status


def _item_field(item) -> str:
    return "request" if isinstance(item, IntroductionRequest) else "report"


def record(item, kind, user=None, **details) -> Action:
    """Keep an action on the item; the first staff action dates the item's first answer."""
    action = Action.objects.create(**{_item_field(item): item}, kind=kind, by=user, **details)
    if user is not None and item.first_action_at is None:
        item.first_action_at = action.at
        item.save(update_fields=["first_action_at"])
        content_version.bump()  # the figures page shows the time to a first answer
    return action


def set_status(item, status, user, note="") -> None:
    """Move the item to ``status`` (closing it, or opening it again), and keep that."""
    if item.status == status:
        return
    item.status = status
    item.closed_at = timezone.now() if status in FINISHED else None
    item.save(update_fields=["status", "closed_at"])
    kind = {Status.SPAM: Action.Kind.SPAM, Status.CLOSED: Action.Kind.CLOSED}.get(
        status, Action.Kind.STATUS
    )
    record(item, kind, user, note=note or item.get_status_display())


def set_assignee(item, assignee, user) -> None:
    item.assignee = assignee
    item.save(update_fields=["assignee"])
    record(item, Action.Kind.ASSIGNED, user, note=str(assignee or "—"))


@transaction.atomic
def receive(item, http_request, save_related=None, acknowledge=True) -> None:
    """A visitor sent ``item``: store it, acknowledge it, tell staff. One transaction.

    ``acknowledge`` is False when the visitor's address has had its share of
    acknowledgements for the day (nobody may use the form to flood a mailbox).
    """
    item.language = http_request.LANGUAGE_CODE
    item.save()
    if save_related:
        save_related(item)
    record(item, Action.Kind.RECEIVED)
    content_version.bump()  # the figures page counts requests per month
    admin_url = http_request.build_absolute_uri(item.get_absolute_url())
    page_url = http_request.build_absolute_uri(reverse("guide:home"))
    context = {"item": item, "admin_url": admin_url, "site_url": page_url}
    if isinstance(item, IntroductionRequest):
        template, reader_language = "inbox/mail/request_received", item.reply_language
    else:
        template, reader_language = "inbox/mail/report_received", item.language
    if item.email and acknowledge:
        queue_mail(
            template,
            [item.email],
            reader_language,
            context,
            reply_to=[settings.STAFF_INBOX_EMAIL],
        )
    # No Reply-To: staff answer from the inbox, where the answer is kept.
    queue_mail(
        "inbox/mail/staff_notification",
        [settings.STAFF_INBOX_EMAIL],
        settings.LANGUAGE_CODE,
        context,
    )


@transaction.atomic
def forward(item: IntroductionRequest, user, contacts, language, subject, body) -> Action:
    """Send the request to clusters' contacts, one message each (they never see each other)."""
    reply_to = [item.email] if item.share_address else [settings.STAFF_INBOX_EMAIL]
    message_ids = [
        queue_mail(
            "inbox/mail/forward",
            [address(str(contact), contact.email)],
            language,
            {"item": item},
            reply_to=reply_to,
            subject=subject,
            body=body,
            automatic=False,
        )
        for contact in contacts
    ]
    set_status(item, Status.FORWARDED, user)
    return record(
        item,
        Action.Kind.FORWARDED,
        user,
        note=subject,
        recipients="\n".join(f"{contact} <{contact.email}>" for contact in contacts),
        message_id=" ".join(message_ids),
    )


@transaction.atomic
def reply(item, user, subject, body, language) -> Action:
    """Write to the visitor who sent the item, from the staff address."""
    message_id = queue_mail(
        "inbox/mail/reply",
        [item.email],
        language,
        {"item": item},
        reply_to=[settings.STAFF_INBOX_EMAIL],
        subject=subject,
        body=body,
        automatic=False,
    )
    if isinstance(item, IntroductionRequest):
        set_status(item, Status.ANSWERED, user)
    return record(
        item, Action.Kind.REPLIED, user, note=subject, recipients=item.email, message_id=message_id
    )


@transaction.atomic
def close_report(report: ErrorReport, user, fix: str, tell_reporter: bool) -> None:
    """The entry is fixed (or needs no fix): keep what was done, close the report, and
    tell the visitor who reported it when they left an address and staff wish to."""
    report.fix = fix
    report.save(update_fields=["fix"])
    set_status(report, Status.CLOSED, user, note=fix)
    if tell_reporter and report.email:
        message_id = queue_mail(
            "inbox/mail/report_fixed",
            [report.email],
            report.language,
            {"item": report},
            reply_to=[settings.STAFF_INBOX_EMAIL],
        )
        record(
            report,
            Action.Kind.REPLIED,
            user,
            note=fix,
            recipients=report.email,
            message_id=message_id,
        )


@transaction.atomic
def mark_spam(item, user) -> None:
    set_status(item, Status.SPAM, user)
