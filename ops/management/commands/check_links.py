"""manage.py check_links: check every website the guide links to, and record the results.

Reads the websites of published clusters and organisations and the links of
published calls and events, checks each distinct address (ops/linkcheck.py)
and records its status code, final address, redirects and date in
LinkCheck, with the number of failed checks in a row. It never edits an
entry. Runnable from cron (quiet unless something fails to run); by hand it
shows its progress.
"""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from directory import content_version
from directory.models import CallForProposals, Cluster, Event, LinkCheck, Organisation
from ops import linkcheck


def addresses() -> list[str]:
    """Every distinct address the public pages link to, in a stable order."""
    found = set()
    for queryset, field in (
        (Cluster.objects.published(), "website"),
        (Organisation.objects.all(), "website"),
        (CallForProposals.objects.published(), "url"),
        (Event.objects.published(), "url"),
    ):
        found.update(queryset.exclude(**{field: ""}).values_list(field, flat=True))
    return sorted(found)


def record(results) -> None:
    """Store the results in one statement; failures in a row add up, a success resets them."""
    now = timezone.now()
    earlier = dict(
        LinkCheck.objects.filter(url__in=[r.url for r in results]).values_list("url", "failures")
    )
    rows = [
        LinkCheck(
            url=r.url,
            status=r.status,
            final_url=r.final_url[:500],
            redirects=r.redirects,
            error=r.error[:200],
            checked_at=now,
            failures=0 if r.ok else earlier.get(r.url, 0) + 1,
        )
        for r in results
    ]
    with transaction.atomic():
        # One upsert, no signal per row; the pages that show a check change
        # with the content version, moved once.
        LinkCheck.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["url"],
            update_fields=["status", "final_url", "redirects", "error", "checked_at", "failures"],
        )
        content_version.bump()


class Command(BaseCommand):
    help = "Check the websites the guide links to and record each one's status."

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=8, help="addresses checked at once")
        parser.add_argument("--timeout", type=float, default=10.0, help="seconds per address")
        parser.add_argument(
            "--deadline", type=float, default=600.0, help="seconds for the whole run"
        )
        parser.add_argument(
            "--progress", action="store_true", help="show progress (default: on a terminal)"
        )

    def handle(self, *args, **options):
        urls = addresses()
        show = options["progress"] or sys.stderr.isatty()

        def progress(done, total):
            self.stderr.write(f"\r{done}/{total} addresses", ending="")

        results = linkcheck.check_all(
            urls,
            workers=max(1, options["workers"]),
            deadline=options["deadline"],
            progress=progress if show else None,
            timeout=options["timeout"],
            user_agent=settings.LINK_CHECK_USER_AGENT,
            allow_private=settings.LINK_CHECK_ALLOW_PRIVATE,
        )
        if show:
            self.stderr.write("")
        record(results)
        failed = [r for r in results if not r.ok]
        self.stdout.write(f"{len(results)} addresses checked, {len(failed)} failed.")
        for r in sorted(failed, key=lambda r: r.url):
            self.stdout.write(f"  {r.url}: {r.error or r.status}")
