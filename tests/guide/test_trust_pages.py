"""The accessibility statement, the legal notice and the personal data page; the
footer that links them from every page; the site's icon."""

import datetime
import os
import re
import struct
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders

from tests.helpers import load_settings, url
from tests.html_check import nu_errors

pytestmark = pytest.mark.django_db

TRUST_PAGES = ["guide:accessibility", "guide:legal", "guide:privacy"]
LANGUAGES = ["fr", "en"]


@pytest.fixture
def operator(settings):
    """An operator's values, so that a page shows what the settings say."""
    settings.LEGAL_PUBLISHER = "Chambre Essai de Miquelon"
    settings.LEGAL_PUBLISHER_ADDRESS = "1 rue du Port, 97500 Miquelon"
    settings.LEGAL_DIRECTOR = "Jeanne Directrice"
    settings.LEGAL_HOST = "Hébergeur Essai SAS"
    settings.LEGAL_HOST_ADDRESS = "2 quai des Serveurs, 35000 Rennes"
    settings.CONTACT_EMAIL = "bonjour@essai.example"
    settings.PRIVACY_EMAIL = "donnees@essai.example"
    settings.ACCESSIBILITY_STATEMENT_DATE = datetime.date(2027, 3, 15)
    settings.PRIVACY_POLICY_DATE = datetime.date(2027, 1, 2)
    return settings


def page(client, name, language):
    response = client.get(url(name, language))
    assert response.status_code == 200, (name, language)
    return response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", TRUST_PAGES)
def test_each_page_answers_in_both_languages_without_setting_a_cookie(client, name, language):
    response = client.get(url(name, language))

    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()
    assert not response.cookies


@pytest.mark.parametrize(
    ("language", "facts"),
    [
        ("fr", ["Éditeur", "Directeur de la publication", "Hébergeur"]),
        ("en", ["Publisher", "Director of publication", "Host"]),
    ],
)
def test_the_legal_notice_names_publisher_director_host_and_contact(
    client, operator, language, facts
):
    html = page(client, "guide:legal", language)

    for fact in facts:
        assert f"<h2>{fact}</h2>" in html
    assert "Chambre Essai de Miquelon<br>1 rue du Port, 97500 Miquelon" in html
    assert "<p>Jeanne Directrice</p>" in html
    assert "<p>Hébergeur Essai SAS<br>2 quai des Serveurs, 35000 Rennes</p>" in html
    assert 'href="mailto:bonjour@essai.example"' in html


@pytest.mark.parametrize(
    ("language", "facts"),
    [
        (
            "fr",
            [
                "<strong>non conforme</strong>",
                "(RGAA), version 4.1",
                "Aucun audit complet du RGAA",
                "établie le 15 mars 2027",
                "le lien « Signaler une erreur » de chaque page de cluster",
                "sa page de connexion n’a pas de titre de premier niveau",
            ],
        ),
        (
            "en",
            [
                "<strong>not compliant</strong>",
                "version 4.1",
                "No full RGAA audit",
                "made on 15 March 2027",
                "the “Report a mistake” link on each cluster, call and event page",
                "its login page has no level-one heading",
            ],
        ),
    ],
)
def test_the_accessibility_statement_gives_its_status_date_and_recourse(
    client, operator, language, facts
):
    html = page(client, "guide:accessibility", language)

    for fact in facts:
        assert fact in html
    assert "Chambre Essai de Miquelon" in html
    assert 'href="mailto:bonjour@essai.example"' in html
    assert 'href="https://formulaire.defenseurdesdroits.fr/" rel="external"' in html
    assert 'href="https://www.defenseurdesdroits.fr/" rel="external"' in html


@pytest.mark.parametrize(
    ("language", "facts"),
    [
        (
            "fr",
            [
                "mise à jour le 2 janvier 2027",
                "<strong>24 mois après leur clôture</strong>",
                "votre consentement",
                "notre intérêt légitime",
                "journal des envois est conservé 90 jours",
            ],
        ),
        (
            "en",
            [
                "updated on 2 January 2027",
                "<strong>24 months after they are closed</strong>",
                "your consent",
                "our legitimate interest",
                "the log of sent messages is kept for 90 days",
            ],
        ),
    ],
)
def test_the_personal_data_page_gives_controller_retention_rights_and_the_cnil(
    client, operator, language, facts
):
    html = page(client, "guide:privacy", language)

    for fact in facts:
        assert fact in html
    assert "Chambre Essai de Miquelon, 1 rue du Port, 97500 Miquelon" in html
    assert 'href="mailto:donnees@essai.example"' in html
    assert "bonjour@essai.example" not in html  # requests go to the privacy address
    assert 'href="https://www.cnil.fr/fr/plaintes" rel="external"' in html
    assert "CNIL" in html and "csrftoken" in html
    assert "Hébergeur Essai SAS" in html  # a host other than the publisher receives data


