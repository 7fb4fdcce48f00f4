"""The Content-Security-Policy holds in Chromium: no page breaks it, the admin included.

Each page is loaded with a listener for ``securitypolicyviolation`` installed
before any of its scripts run, and the console is watched for the messages
Chromium writes when it refuses something (an inline style, a script, a
frame). Zero of either is expected on the public pages and on the admin's
pages that staff use, with the translation tabs still switching.
"""

import re

import pytest
from playwright.sync_api import expect

from directory.models import CallForProposals, Cluster, ClusterType, Event
from directory.resources import ClusterResource
from tests.helpers import STAFF

WATCH_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__csp.push(`${event.violatedDirective} ${event.blockedURI} ${where}`);
});
"""


class Watched:
    """A page whose CSP violations and CSP console messages are collected."""

    def __init__(self, page):
        self.page = page
        self.console = []
        page.add_init_script(WATCH_VIOLATIONS)
        page.on("console", self._console)

    def _console(self, message):
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.console.append(text)

    def visit(self, url, status=200):
        response = self.page.goto(url)
        assert response.status == status, url
        assert "default-src 'self'" in response.headers["content-security-policy"], url
        self.page.wait_for_load_state("load")
        return response

    def violations(self):
        """What the current page broke since it loaded (the console's share is then cleared)."""
        self.page.wait_for_timeout(250)  # events and console messages arrive asynchronously
        found = self.page.evaluate("window.__csp") + self.console
        self.console = []
        return found


def log_in(page, live_url):
    page.goto(live_url + "/admin/login/")
    page.fill("#id_username", STAFF["username"])
    page.fill("#id_password", STAFF["password"])
    page.locator("input[type=submit]").click()
    expect(page.locator("#user-tools")).to_be_visible()


@pytest.fixture
def public_addresses(db_access):
    cluster = Cluster.objects.filter(is_published=True).order_by("slug").first()
    call = CallForProposals.objects.order_by("slug").first()
    event = Event.objects.order_by("slug").first()
    cluster_type = ClusterType.objects.order_by("slug").first()
    return [
        ("/fr/", 200),
        ("/en/", 200),
        ("/fr/clusters/", 200),
        ("/en/clusters/?q=mer&sector=economie-numerique", 200),
        (f"/fr/clusters/{cluster.slug}/", 200),  # with its schema.org JSON-LD data block
        (f"/en/types/{cluster_type.slug}/", 200),
        ("/fr/calls/", 200),
        (f"/en/calls/{call.slug}/", 200),
        ("/fr/events/", 200),
        (f"/fr/events/{event.slug}/", 200),
        ("/fr/figures/", 200),
        ("/en/contacts/", 200),
        ("/fr/nulle-part/", 404),
    ]


def test_the_watch_sees_a_violation(page, live_url):
    watched = Watched(page)
    watched.visit(live_url + "/fr/")

    page.evaluate("document.body.setAttribute('style', 'color: red')")

    assert any("style-src" in found for found in watched.violations())


def test_the_public_pages_break_no_rule_of_the_policy(page, live_url, public_addresses):
    watched = Watched(page)
    problems = {}
    for address, status in public_addresses:
        watched.visit(live_url + address, status)
        problems[address] = watched.violations()

    assert {address: found for address, found in problems.items() if found} == {}


def test_the_admin_pages_break_no_rule_of_the_policy_and_the_tabs_switch(
    page, live_url, db_access, tmp_path
):
    watched = Watched(page)
    watched.visit(live_url + "/admin/login/")
    problems = {"/admin/login/": watched.violations()}
    log_in(page, live_url)
    cluster = Cluster.objects.get(slug="vitagora")
    call = CallForProposals.objects.order_by("slug").first()
    for address in [
        "/admin/",
        "/admin/directory/cluster/",
        "/admin/directory/cluster/?q=pole&cluster_type__level__exact=national",
        f"/admin/directory/cluster/{cluster.pk}/change/",
        f"/admin/directory/cluster/{cluster.pk}/history/",
        "/admin/directory/cluster/add/",
        "/admin/directory/callforproposals/",
        f"/admin/directory/callforproposals/{call.pk}/change/",
        "/admin/directory/cluster/export/",
        "/admin/directory/cluster/import/",
        "/admin/password_change/",
    ]:
        watched.visit(live_url + address)
        problems[address] = watched.violations()
    assert {address: found for address, found in problems.items() if found} == {}

    # The translation tabs (jQuery UI, vendored) switch between French and English.
    watched.visit(f"{live_url}/admin/directory/cluster/{cluster.pk}/change/")
    french, english = page.locator("#id_description_fr"), page.locator("#id_description_en")
    expect(french).to_be_visible()
    expect(english).to_be_hidden()
    tabs = english.locator("xpath=ancestor::div[contains(@class,'ui-tabs')]")
    tabs.get_by_role("tab", name=re.compile("EN", re.I)).click()
    expect(english).to_be_visible()
    expect(french).to_be_hidden()
    tabs.get_by_role("tab", name=re.compile("FR", re.I)).click()
    expect(french).to_be_visible()
    # An inline row added with its button, and the calendar of a date field.
    page.locator(".add-row a").first.click()
    page.locator("#id_last_reviewed + .datetimeshortcuts a:has(.date-icon)").click()
    expect(page.locator(".calendarbox:visible")).to_have_count(1)
    assert watched.violations() == []

    watched.visit(live_url + "/admin/directory/cluster/export/")
    boxes = page.locator(".selectable-field-export-row input[type=checkbox]")
    page.locator("input.select-toggle").uncheck()
    assert boxes.evaluate_all("boxes => boxes.filter(box => box.checked).length") == 0
    page.locator("input.select-toggle").check()
    assert boxes.evaluate_all("boxes => boxes.every(box => box.checked)")
    assert watched.violations() == []

    # The import preview (our template): one row unchanged, one rejected.
    dataset = ClusterResource().export(queryset=Cluster.objects.filter(slug="vitagora"))
    rejected = list(dataset[0])
    rejected[dataset.headers.index("slug")] = "grappe-rejetee"
    rejected[dataset.headers.index("regions")] = "atlantide"
    dataset.append(rejected)
    path = tmp_path / "clusters.csv"
    path.write_text(dataset.csv, encoding="utf-8")
    watched.visit(live_url + "/admin/directory/cluster/import/")
    page.locator("#id_import_file").set_input_files(path)
    page.locator("#id_format").select_option(label="csv")
    page.locator("input[type=submit]").click()
    expect(page.locator("table.import-preview").last).to_contain_text("vitagora")
    expect(page.locator("input[name=confirm]")).to_be_visible()
    assert watched.violations() == []


def test_the_lockout_page_breaks_no_rule_of_the_policy(page, live_url):
    watched = Watched(page)
    watched.visit(live_url + "/admin/login/")
    for _ in range(5):  # LOGIN_FAILURE_LIMIT's default
        page.fill("#id_username", "intrus")
        page.fill("#id_password", "mot-de-passe-devine")
        page.locator("input[type=submit]").click()
        page.wait_for_load_state("load")

    expect(page.locator("h1")).to_have_text("Connexion bloquée")
    assert watched.violations() == []


def test_the_api_documentation_works_under_the_policy(page, live_url):
    """Swagger UI, served by the guide, reads the OpenAPI document and tries an operation:
    nothing from elsewhere, no inline script or style refused."""
    watched = Watched(page)
    watched.visit(live_url + "/api/v1/docs/")

    operation = page.locator("#operations-clusters-clusters_list")
    expect(operation).to_be_visible()
    operation.locator(".opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    status = page.locator(".live-responses-table tbody .response-col_status").first
    expect(status).to_have_text("200")
    found = watched.violations()
    assert found == [], "\n".join(found)
