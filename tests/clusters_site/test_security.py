"""Security headers on every kind of page, HTTPS behind a proxy, production checks."""

import os
import re
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string

from staff.security import client_ip
from tests.factories import make_cluster
from tests.helpers import load_settings

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
DENIED_FEATURES = ["camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"]


def directives(header: str) -> dict[str, str]:
    parts = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return dict(parts)


def assert_secure_headers(response):
    assert directives(response["Content-Security-Policy"]) == POLICY
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    permissions = dict(
        item.strip().split("=", 1) for item in response["Permissions-Policy"].split(",")
    )
    for feature in DENIED_FEATURES:
        assert permissions[feature] == "()", feature


@pytest.fixture
def cluster(db):
    return make_cluster(slug="pole-mer", name_fr="Pôle Mer")


@pytest.mark.parametrize(
    "address, status",
    [
        ("/fr/", 200),
        ("/en/", 200),
        ("/fr/clusters/", 200),
        ("/en/clusters/?q=mer", 200),
        ("/fr/clusters/pole-mer/", 200),
        ("/fr/nulle-part/", 404),
        ("/en/nowhere/", 404),
        ("/admin/login/", 200),
        ("/fr/clusters/export.csv", 200),
        ("/healthz", 200),
    ],
)
def test_every_kind_of_page_carries_the_security_headers(client, cluster, address, status):
    response = client.get(address)

    assert response.status_code == status
    assert_secure_headers(response)


def test_the_admin_and_a_refused_request_carry_them_too(client, admin_user):
    client.force_login(admin_user)

    assert_secure_headers(client.get("/admin/"))
    assert_secure_headers(client.get("/admin/directory/cluster/"))
    assert_secure_headers(client.get("/fr/clusters/?q=a%00b"))  # answered 400


def test_a_page_served_from_the_page_cache_keeps_every_header(client, cluster, settings):
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    client.get("/fr/clusters/pole-mer/")

    response = client.get("/fr/clusters/pole-mer/")

    assert response["X-Page-Cache"] == "hit"
    assert_secure_headers(response)


def test_pages_carry_no_inline_script_or_style(client, cluster):
    for address in ["/fr/", "/en/clusters/", "/fr/clusters/pole-mer/", "/fr/figures/"]:
        html = client.get(address).content.decode()
        assert not re.search(r"<style|\sstyle=|\son[a-z]+=", html), address
        # The only script elements are data blocks (schema.org JSON-LD), never run.
        for tag in re.findall(r"<script[^>]*>", html):
            assert 'type="application/ld+json"' in tag, (address, tag)


def test_the_500_page_takes_its_style_from_a_static_file():
    html = render_to_string("500.html")  # no request, no context processors, no database

    assert "<style" not in html and " style=" not in html
    assert '<link rel="stylesheet" href="/static/css/error.css">' in html
    assert (settings.BASE_DIR / "static/css/error.css").exists()


def test_behind_a_tls_proxy_http_is_redirected_and_https_gets_hsts(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    plain = client.get("/fr/")
    secure = client.get("/fr/", headers={"X-Forwarded-Proto": "https"})
    health = client.get("/healthz")

    assert plain.status_code == 301 and plain["Location"] == "https://testserver/fr/"
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000"
    assert health.status_code == 200  # a load balancer's health check over plain HTTP


def test_session_and_csrf_cookies_are_secure_with_https(client, admin_user, settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    admin_user.set_password("un-mot-de-passe-solide-2026")
    admin_user.save()

    form = client.get("/admin/login/")
    login = client.post(
        "/admin/login/",
        {"username": admin_user.username, "password": "un-mot-de-passe-solide-2026"},
    )

    assert form.cookies["csrftoken"]["secure"] is True
    assert login.status_code == 302
    assert login.cookies["sessionid"]["secure"] is True
    assert login.cookies["sessionid"]["httponly"] is True


def test_production_settings_pass_the_deployment_checks_without_a_warning():
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE is not production's.
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment |= {
        "HTTPS": "true",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "guide.example.org",
        "BEHIND_TLS_PROXY": "true",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
        "SECURE_HSTS_PRELOAD": "true",
        "SECRET_KEY": secrets.token_urlsafe(50),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("SECURE_SSL_REDIRECT", "perhaps", "SECURE_SSL_REDIRECT must be true or false"),
        ("SESSION_EXPIRE_AT_BROWSER_CLOSE", "2", "must be true or false"),
        ("LOGIN_FAILURE_LIMIT", "0", "LOGIN_FAILURE_LIMIT must be at least 1"),
        ("LOGIN_LOCKOUT_MINUTES", "an hour", "LOGIN_LOCKOUT_MINUTES must be a whole number"),
        ("TRUSTED_PROXY_COUNT", "-1", "TRUSTED_PROXY_COUNT must be at least 0"),
    ],
)
def test_malformed_security_settings_are_refused_by_name(name, value, message):
    code, err = load_settings(SECRET_KEY="x" * 50, **{name: value})

    assert code != 0 and message in err


class FakeRequest:
    def __init__(self, remote, forwarded=None):
        self.META = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            self.META["HTTP_X_FORWARDED_FOR"] = forwarded


def test_the_client_address_is_remote_addr_unless_proxies_are_trusted(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_ip(FakeRequest("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_behind_trusted_proxies_the_client_is_counted_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client wrote "1.2.3.4" itself; the proxy appended the address it saw.
    assert client_ip(FakeRequest("10.0.0.2", "1.2.3.4, 198.51.100.7")) == "198.51.100.7"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(FakeRequest("10.0.0.3", "1.2.3.4, 198.51.100.7, 10.0.0.2")) == "198.51.100.7"
    # A request that did not pass every proxy: its own connection's address.
    assert client_ip(FakeRequest("10.0.0.3", "198.51.100.7")) == "10.0.0.3"


@pytest.mark.parametrize("forwarded", ["not-an-ip", "999.1.1.1", "fe80::1%eth0", "x" * 100])
def test_a_forwarded_entry_that_is_no_address_is_ignored_not_a_500(client, settings, forwarded):
    # A request that reached the server without the proxies may carry anything
    # in X-Forwarded-For; the lock-out recorded it as an address, which
    # PostgreSQL refused (found by tests/test_fuzz.py).
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(FakeRequest("10.0.0.2", forwarded)) == "10.0.0.2"
    response = client.post(
        "/admin/login/",
        {"username": "editrice", "password": "mauvais"},
        headers={"x-forwarded-for": forwarded},
    )
    assert response.status_code == 200
