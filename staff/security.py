"""The client's address for the login lock-out, behind a known number of proxies."""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    """REMOTE_ADDR, or the address the outermost of TRUSTED_PROXY_COUNT proxies saw.

    Each proxy appends the address it received the request from to
    X-Forwarded-For, and the last one is REMOTE_ADDR. With N trusted proxies
    the client is therefore the N-th entry from the right: anything further
    left was written by the client and cannot be trusted. A request with
    fewer entries than that did not come through every proxy; its
    REMOTE_ADDR is used, as it is when the entry is not an IP address (the
    client wrote it: it reached the server without passing the proxies).
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
    return _ip_address(forwarded[-count]) or remote


def _ip_address(text: str) -> str | None:
    """``text`` as an IP address the lock-out's records can store, else None.

    Anything else (a name, ``999.1.1.1``, an IPv6 zone such as ``fe80::1%eth0``)
    would make PostgreSQL refuse the record of a failed login: a server error.
    """
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    return None if getattr(address, "scope_id", None) else str(address)
