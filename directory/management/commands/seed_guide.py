"""Load the shipped guide (fixtures/) without overwriting anything staff edited.

``loaddata`` updates every row it finds, which would undo staff edits on each
deploy. This command adds only the rows that are not there yet (matched by
natural key: slugs, and the keys of contacts, label history and figures), so
running it again changes nothing and a new release's entries still arrive.
"""

from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand
from django.db import transaction

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


class Command(BaseCommand):
    help = "Add the shipped guide's entries that the database does not have yet."

    def add_arguments(self, parser):
        parser.add_argument(
            "fixtures",
            nargs="*",
            help="Fixture files (default: every fixtures/*.json, in name order).",
        )

    @transaction.atomic
    def handle(self, *args, **options):
        paths = [Path(p) for p in options["fixtures"]] or sorted(FIXTURES_DIR.glob("*.json"))
        added = kept = 0
        for path in paths:
            with path.open(encoding="utf-8") as handle:
                for item in serializers.deserialize("json", handle):
                    # A natural key found in the database has given the
                    # object its existing primary key: leave that row alone.
                    if item.object.pk is not None:
                        kept += 1
                        continue
                    item.save()
                    added += 1
        self.stdout.write(
            self.style.SUCCESS(f"Guide data: {added} rows added, {kept} already present.")
        )
