"""Helpers shared by the tests (plain functions and constants; fixtures are in conftest.py)."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from django.utils import translation

EDITORS = "Éditeurs / Editors"
# The browser tests' editor, and where they leave their screenshots.
STAFF = {"username": "editrice", "password": "e2e-editor-password-2026"}
SCREENSHOTS = Path(settings.BASE_DIR) / "screenshots"


def url(name, language="fr", **kwargs):
    """The address of page ``name`` in ``language``: ``url("guide:cluster-detail", slug=...)``."""
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def make_editor(username="editrice"):
    """A staff account in the Editors group."""
    user = User.objects.create_user(username, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


def editor_client(username="editrice", language="fr"):
    """A client logged in as a new editor (for tests with several editors)."""
    client = Client(headers={"accept-language": language})
    client.force_login(make_editor(username))
    return client


def form_data(response):
    """The data a browser would post back from an admin change form, unchanged."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        forms.extend(formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None:
                continue
            if isinstance(value, (list, tuple)):
                data[form.add_prefix(name)] = [str(v) for v in value]
            elif isinstance(value, bool):
                if value:
                    data[form.add_prefix(name)] = "on"
            else:
                data[form.add_prefix(name)] = value
    return data


def load_settings(**env):
    """Import the settings in a fresh interpreter with ``env``; return (exit code, stderr)."""
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    environment.update(env)
    result = subprocess.run(
        [sys.executable, "-c", "import clusters_site.settings"],
        env=environment,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=60,
    )
    return result.returncode, result.stderr


# The spec's cluster types (slug: policy level) and sectors (GUIDE.md).
SPEC_TYPES = {
    "pole-de-competitivite": "national",
    "grappe-d-entreprises": "national",
    "pole-d-innovation-artisanat": "national",
    "ptce": "national",
    "cluster-regional": "regional",
    "cluster-prive": "private",
}
SPEC_SECTORS = {
    "agriculture-agroalimentaire-peche",
    "construction-habitat",
    "industries-diverses",
    "economie-numerique",
    "ecotechnologies-bioressources-eau",
    "industries-creatives-culturelles",
    "industries-de-sante",
    "mecanique-metallurgie",
    "services",
    "logistique",
}


def form_shown(seconds_ago=60):
    """The hidden time stamp of a public form shown ``seconds_ago`` (a person takes a while)."""
    import time

    from django.core import signing

    from inbox.forms import STAMP_SALT

    return signing.dumps(time.time() - seconds_ago, salt=STAMP_SALT)


def introduction_data(**fields):
    """What a visitor posts to ask for an introduction; valid unless ``fields`` say otherwise."""
    data = {
        "name": "Marie Leblanc",
        "organisation": "Homard Atlantique Ltée",
        "country": "CA-NS",
        "email": "marie@homard.example",
        "phone": "",
        "looking_for": "We export live lobster and look for French seafood processors.",
        "timeframe": "6m",
        "reply_language": "en",
        "consent": "on",
        "website": "",
        "shown": form_shown(),
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def report_data(**fields):
    """What a visitor posts when reporting a mistake, valid unless ``fields`` say otherwise."""
    data = {
        "kind": "website",
        "description": "The website moved to a new address last spring.",
        "email": "",
        "website": "",
        "shown": form_shown(),
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


# One address of each page type of the guide as shipped ({lang}: fr or en), for the
# checks that run over every page (axe-core, the Nu Html Checker).
PAGE_TYPES = {
    "home": "/{lang}/",
    "directory": "/{lang}/clusters/",
    "directory-filtered": "/{lang}/clusters/?q=pole&type=pole-de-competitivite&region=bretagne",
    "cluster": "/{lang}/clusters/cosmetic-valley/",
    "type": "/{lang}/types/ptce/",
    "calls": "/{lang}/calls/",
    "call": "/{lang}/calls/ptce-2015/",
    "events": "/{lang}/events/",
    "event": "/{lang}/events/world-innovation-cosmetic-cluster-summit-2016/",
    "figures": "/{lang}/figures/",
    "contacts": "/{lang}/contacts/",
    "open-data": "/{lang}/open-data/",
    "accessibility": "/{lang}/accessibility/",
    "legal": "/{lang}/legal/",
    "privacy": "/{lang}/privacy/",
    "introduction": "/{lang}/introductions/new/?cluster=cosmetic-valley&sector=industries-de-sante",
    "report": "/{lang}/clusters/cosmetic-valley/report/",
    "not-found": "/{lang}/nulle-part/",
}
