"""Read-only public traffic to a PostgreSQL replica, when DATABASE_REPLICA_URL is set.

Anonymous GET requests to the public pages read from "replica"; everything
else (the admin, any write, management commands) uses "default", so staff
always read their own writes.
"""

import contextvars

from django.conf import settings

from guide.public import is_public_read

_public_read = contextvars.ContextVar("public_read", default=False)


def has_replica() -> bool:
    return "replica" in settings.DATABASES


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _public_read.get() and has_replica():
            return "replica"
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class PublicReadsMiddleware:
    """Marks anonymous GET requests to the public site as replica reads."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _public_read.set(is_public_read(request))
        try:
            return self.get_response(request)
        finally:
            _public_read.reset(token)
