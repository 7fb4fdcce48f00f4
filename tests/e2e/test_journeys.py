"""What visitors and editors do, in a real browser, in French and in English."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from directory.models import Cluster
from tests.helpers import STAFF

SWITCH = {"fr": ("English", "en"), "en": ("Français", "fr")}
SEARCH_LABEL = {
    "fr": "Rechercher par nom, sigle, ville ou mot-clé",
    "en": "Search by name, acronym, city or keyword",
}
APPLY = {"fr": "Appliquer les filtres", "en": "Apply the filters"}


def query(page):
    return parse_qs(urlsplit(page.url).query)


@pytest.mark.parametrize("start", ["fr", "en"])
def test_a_visitor_switches_language_searches_and_follows_a_sector(browser, live_url, start):
    other_name, other = SWITCH[start]
    context = browser.new_context(locale="fr-FR" if start == "fr" else "en-GB")
    page = context.new_page()

    page.goto(live_url + "/")
    expect(page).to_have_url(f"{live_url}/{start}/")
    page.get_by_role("link", name=other_name).click()
    expect(page).to_have_url(f"{live_url}/{other}/")
    expect(page.locator("html")).to_have_attribute("lang", other)

    page.get_by_label(SEARCH_LABEL[other]).fill("pole mer")
    page.get_by_label(SEARCH_LABEL[other]).press("Enter")
    first = page.locator(".cards--results .card__title a").first
    expect(first).to_have_text("Pôle Mer Bretagne Atlantique")
    first.click()
    expect(page).to_have_url(f"{live_url}/{other}/clusters/pole-mer-bretagne-atlantique/")

    sector_link = page.locator("dl.facts dd a[href*='sector=']").first
    sector_name = sector_link.inner_text()
    sector_link.click()
    assert page.url.startswith(f"{live_url}/{other}/clusters/?sector=")
    checked = page.locator(f"input[name=sector][value={query(page)['sector'][0]}]")
    expect(checked).to_be_checked()
    expect(page.locator(".chip").first).to_contain_text(sector_name)
    context.close()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_visitor_narrows_removes_a_filter_pages_and_the_address_reproduces_the_view(
    page, live_url, language
):
    page.goto(f"{live_url}/{language}/clusters/")
    apply = page.get_by_role("button", name=APPLY[language]).first

    page.locator("input[name=type][value=pole-de-competitivite]").check()
    apply.click()
    assert query(page)["type"] == ["pole-de-competitivite"]
    page.locator("details.facet:has(input[name=region]) > summary").click()
    page.locator("input[name=region][value=auvergne-rhone-alpes]").check()
    page.get_by_role("button", name=APPLY[language]).first.click()
    page.locator("details.facet:has(input[name=sector]) > summary").click()
    page.locator("input[name=sector][value=industries-diverses]").check()
    page.locator("input[name=sector][value=ecotechnologies-bioressources-eau]").check()
    page.get_by_role("button", name=APPLY[language]).first.click()
    narrowed = int(re.match(r"\d+", page.locator("#results-title").inner_text()).group())
    assert query(page)["sector"] == ["industries-diverses", "ecotechnologies-bioressources-eau"]

    # Remove the region from the active filters: the results widen.
    page.locator(".chip", has_text=re.compile("Auvergne")).click()
    assert "region" not in query(page)
    widened = int(re.match(r"\d+", page.locator("#results-title").inner_text()).group())
    assert widened > narrowed and widened > 24

    page.locator("a[rel=next]").first.click()
    assert query(page)["page"] == ["2"]
    names = page.locator(".cards--results .card__title a").all_inner_texts()
    url = page.url

    page.goto(url)  # the address alone gives the same view
    assert page.locator(".cards--results .card__title a").all_inner_texts() == names
    expect(page.locator("input[name=sector][value=industries-diverses]")).to_be_checked()
    expect(page.locator("input[name=type][value=pole-de-competitivite]")).to_be_checked()


def focus_is_visible(page) -> bool:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el || el === document.body) return false;
            const style = getComputedStyle(el);
            return (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2)
                || style.boxShadow !== "none";
        }"""
    )


