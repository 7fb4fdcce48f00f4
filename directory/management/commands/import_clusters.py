"""Import clusters from a CSV or XLSX file (the admin's import format), matched on slug.

    manage.py import_clusters clusters.csv [--dry-run] [--chunk-size 200]

Shows a progress bar, then a summary: created, updated, unchanged, rejected
(each rejected row with its line number and reasons). Rows are imported in
chunks, each in its own transaction; a chunk that hits an unexpected error is
retried row by row so that only the faulty rows are left out.
"""

from pathlib import Path

import tablib
from django.core.management.base import BaseCommand, CommandError, no_translations
from import_export.results import RowResult

from directory.resources import ClusterResource

FORMATS = {".csv": "csv", ".xlsx": "xlsx"}


def read_dataset(path: Path) -> tablib.Dataset:
    try:
        file_format = FORMATS[path.suffix.lower()]
    except KeyError:
        raise CommandError(f"{path.name}: give a .csv or .xlsx file.") from None
    try:
        if file_format == "csv":
            content = path.read_text(encoding="utf-8-sig")
        else:
            content = path.read_bytes()
    except OSError as error:
        raise CommandError(f"{path}: {error.strerror}.") from None
    except UnicodeDecodeError:
        raise CommandError(f"{path.name}: the CSV file must be encoded in UTF-8.") from None
    try:
        return tablib.Dataset().load(content, format=file_format)
    except Exception as error:  # tablib raises many kinds on malformed files
        raise CommandError(f"{path.name}: cannot read it as {file_format}: {error}") from None


def describe_errors(error_dict) -> str:
    return "; ".join(
        f"{field}: {' '.join(str(m) for m in messages)}"
        if field != "__all__"
        else " ".join(str(m) for m in messages)
        for field, messages in error_dict.items()
    )


class Command(BaseCommand):
    help = "Import clusters from a CSV or XLSX file, matched on slug (creates or updates)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report, save nothing."
        )
        parser.add_argument("--chunk-size", type=int, default=200)

    @no_translations  # the report is in English, like the command's own text
    def handle(self, path, dry_run, chunk_size, **options):
        dataset = read_dataset(path)
        missing = {"slug", "name_fr", "cluster_type"} - set(dataset.headers or [])
        if missing:
            raise CommandError(f"{path.name}: missing column(s): {', '.join(sorted(missing))}.")
        self.totals = {"created": 0, "updated": 0, "unchanged": 0, "rejected": 0}
        self.rejections = []
        total = len(dataset)
        for start in range(0, total, max(chunk_size, 1)):
            chunk = tablib.Dataset(*dataset[start : start + chunk_size], headers=dataset.headers)
            self.import_chunk(chunk, first_line=start + 2, dry_run=dry_run)
            self.progress(min(start + chunk_size, total), total)
        self.report(path, total, dry_run)

    def import_chunk(self, chunk, first_line, dry_run):
        result = ClusterResource().import_data(chunk, dry_run=dry_run, use_transactions=True)
        if result.has_errors():
            # Rolled back: try each row alone so only the faulty ones are lost.
            if len(chunk) > 1:
                for offset, row in enumerate(chunk):
                    single = tablib.Dataset(row, headers=chunk.headers)
                    self.import_chunk(single, first_line + offset, dry_run)
                return
            _number, errors = result.row_errors()[0]
            self.reject(first_line, chunk.dict[0], "; ".join(str(e.error) for e in errors))
            return
        invalid = {row.number: row for row in result.invalid_rows}
        for number, row_result in enumerate(result.rows, start=1):
            line = first_line + number - 1
            if row_result.import_type == RowResult.IMPORT_TYPE_INVALID:
                self.reject(
                    line, chunk.dict[number - 1], describe_errors(invalid[number].error_dict)
                )
            elif row_result.import_type == RowResult.IMPORT_TYPE_NEW:
                self.totals["created"] += 1
            elif row_result.import_type == RowResult.IMPORT_TYPE_UPDATE:
                self.totals["updated"] += 1
            elif row_result.import_type == RowResult.IMPORT_TYPE_SKIP:
                self.totals["unchanged"] += 1

    def reject(self, line, row, reason):
        self.totals["rejected"] += 1
        self.rejections.append((line, row.get("slug") or "?", reason))

    def progress(self, done, total):
        width = 30
        filled = width * done // total if total else width
        ending = "\n" if done >= total else ""
        self.stderr.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} rows", ending=ending
        )
        self.stderr.flush()

    def report(self, path, total, dry_run):
        t = self.totals
        prefix = "Dry run, nothing saved. " if dry_run else ""
        self.stdout.write(
            f"{prefix}{path.name}: {total} rows: {t['created']} created, {t['updated']} updated, "
            f"{t['unchanged']} unchanged, {t['rejected']} rejected."
        )
        for line, slug, reason in self.rejections:
            self.stdout.write(f"  line {line} ({slug}): {reason}")
