"""Erase a person from the guide: their contact rows and every past version of them.

For a request under the GDPR's right to erasure (see docs/privacy.md). Deleting
a contact in the admin keeps its earlier versions in the history; this
command removes both, and says what it removed.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from directory.models import Contact


class Command(BaseCommand):
    help = "Delete every contact row of a person (by email or by id) and its history."

    def add_arguments(self, parser):
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--email", help="Every contact with this email (any case).")
        who.add_argument("--id", type=int, action="append", dest="ids", help="A contact's id.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be erased, erase nothing."
        )

    def handle(self, email=None, ids=None, dry_run=False, **options):
        Historical = Contact.history.model
        if email is not None:
            email = email.strip()
            if not email:
                raise CommandError("Give an email address.")
            ids = Contact.objects.filter(email__iexact=email).values_list("pk", flat=True)
            # Earlier versions may carry the email of a row that has since changed it.
            earlier = Historical.objects.filter(email__iexact=email).values_list("id", flat=True)
            ids = [*ids, *earlier]
        contacts = Contact.objects.filter(pk__in=set(ids))
        history = Historical.objects.filter(id__in=set(ids))
        names = sorted(f"{c.first_name} {c.last_name} (#{c.pk})" for c in contacts)
        count, past = len(names), history.count()
        if not count and not past:
            raise CommandError("No contact, current or past, matches.")
        if not dry_run:
            with transaction.atomic():
                contacts.delete()
                history.delete()
        verb = "Would erase" if dry_run else "Erased"
        self.stdout.write(
            f"{verb} {count} contact row(s) {', '.join(names)} and {past} past version(s)."
        )