def test_the_personal_data_page_names_no_separate_host_when_the_publisher_hosts(client, settings):
    settings.LEGAL_HOST = settings.LEGAL_PUBLISHER

    html = page(client, "guide:privacy", "en")

    assert "which hosts the guide on our behalf" not in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_dates_default_to_the_fourth_of_december_2026(client, language):
    expected = {"fr": "4 décembre 2026", "en": "4 December 2026"}[language]

    assert expected in page(client, "guide:accessibility", language)
    assert expected in page(client, "guide:privacy", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_footer_of_every_page_links_the_three_pages(client, language):
    paths = [
        url(name, language)
        for name in [
            "guide:home",
            "guide:cluster-list",
            "guide:call-list",
            "guide:event-list",
            "guide:figures",
            "guide:contacts",
            *TRUST_PAGES,
        ]
    ]
    for path in [*paths, f"/{language}/nulle-part/"]:
        html = client.get(path).content.decode()
        footer = re.search(r"<footer.*?</footer>", html, re.S).group(0)
        for name in TRUST_PAGES:
            assert f'href="{url(name, language)}"' in footer, (path, name)


def test_the_footer_link_says_the_compliance_status_and_marks_the_current_page(client):
    html = page(client, "guide:legal", "en")
    footer = re.search(r"<footer.*?</footer>", html, re.S).group(0)

    assert '<nav aria-label="About the guide">' in footer
    assert ">Accessibility: not compliant</a>" in footer
    assert 'href="/en/legal/" aria-current="page"' in footer
    assert 'href="/en/privacy/" aria-current' not in footer


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pages_are_not_in_the_main_menu(client, language):
    html = page(client, "guide:home", language)
    label = {"fr": "Menu principal", "en": "Main menu"}[language]
    menu = re.search(rf'<nav aria-label="{label}">(.*?)</nav>', html, re.S).group(1)

    for name in TRUST_PAGES:
        assert url(name, language) not in menu


def test_the_pages_are_in_the_sitemap_in_both_languages(client):
    pages = client.get("/sitemap-pages.xml").content.decode()

    for name in TRUST_PAGES:
        for language in LANGUAGES:
            assert f"<loc>http://testserver{url(name, language)}</loc>" in pages


@pytest.mark.parametrize("name", TRUST_PAGES)
def test_each_page_runs_no_query(client, name, django_assert_num_queries):
    # The pages read only the settings (the page cache, which would read the
    # content version, is off in the tests).
    with django_assert_num_queries(0):
        client.get(url(name, "en"))


def test_the_three_pages_are_valid_html_in_both_languages(client, operator):
    documents = {
        f"{name} ({language})": page(client, name, language)
        for name in TRUST_PAGES
        for language in LANGUAGES
    }

    assert nu_errors(documents) == {name: [] for name in documents}


def test_the_html_checker_reports_a_paragraph_in_a_list():
    broken = (
        '<!DOCTYPE html><html lang="en"><head><title>Broken</title></head>'
        "<body><ul><p>Not a list item</p></ul></body></html>"
    )
    valid = broken.replace("<p>Not a list item</p>", "<li>A list item</li>")

    errors = nu_errors({"broken": broken, "valid": valid})

    assert errors["valid"] == []
    assert len(errors["broken"]) == 1
    assert errors["broken"][0].startswith("line 1: Element “p” not allowed as child of")


def test_favicon_ico_answers_at_the_site_root_with_a_16_and_a_32_pixel_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    assert "max-age=86400" in response["Cache-Control"]
    icon = response.content
    reserved, kind, count = struct.unpack("<HHH", icon[:6])
    assert (reserved, kind) == (0, 1)  # an icon file
    sizes = {icon[6 + 16 * index] for index in range(count)}
    assert sizes == {16, 32}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_names_its_icons_in_the_head(client, language):
    html = page(client, "guide:home", language)
    head = html[: html.index("</head>")]

    assert '<link rel="icon" href="/static/favicon.ico" sizes="16x16 32x32">' in head
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in head
    assert finders.find("favicon.ico") and finders.find("favicon.svg")


def _settings_value(expression, **env):
    """``expression`` over the settings module, imported afresh with ``env`` (and a key)."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("LEGAL_", "CONTACT_", "PRIVACY_", "ACCESSIBILITY_"))
    }
    environment.update(SECRET_KEY="x" * 50, **env)
    result = subprocess.run(
        [sys.executable, "-c", f"import clusters_site.settings as s; print({expression})"],
        env=environment,
        capture_output=True,
        text=True,
        cwd=django_settings.BASE_DIR,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_by_default_the_cacima_publishes_and_hosts_the_guide():
    values = _settings_value(
        "s.LEGAL_HOST == s.LEGAL_PUBLISHER, s.LEGAL_HOST_ADDRESS == s.LEGAL_PUBLISHER_ADDRESS, "
        "s.LEGAL_PUBLISHER[:8], s.PRIVACY_EMAIL, s.ACCESSIBILITY_STATEMENT_DATE"
    )

    assert values == "True True CACIMA – contact@cacima.fr 2026-12-04"


def test_the_privacy_email_follows_the_contact_email_unless_set():
    assert _settings_value("s.PRIVACY_EMAIL", CONTACT_EMAIL="a@b.example") == "a@b.example"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"ACCESSIBILITY_STATEMENT_DATE": "04/12/2026"},
            "ACCESSIBILITY_STATEMENT_DATE must be a date as YYYY-MM-DD, not '04/12/2026'",
        ),
        ({"PRIVACY_POLICY_DATE": "2026-02-30"}, "PRIVACY_POLICY_DATE must be a date"),
        ({"PRIVACY_POLICY_DATE": "20261204"}, "PRIVACY_POLICY_DATE must be a date"),
        ({"CONTACT_EMAIL": "contact at cacima"}, "CONTACT_EMAIL must be an email address"),
        ({"LEGAL_HOST": "Autre hébergeur"}, "LEGAL_HOST_ADDRESS must be set"),
    ],
)
def test_malformed_legal_settings_stop_the_start_up_by_name(env, message):
    code, err = load_settings(SECRET_KEY="x" * 50, **env)

    assert code != 0 and message in err
