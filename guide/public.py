"""What counts as a visitor reading the public site."""

from django.conf import settings


def is_public_read(request) -> bool:
    """An anonymous visitor reading the public site (the admin and staff excluded).

    Such requests may be answered from the page cache (cache.py) and read
    from a replica (clusters_site/db_router.py).
    """
    return (
        request.method in ("GET", "HEAD")
        and request.path.startswith(("/fr/", "/en/"))
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )
