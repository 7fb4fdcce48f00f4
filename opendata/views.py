"""The DCAT-AP 3 catalogue of the guide's open data, in Turtle and JSON-LD (catalog.py)."""

import hashlib

from django.core.cache import cache
from django.http import HttpResponse
from django.views.decorators.http import condition, require_safe

from directory import content_version

CONTENT_TYPES = {
    "turtle": "text/turtle; charset=utf-8",
    "json-ld": "application/ld+json",
}


@require_safe
@condition(etag_func=content_version.etag, last_modified_func=content_version.last_modified)
def catalog(request, file_format):
    # Built once per content version, format and site address (the IRIs are
    # absolute); a conditional request whose ETag still holds gets 304 before this.
    site = hashlib.sha256(request.build_absolute_uri("/").encode()).hexdigest()[:16]
    key = content_version.versioned_key(f"opendata:catalog:{file_format}:{site}")
    body = cache.get(key)
    if body is None:
        # rdflib is imported on the first build only: memory that most
        # workers, serving pages, never need.
        from .catalog import build_catalog, serialize

        body = serialize(build_catalog(request), file_format)
        cache.set(key, body)
    response = HttpResponse(body, content_type=CONTENT_TYPES[file_format])
    response["Access-Control-Allow-Origin"] = "*"  # a public, read-only document
    response["Cache-Control"] = "public, max-age=300"
    return response
