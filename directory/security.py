"""The client's address for the login lock-out, behind a known number of proxies."""

from django.conf import settings


def client_ip(request) -> str | None:
    """REMOTE_ADDR, or the address the outermost of TRUSTED_PROXY_COUNT proxies saw.

    Each proxy appends the address it received the request from to
    X-Forwarded-For, and the last one is REMOTE_ADDR. With N trusted proxies
    the client is therefore the N-th entry from the right: anything further
    left was written by the client and cannot be trusted. A request with
    fewer entries than that did not come through every proxy; its
    REMOTE_ADDR is used.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [
        address.strip()
        for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address.strip()
    ]
    if len(forwarded) < count:
        return remote
    return forwarded[-count][:45]  # an IPv6 address has at most 45 characters
