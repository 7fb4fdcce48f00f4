"""Open-data export of the directory as CSV and JSON, streamed.

The same filters, search and sort as the page apply. The results' ids come
first (from the facet index for the directory: no query), then their rows a
thousand at a time, each chunk one query, so exporting 100,000 clusters
keeps the worker's memory flat; the response is written a few hundred rows
at a time.
"""

import csv
import json

from django.db.models import F
from django.http import StreamingHttpResponse
from django.utils import timezone, translation

from directory.facets import facet_options
from directory.models import Cluster, label_status

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
CHUNK = 1000  # rows read per query
BATCH = 200  # rows written to the response at a time


def export_rows(ids, request):
    """Dicts of FIELDS for the clusters ``ids``, in that order (an iterator).

    What every row needs is read now, in the request; the rows as the response
    is written."""
    language = translation.get_language()
    base = request.build_absolute_uri(f"/{language}/clusters/")
    year = timezone.localdate().year
    # A cluster's sector and region ids are kept on its row: their slugs from the facets.
    options = facet_options()
    slugs = {name: {o.keys[0]: o.slug for o in options[name]} for name in ("sector", "region")}

    def rows():
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            found = Cluster.objects.filter(pk__in=chunk).annotate(
                type=F("cluster_type__slug"), level=F("cluster_type__level")
            )
            found = found.values(
                "pk", *COLUMNS, "type", "level", "sector_ids", "region_ids", "label_years"
            )
            found = {row["pk"]: row for row in found}
            for row in filter(None, map(found.get, chunk)):  # deleted since: left out
                row.update(
                    label_status=label_status(row.pop("label_years"), year),
                    sectors=sorted(slugs["sector"][key] for key in row.pop("sector_ids")),
                    regions=sorted(slugs["region"][key] for key in row.pop("region_ids")),
                    name_en=row["name_en"] or "",
                    description_en=row["description_en"] or "",
                    last_reviewed=row["last_reviewed"].isoformat() if row["last_reviewed"] else "",
                    url=f"{base}{row['slug']}/",
                )
                yield {field: row[field] for field in FIELDS}

    return rows()


def _batches(lines):
    """The lines joined a BATCH at a time: one write to the socket each, not one per row."""
    batch = []
    for line in lines:
        batch.append(line)
        if len(batch) == BATCH:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


class _Echo:
    def write(self, value):
        return value


def csv_response(ids, request, filename):
    """The clusters ``ids``, in that order, as a CSV file."""
    writer = csv.writer(_Echo())
    rows = export_rows(ids, request)

    def lines():
        yield "\ufeff" + writer.writerow(FIELDS)  # BOM: spreadsheets then read UTF-8
        for row in rows:
            row = {**row, "sectors": "|".join(row["sectors"]), "regions": "|".join(row["regions"])}
            yield writer.writerow([row[field] for field in FIELDS])

    response = StreamingHttpResponse(_batches(lines()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def json_response(ids, request, filename):
    """The clusters ``ids``, in that order, as a JSON array."""
    rows = export_rows(ids, request)

    def lines():
        yield "["
        for index, row in enumerate(rows):
            yield ("," if index else "") + "\n" + json.dumps(row, ensure_ascii=False)
        yield "\n]\n"

    response = StreamingHttpResponse(
        _batches(lines()), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
    return response
