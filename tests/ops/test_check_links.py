"""manage.py check_links against a local server: statuses, redirects, timeouts, resets, safety."""

import contextlib
import io
import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command

from directory.models import Cluster, ContentVersion, LinkCheck
from ops import linkcheck
from tests.factories import make_call, make_cluster, make_organisation
from tests.helpers import url

pytestmark = pytest.mark.django_db

AGENT = "GuideClustersLinkCheck/test"


class Handler(BaseHTTPRequestHandler):
    hits = []

    def handle(self):
        # The checker gave up first: what the timeout tests want.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().handle()

    def do_GET(self):
        Handler.hits.append((self.path, self.headers.get("User-Agent")))
        if self.path.startswith("/ok"):
            self._answer(200, b"<p>hello</p>")
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok-after-move")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/missing":
            self._answer(404, b"not here")
        elif self.path == "/broken":
            self._answer(500, b"oops")
        elif self.path.startswith("/slow"):
            time.sleep(3)
            self._answer(200, b"late")
        elif self.path == "/trickle":
            self.send_response(200)
            self.end_headers()
            for _ in range(30):  # one byte every 0.2 s: never a socket timeout
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.2)
        elif self.path == "/reset":
            # Close at once with RST: a reset connection.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        elif self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.send_header("Content-Length", "0")
            self.end_headers()

    def _answer(self, status, body):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    Handler.hits = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def check(address, **options):
    options = {"user_agent": AGENT, "timeout": 1.0, "allow_private": True, **options}
    return linkcheck.check(address, **options)


def test_statuses_redirects_timeouts_and_resets_are_told_apart(server):
    ok = check(server + "/ok")
    assert ok.ok and ok.status == 200 and ok.final_url == server + "/ok"
    moved = check(server + "/moved")
    assert moved.ok and moved.redirects == 1 and moved.final_url == server + "/ok-after-move"
    assert check(server + "/missing").status == 404 and not check(server + "/missing").ok
    assert check(server + "/broken").status == 500
    assert check(server + "/slow").error == "timed out"
    assert check(server + "/reset").error in {
        "connection reset",
        "Remote end closed connection without response",
    }
    assert check(server + "/loop").error == "too many redirects"
    assert all(agent == AGENT for _path, agent in Handler.hits)


def test_a_trickling_server_cannot_hold_a_check_past_its_timeout(server):
    started = time.monotonic()
    result = check(server + "/trickle")
    assert result.error == "timed out" and time.monotonic() - started < 3


def test_private_and_loopback_addresses_are_refused_unless_allowed(server):
    result = check(server + "/ok", allow_private=False)
    assert result.error.startswith("refused: 127.0.0.1") and result.status is None
    assert check("http://10.1.2.3/", allow_private=False).error.startswith("refused")
    assert check("ftp://example.org/", allow_private=False).error == "not an http(s) address"
    assert Handler.hits == []  # nothing reached the server


def test_a_run_over_many_sites_ends_within_its_deadline(server):
    addresses = [f"{server}/slow?n={n}" for n in range(40)]
    started = time.monotonic()
    results = linkcheck.check_all(
        addresses, workers=4, deadline=2.0, user_agent=AGENT, timeout=1.0, allow_private=True
    )
    assert time.monotonic() - started < 4
    assert len(results) == 40
    assert any(r.error == "not checked: time limit" for r in results)


def test_the_command_records_each_address_and_never_edits_an_entry(server, settings):
    settings.LINK_CHECK_ALLOW_PRIVATE = True
    cluster = make_cluster(slug="ok", website=server + "/ok")
    make_cluster(slug="gone", website=server + "/missing")
    make_organisation(website=server + "/moved")
    make_call(url=server + "/broken")
    version, before = cluster.version, ContentVersion.objects.number()
    records = Cluster.history.count()

    out = io.StringIO()
    call_command("check_links", "--timeout", "1", stdout=out, stderr=io.StringIO())

    checks = {c.url.removeprefix(server): c for c in LinkCheck.objects.all()}
    assert checks["/ok"].status == 200 and checks["/ok"].failures == 0
    assert (
        checks["/moved"].final_url == server + "/ok-after-move" and checks["/moved"].redirects == 1
    )
    assert checks["/missing"].status == 404 and checks["/missing"].failures == 1
    assert checks["/broken"].status == 500
    assert "4 addresses checked, 2 failed." in out.getvalue()
    cluster.refresh_from_db()
    assert cluster.version == version and Cluster.history.count() == records
    assert ContentVersion.objects.number() == before + 1  # cached pages show the checks

    call_command("check_links", "--timeout", "1", stdout=io.StringIO(), stderr=io.StringIO())
    assert LinkCheck.objects.get(url=server + "/missing").failures == 2
    assert LinkCheck.objects.get(url=server + "/ok").failures == 0


def test_a_website_that_failed_twice_is_named_but_not_linked(client, server, settings):
    settings.LINK_CHECK_ALLOW_PRIVATE = True
    make_cluster(slug="gone", website=server + "/missing")
    make_cluster(slug="ok", website=server + "/ok")
    for _ in range(2):
        call_command("check_links", "--timeout", "1", stdout=io.StringIO(), stderr=io.StringIO())

    gone = client.get(url("guide:cluster-detail", "en", slug="gone")).content.decode()
    fine = client.get(url("guide:cluster-detail", "en", slug="ok")).content.decode()

    assert f'href="{server}/missing"' not in gone
    assert f"{server}/missing" in gone and "did not answer at our last two checks" in gone
    assert f'<a href="{server}/ok" rel="external">' in fine


def test_a_failing_website_puts_the_cluster_on_the_review_page(client, editor, server, settings):
    settings.LINK_CHECK_ALLOW_PRIVATE = True
    make_cluster(
        name_fr="Site en panne",
        website=server + "/broken",
        verification="verified",
        description_en="In English.",
        last_reviewed="2026-11-30",
    )
    html = client.get("/admin/directory/clustertoreview/").content.decode()
    assert "Site en panne" not in html

    call_command("check_links", "--timeout", "1", stdout=io.StringIO(), stderr=io.StringIO())

    html = client.get("/admin/directory/clustertoreview/", headers={"accept-language": "en"})
    assert "Site en panne" in html.content.decode()
    assert "website failed its last check" in html.content.decode()
