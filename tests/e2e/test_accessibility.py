"""axe-core on every public page type, in both languages, at two widths.

No violation of impact serious or critical is allowed; each lesser one must be
explained in docs/accessibility.md. Screenshots go to screenshots/ (ignored
by git) for a person to look at.
"""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings

from tests.helpers import PAGE_TYPES, SCREENSHOTS

# Every page type of the guide, as shipped (shared with the HTML validity test).
PAGES = PAGE_TYPES
BLOCKING = {"serious", "critical"}
AXE = Axe()
# Every rule axe-core runs by default, plus WCAG 2.2's target size (off by default).
AXE_OPTIONS = {"rules": {"target-size": {"enabled": True}}}
DOC = Path(settings.BASE_DIR, "docs", "accessibility.md")


def blocking_violations(page):
    """axe-core's serious and critical violations on the page, as (rule, target) pairs."""
    results = AXE.run(page, options=AXE_OPTIONS)
    return [
        (violation["id"], node["target"])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING
        for node in violation["nodes"]
    ], results.response["violations"]


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_serious_accessibility_violation(browser, live_url, name, language):
    SCREENSHOTS.mkdir(exist_ok=True)
    documented = DOC.read_text(encoding="utf-8")
    for width in (1280, 375):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(live_url + PAGES[name].format(lang=language))
        blocking, violations = blocking_violations(page)
        page.screenshot(path=SCREENSHOTS / f"{name}-{language}-{width}.png", full_page=True)
        context.close()

        assert blocking == [], (name, language, width, blocking)
        for violation in violations:  # the lesser ones are each explained
            assert f"`{violation['id']}`" in documented, (violation["id"], violation["help"])


def test_the_checker_fails_a_page_with_an_unlabelled_input(browser):
    page = browser.new_page()
    page.set_content(
        '<!DOCTYPE html><html lang="fr"><head><title>Essai</title></head><body>'
        '<main><h1>Essai</h1><form><input type="text" name="q"></form></main></body></html>'
    )

    blocking, _ = blocking_violations(page)

    assert ("label", ["input"]) in blocking
    page.close()