def tab_to(page, predicate_js, limit=120, key="Tab"):
    """Press Tab until the focused element matches; every step must show its focus."""
    for _ in range(limit):
        page.keyboard.press(key)
        assert focus_is_visible(page), page.evaluate("document.activeElement.outerHTML")
        if page.evaluate(f"(el => {predicate_js})(document.activeElement)"):
            return
    raise AssertionError(f"never reached {predicate_js}")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_keyboard_user_skips_to_content_applies_a_facet_and_opens_a_cluster(
    page, live_url, language
):
    page.goto(f"{live_url}/{language}/clusters/")

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    tab_to(page, "el.name === 'type' && el.value === 'ptce'")
    page.keyboard.press("Space")
    expect(page.locator("input[name=type][value=ptce]")).to_be_checked()
    tab_to(page, "el.tagName === 'BUTTON' && el.closest('.facets')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"type=ptce"))

    page.keyboard.press("Tab")  # skip link again
    page.keyboard.press("Enter")
    tab_to(page, "el.matches('.cards--results .card__title a')")
    name = page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/clusters/[a-z0-9-]+/$"))
    expect(page.locator("h1")).to_contain_text(name.strip())


def test_an_editor_changes_the_english_description_and_the_public_page_shows_it(
    page, live_url, db_access
):
    cluster = Cluster.objects.get(slug="vitagora")
    text = "Dijon's agrifood cluster, described anew by an editor in the browser."

    page.goto(live_url + "/admin/login/")
    page.fill("#id_username", STAFF["username"])
    page.fill("#id_password", STAFF["password"])
    page.locator("input[type=submit]").click()
    page.goto(f"{live_url}/admin/directory/cluster/{cluster.pk}/change/")
    tab = page.locator("#id_description_en").locator(
        "xpath=ancestor::div[contains(@class,'ui-tabs')]"
    )
    tab.get_by_role("tab", name=re.compile("EN", re.I)).click()
    page.fill("#id_description_en", text)
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()

    page.goto(f"{live_url}/en/clusters/vitagora/")
    expect(page.locator("main")).to_contain_text(text)
    page.goto(f"{live_url}/fr/clusters/vitagora/")
    expect(page.locator("main")).to_contain_text("Basé à Dijon")


def test_an_editor_reviews_an_entry_from_the_to_review_page(page, live_url, db_access):
    # The first row of the page: never reviewed, then alphabetical.
    cluster = (
        Cluster.objects.to_review().filter(last_reviewed__isnull=True).order_by("sort_name_fr")[0]
    )

    page.goto(live_url + "/admin/login/")
    page.fill("#id_username", STAFF["username"])
    page.fill("#id_password", STAFF["password"])
    page.locator("input[type=submit]").click()
    page.get_by_role("link", name=re.compile(r"Clusters à relire \(\d+\)")).click()
    row = page.locator("#result_list tr", has=page.get_by_role("link", name=cluster.name_fr))
    expect(row).to_contain_text("jamais relu")
    row.locator("input.action-select").check()
    page.select_option("select[name=action]", "mark_reviewed")
    page.locator("button[name=index]").click()

    expect(page.locator(".messagelist .success")).to_contain_text("marquée comme relue")
    expect(page.get_by_role("link", name=cluster.name_fr, exact=True)).to_have_count(0)
    cluster.refresh_from_db()
    assert cluster.last_reviewed is not None
    page.goto(f"{live_url}/en/clusters/{cluster.slug}/")
    expect(page.locator("main")).not_to_contain_text("not yet reviewed by the editors")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_directory_fits_a_phone_and_its_facets_work(phone, live_url, language):
    phone.goto(f"{live_url}/{language}/clusters/")

    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    before = phone.locator("#results-title").inner_text()
    phone.locator("details.facet:has(input[name=region]) > summary").tap()
    phone.locator("label[for=id_region_la-reunion]").tap()
    phone.get_by_role("button", name=APPLY[language]).first.tap()
    phone.wait_for_url(re.compile("region=la-reunion"))
    assert phone.locator("#results-title").inner_text() != before
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    box = phone.locator("input[name=region][value=la-reunion]").bounding_box()
    assert box["width"] >= 18 and box["height"] >= 18  # with its label, a 24 px target
