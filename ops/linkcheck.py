"""Checking the websites the guide links to: bounded, polite, and safe.

Each address is fetched with a GET (some servers refuse HEAD), its redirects
followed and counted, at most ``max_bytes`` of its body read, and the whole
fetch given ``timeout`` seconds however slowly the server answers. Before
any connection, and again at each redirect, the host's addresses are looked
up: loopback, private, link-local and other reserved addresses are refused
unless ``allow_private`` is set (the tests' local server). Addresses are
checked by a few threads at once, and the run stops waiting at ``deadline``:
whatever is unfinished then is reported as not checked.

Python's standard library only: nothing here needs more.
"""

import concurrent.futures
import ipaddress
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

MAX_REDIRECTS = 5


@dataclass
class Result:
    url: str
    status: int | None = None
    final_url: str = ""
    redirects: int = 0
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and self.status < 400 and not self.error


class Refused(Exception):
    """An address the checker will not connect to."""


def _check_host(url: str, allow_private: bool) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused("not an http(s) address")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or None, proto=socket.IPPROTO_TCP)
    except socket.gaierror:
        raise Refused("host name not found") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global:
            raise Refused(f"refused: {address} is not a public address")


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects, counting them and checking each new host first."""

    # urllib's own loop guard would answer a loop with its last 3xx: ours speaks first.
    max_repeats = max_redirections = MAX_REDIRECTS + 1

    def __init__(self, allow_private: bool):
        self.allow_private = allow_private
        self.count = 0

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        self.count += 1
        if self.count > MAX_REDIRECTS:
            raise Refused("too many redirects")
        _check_host(newurl, self.allow_private)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def check(url, *, user_agent, timeout=10.0, max_bytes=65536, allow_private=False) -> Result:
    """Fetch ``url`` once and say what happened; never raises."""
    result = Result(url)
    started = time.monotonic()
    redirects = _Redirects(allow_private)
    opener = urllib.request.build_opener(redirects)
    request = urllib.request.Request(url, headers={"User-Agent": user_agent, "Accept": "*/*"})
    try:
        _check_host(url, allow_private)
        with opener.open(request, timeout=timeout) as response:
            result.status, result.final_url = response.status, response.geturl()
            read = 0
            while read < max_bytes:  # a trickling server cannot hold the check
                if time.monotonic() - started > timeout:
                    raise TimeoutError
                chunk = response.read1(min(8192, max_bytes - read))  # what has arrived
                if not chunk:
                    break
                read += len(chunk)
    except urllib.error.HTTPError as error:
        result.status, result.final_url = error.code, error.geturl() or url
        if 300 <= error.code < 400:  # a redirect not followed
            result.error = "redirect not followed"
    except Refused as refusal:
        result.error = str(refusal)
    except TimeoutError:
        result.error = "timed out"
    except urllib.error.URLError as error:
        reason = error.reason
        result.error = "timed out" if isinstance(reason, TimeoutError) else _describe(reason)
    except (ConnectionError, OSError) as error:
        result.error = _describe(error)
    except Exception as error:  # a malformed answer: reported, never a crash of the run
        result.error = _describe(error)
    result.redirects = redirects.count
    return result


def _describe(error) -> str:
    if isinstance(error, ConnectionResetError):
        return "connection reset"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    return (str(error) or type(error).__name__)[:200]


def check_all(urls, *, workers=8, deadline=300.0, progress=None, **options) -> list[Result]:
    """Check every address with ``workers`` threads; stop waiting after ``deadline`` seconds."""
    results = []
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=workers)
    futures = {pool.submit(check, url, **options): url for url in urls}
    try:
        for future in concurrent.futures.as_completed(futures, timeout=deadline):
            results.append(future.result())
            if progress:
                progress(len(results), len(futures))
    except concurrent.futures.TimeoutError:
        done = {result.url for result in results}
        results += [
            Result(url, error="not checked: time limit")
            for url in futures.values()
            if url not in done
        ]
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return results
