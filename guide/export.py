"""Open-data export of the directory as CSV and JSON, streamed row by row.

The same filters as the page apply. Rows come from a server-side cursor in
chunks, so exporting 100,000 clusters keeps the worker's memory flat.
"""

import csv
import json

from django.contrib.postgres.aggregates import ArrayAgg
from django.http import StreamingHttpResponse
from django.utils import timezone, translation

from directory.models import label_status

FIELDS = [
    "slug",
    "name_fr",
    "name_en",
    "acronym",
    "type",
    "level",
    "label_status",
    "sectors",
    "regions",
    "city",
    "website",
    "description_fr",
    "description_en",
    "verification",
    "last_reviewed",
    "url",
]
# The model's own columns among FIELDS; the others are computed per row.
COMPUTED = ("type", "level", "label_status", "sectors", "regions", "url")
COLUMNS = [f for f in FIELDS if f not in COMPUTED]
CHUNK = 1000


def export_rows(queryset, request):
    """Dicts of FIELDS for each cluster of the filtered, ordered queryset."""
    language = translation.get_language()
    base = request.build_absolute_uri(f"/{language}/clusters/")
    rows = queryset.annotate(
        type=ArrayAgg("cluster_type__slug", distinct=True),
        level=ArrayAgg("cluster_type__level", distinct=True),
        sector_slugs=ArrayAgg("sectors__slug", distinct=True, default=[]),
        region_slugs=ArrayAgg("regions__slug", distinct=True, default=[]),
    ).values(*COLUMNS, "type", "level", "sector_slugs", "region_slugs", "label_years")
    year = timezone.localdate().year
    for row in rows.iterator(chunk_size=CHUNK):
        sectors, regions = row.pop("sector_slugs"), row.pop("region_slugs")
        row.update(
            type=row["type"][0],
            level=row["level"][0],
            label_status=label_status(row.pop("label_years"), year),
            sectors=[slug for slug in sectors if slug],
            regions=[slug for slug in regions if slug],
            name_en=row["name_en"] or "",
            description_en=row["description_en"] or "",
            last_reviewed=row["last_reviewed"].isoformat() if row["last_reviewed"] else "",
            url=f"{base}{row['slug']}/",
        )
        yield {field: row[field] for field in FIELDS}


class _Echo:
    def write(self, value):
        return value


def csv_response(queryset, request, filename):
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow(FIELDS)  # BOM: spreadsheets then read UTF-8
        for row in export_rows(queryset, request):
            row = {**row, "sectors": "|".join(row["sectors"]), "regions": "|".join(row["regions"])}
            yield writer.writerow([row[field] for field in FIELDS])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def json_response(queryset, request, filename):
    def chunks():
        yield "["
        for index, row in enumerate(export_rows(queryset, request)):
            yield ("," if index else "") + "\n" + json.dumps(row, ensure_ascii=False)
        yield "\n]\n"

    response = StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
    return response
