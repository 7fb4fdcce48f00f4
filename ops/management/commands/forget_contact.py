"""Erase a person from the guide: their contact rows and every past version of them, the
requests and reports they sent, and the mail to them still waiting in the queue.

For a request under the GDPR's right to erasure (see docs/privacy.md). Deleting
a contact in the admin keeps its earlier versions in the history; this
command removes both, and says what it removed.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from mailer.models import Message

from directory.models import Contact
from inbox.models import Action, ErrorReport, IntroductionRequest


def queued_mail_to(email: str) -> list[int]:
    """The queued messages to or about ``email`` (the queue is short: read it whole)."""
    email = email.lower()
    found = []
    for message in Message.objects.all():
        data = message.email
        if data is None:
            continue
        addresses = [*data.to, *data.cc, *data.bcc, *data.reply_to]
        if any(email in address.lower() for address in addresses) or email in data.body.lower():
            found.append(message.pk)
    return found


class Command(BaseCommand):
    help = (
        "Delete every contact row of a person (by email or by id) and its history; with "
        "--email, also their introduction requests, error reports and queued mail."
    )

    def add_arguments(self, parser):
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--email", help="Every contact with this email (any case).")
        who.add_argument("--id", type=int, action="append", dest="ids", help="A contact's id.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be erased, erase nothing."
        )

    def handle(self, email=None, ids=None, dry_run=False, **options):
        Historical = Contact.history.model
        requests = IntroductionRequest.objects.none()
        reports = ErrorReport.objects.none()
        mail = []
        actions = Action.objects.none()
        if email is not None:
            email = email.strip()
            if not email:
                raise CommandError("Give an email address.")
            ids = Contact.objects.filter(email__iexact=email).values_list("pk", flat=True)
            # Earlier versions may carry the email of a row that has since changed it.
            earlier = Historical.objects.filter(email__iexact=email).values_list("id", flat=True)
            ids = [*ids, *earlier]
            requests = IntroductionRequest.objects.filter(email__iexact=email)
            reports = ErrorReport.objects.filter(email__iexact=email)
            mail = queued_mail_to(email)
            # Requests forwarded to this person keep that they were, not to whom.
            actions = Action.objects.filter(recipients__icontains=email)
        contacts = Contact.objects.filter(pk__in=set(ids))
        history = Historical.objects.filter(id__in=set(ids))
        names = sorted(f"{c.first_name} {c.last_name} (#{c.pk})" for c in contacts)
        count, past = len(names), history.count()
        references = sorted([*(r.reference for r in requests), *(r.reference for r in reports)])
        if not (count or past or references or mail):
            raise CommandError("No contact, current or past, and nothing sent by them matches.")
        if not dry_run:
            with transaction.atomic():
                contacts.delete()
                history.delete()
                requests.delete()  # their actions go with them
                reports.delete()
                Message.objects.filter(pk__in=mail).delete()
                actions.update(recipients="(erased on request)")
        verb = "Would erase" if dry_run else "Erased"
        self.stdout.write(
            f"{verb} {count} contact row(s) {', '.join(names)} and {past} past version(s); "
            f"{len(references)} request(s) and report(s) {', '.join(references)}; "
            f"{len(mail)} queued message(s)."
        )
