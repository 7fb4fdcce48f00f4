"""Erase what the inbox no longer needs: run it daily from cron (see the README).

Requests and reports go INBOX_KEPT_DAYS after they were closed, spam after
SPAM_KEPT_DAYS, the mail log (dates and results, no content) after
MAIL_LOG_KEPT_DAYS. Open items are never purged.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from mailer.models import RESULT_FAILURE, RESULT_SUCCESS, MessageLog

from inbox.models import ErrorReport, IntroductionRequest, Status


class Command(BaseCommand):
    help = "Delete closed requests and reports past their retention, old spam and old mail logs."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be deleted, delete nothing."
        )

    def handle(self, dry_run=False, **options):
        now = timezone.now()
        kept = now - datetime.timedelta(days=settings.INBOX_KEPT_DAYS)
        spam = now - datetime.timedelta(days=settings.SPAM_KEPT_DAYS)
        log = now - datetime.timedelta(days=settings.MAIL_LOG_KEPT_DAYS)
        counts = {}
        with transaction.atomic():
            for model, name in (
                (IntroductionRequest, "introduction requests"),
                (ErrorReport, "error reports"),
            ):
                old = model.objects.filter(closed_at__lt=kept) | model.objects.filter(
                    status=Status.SPAM, closed_at__lt=spam
                )
                counts[name] = old.count()
                if not dry_run:
                    old.delete()
            old_log = MessageLog.objects.filter(
                when_attempted__lt=log, result__in=[RESULT_SUCCESS, RESULT_FAILURE]
            )
            counts["mail log entries"] = old_log.count()
            if not dry_run:
                old_log.delete()
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(f"{verb} " + ", ".join(f"{n} {name}" for name, n in counts.items()) + ".")
