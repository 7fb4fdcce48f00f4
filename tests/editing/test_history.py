"""No lost edits, and a history staff can read and revert from.

Two editors who open the same page and save one after the other: the second
save is refused with what changed meanwhile, their input is kept, and they
save after checking. Every change is kept in the history, both languages,
links and editor included; an editor reverts from the admin.
"""

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from directory.models import CallForProposals, Cluster, Contact, ContentVersion, Organisation
from tests.factories import (
    make_call,
    make_cluster,
    make_contact,
    make_organisation,
    make_region,
    make_type,
)
from tests.helpers import editor_client, form_data, make_editor

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice():
    return editor_client("alice")


@pytest.fixture
def bruno():
    return editor_client("bruno")


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def history_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])


def save(client, url, data):
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def revert_data(page):
    """What the revert page posts back: its one form, unchanged."""
    form = page.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, (list, tuple)):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    return data


def refused_form(response):
    assert response.status_code == 200
    return response.context["adminform"].form


# Lost edits -------------------------------------------------------------


def test_the_second_of_two_editors_is_refused_and_sees_what_changed(alice, bruno):
    cluster = make_cluster(
        name_fr="Vitagora", city="Dijon", description_en="Agrifood cluster.", regions=[]
    )
    bourgogne = make_region(name_fr="Bourgogne-Franche-Comté", slug="bfc")
    url = change_url(cluster)
    alices, brunos = form_data(alice.get(url)), form_data(bruno.get(url))
    alices["city"] = "Dijon Métropole"
    alices["description_en"] = "Agrifood innovation cluster, rewritten by Alice."
    alices["regions"] = [str(bourgogne.pk)]
    save(alice, url, alices)
    brunos["name_en"] = "Vitagora (English name by Bruno)"
    brunos["city"] = "Beaune"

    response = bruno.post(url, brunos)

    form = refused_form(response)
    html = response.content.decode()
    # The message, in the admin's French, names the editor and the new values.
    assert "Des modifications de « Vitagora » ont été enregistrées par alice" in html
    assert "les vôtres ne sont pas encore enregistrées" in html
    assert "Modifié entre-temps" in html
    assert "Agrifood innovation cluster, rewritten by Alice." in html
    assert "Bourgogne-Franche-Comté" in html
    assert f'href="{history_url(cluster)}"' in html
    # The database keeps Alice's edit; nothing of Bruno's is saved.
    cluster.refresh_from_db()
    assert cluster.city == "Dijon Métropole"
    assert cluster.description_en == "Agrifood innovation cluster, rewritten by Alice."
    assert cluster.name_en in ("", None)
    # Bruno's input is still in the form; Alice's changes are carried into the
    # fields he left alone; the field both changed keeps his value, marked.
    assert form["name_en"].value() == "Vitagora (English name by Bruno)"
    assert form["description_en"].value() == "Agrifood innovation cluster, rewritten by Alice."
    assert [str(pk) for pk in form["regions"].value()] == [str(bourgogne.pk)]
    assert form["city"].value() == "Beaune"
    assert "Dijon Métropole" in str(form.errors["city"])

    # Having checked, Bruno saves again: both editors' changes are kept.
    save(bruno, url, form_data(response))

    cluster.refresh_from_db()
    assert cluster.name_en == "Vitagora (English name by Bruno)"
    assert cluster.city == "Beaune"
    assert cluster.description_en == "Agrifood innovation cluster, rewritten by Alice."
    assert list(cluster.regions.all()) == [bourgogne]


def test_every_kind_of_field_the_other_editor_changed_is_carried_into_the_form(alice, bruno):
    cluster = make_cluster(name_fr="Valeo", is_published=True, founded_year=2005)
    other_type = make_type(name_fr="Pôle de compétitivité")
    url = change_url(cluster)
    alices, brunos = form_data(alice.get(url)), form_data(bruno.get(url))
    alices["verification"] = "verified"  # a choice
    alices["last_reviewed"] = "21/11/2026"  # a date, as typed in French
    del alices["is_published"]  # a box unticked
    alices["cluster_type"] = str(other_type.pk)  # a foreign key
    alices["founded_year"] = "2006"  # a number
    save(alice, url, alices)
    brunos["acronym"] = "VL"

    refused = bruno.post(url, brunos)
    save(bruno, url, form_data(refused))

    cluster.refresh_from_db()
    assert cluster.acronym == "VL"
    assert cluster.verification == "verified"
    assert cluster.last_reviewed == datetime.date(2026, 11, 21)
    assert cluster.is_published is False
    assert cluster.cluster_type == other_type
    assert cluster.founded_year == 2006


def test_the_refused_editor_can_also_reload_and_save(alice, bruno):
    cluster = make_cluster(name_fr="Novabuild", city="Lyon")
    url = change_url(cluster)
    alices, brunos = form_data(alice.get(url)), form_data(bruno.get(url))
    alices["city"] = "Villeurbanne"
    save(alice, url, alices)
    brunos["acronym"] = "NB"
    refused_form(bruno.post(url, brunos))

    reloaded = form_data(bruno.get(url))
    reloaded["acronym"] = "NB"
    save(bruno, url, reloaded)

    cluster.refresh_from_db()
    assert (cluster.city, cluster.acronym) == ("Villeurbanne", "NB")


def test_the_refusal_speaks_english_on_the_english_admin(alice):
    cluster = make_cluster(name_fr="Derbi", description_en="Energy.")
    url = change_url(cluster)
    english = editor_client("brian", language="en")
    stale = form_data(english.get(url))
    fresh = form_data(alice.get(url))
    fresh["description_en"] = "Renewable energy."
    save(alice, url, fresh)

    html = english.post(url, stale).content.decode()

    assert "Changes to “Derbi” were saved by alice after you opened this page" in html
    assert "Changed meanwhile:" in html and "Renewable energy." in html
    assert "See the history." in html


def test_a_save_without_conflict_goes_through_and_moves_the_version(alice):
    cluster = make_cluster(name_fr="Aerospace Valley")
    url = change_url(cluster)
    data = form_data(alice.get(url))
    data["city"] = "Toulouse"

    save(alice, url, data)
    cluster.refresh_from_db()
    assert (cluster.city, cluster.version) == ("Toulouse", 2)

    # The page opened again saves again; the old form does not.
    again = form_data(alice.get(url))
    again["city"] = "Bordeaux"
    save(alice, url, again)
    refused_form(alice.post(url, data))
    cluster.refresh_from_db()
    assert (cluster.city, cluster.version) == ("Bordeaux", 3)


@pytest.mark.parametrize(
    ("make", "field", "first", "second"),
    [
        (make_call, "title_fr", "Appel revu par Alice", "Appel revu par Bruno"),
        (make_organisation, "name_fr", "Bpifrance (Alice)", "Bpifrance (Bruno)"),
        (make_contact, "role_fr", "Déléguée générale", "Directrice"),
    ],
    ids=["call", "organisation", "contact"],
)
def test_calls_organisations_and_contacts_refuse_a_stale_save_too(
    alice, bruno, make, field, first, second
):
    obj = make()
    url = change_url(obj)
    alices, brunos = form_data(alice.get(url)), form_data(bruno.get(url))
    alices[field] = first
    save(alice, url, alices)
    brunos[field] = second

    response = bruno.post(url, brunos)

    form = refused_form(response)
    assert "ont été enregistrées par alice" in response.content.decode()
    assert first in str(form.errors[field])  # changed by both: Bruno's value, marked
    obj.refresh_from_db()
    assert getattr(obj, field) == first
    save(bruno, url, form_data(response))
    obj.refresh_from_db()
    assert getattr(obj, field) == second


def test_a_contact_changed_elsewhere_is_not_overwritten_by_the_cluster_form(alice, bruno):
    cluster = make_cluster(name_fr="Pôle Mer Bretagne Atlantique")
    contact = make_contact(cluster=cluster, last_name="Le Goff", role_fr="Chargée de mission")
    cluster_page = change_url(cluster)
    brunos = form_data(bruno.get(cluster_page))
    alices = form_data(alice.get(change_url(contact)))
    alices["role_fr"] = "Directrice"
    save(alice, change_url(contact), alices)
    brunos["contacts-0-role_fr"] = "Chargée d'affaires"

    response = bruno.post(cluster_page, brunos)

    assert response.status_code == 200
    inline = response.context["inline_admin_formsets"][1].formset.forms[0]
    assert "ont été enregistrées par alice" in str(inline.non_field_errors())
    contact.refresh_from_db()
    assert contact.role_fr == "Directrice"


def test_an_import_made_meanwhile_refuses_the_stale_form(alice, tmp_path):
    cluster = make_cluster(slug="grappe-a", name_fr="Grappe A", description_fr="Avant.")
    url = change_url(cluster)
    stale = form_data(alice.get(url))
    path = tmp_path / "import.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["slug", "name_fr", "cluster_type", "sectors", "regions", "description_fr"])
        writer.writerow(
            ["grappe-a", "Grappe A", cluster.cluster_type.slug, "", "", "Texte après import."]
        )
    call_command("import_clusters", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    cluster.refresh_from_db()
    assert (cluster.description_fr, cluster.version) == ("Texte après import.", 2)

    response = alice.post(url, stale)

    form = refused_form(response)
    html = response.content.decode()
    assert "Des modifications de « Grappe A » ont été enregistrées après" in html
    assert "Texte après import." in html
    assert form["description_fr"].value() == "Texte après import."  # carried into the form


def test_without_a_record_of_the_opened_version_the_differing_fields_are_marked(alice, bruno):
    cluster = make_cluster(name_fr="Minalogic", city="Grenoble")
    url = change_url(cluster)
    alices, brunos = form_data(alice.get(url)), form_data(bruno.get(url))
    alices["city"] = "Meylan"
    save(alice, url, alices)
    Cluster.history.all().delete()  # as if the change left no history
    brunos["acronym"] = "MNL"

    response = bruno.post(url, brunos)

    form = refused_form(response)
    assert "Meylan" in str(form.errors["city"])
    assert form["acronym"].value() == "MNL"
    cluster.refresh_from_db()
    assert (cluster.city, cluster.acronym) == ("Meylan", "")


# History -----------------------------------------------------------------


def test_the_history_keeps_both_languages():
    cluster = make_cluster(description_fr="Texte français.", description_en="English text.")
    cluster.description_en = "English text, revised."
    cluster.save()

    first, second = cluster.history.order_by("history_date")
    assert (first.description_fr, first.description_en) == ("Texte français.", "English text.")
    assert second.description_en == "English text, revised."
    assert second.description_fr == "Texte français."


def test_one_admin_save_is_one_history_entry_with_its_links(alice):
    cluster = make_cluster(name_fr="Cosmetic Valley")
    region = make_region(name_fr="Centre-Val de Loire")
    url = change_url(cluster)
    data = form_data(alice.get(url))
    data["regions"] = [str(region.pk)]
    data["city"] = "Chartres"
    save(alice, url, data)

    latest, created = cluster.history.all()
    assert (created.history_type, latest.history_type) == ("+", "~")
    assert latest.city == "Chartres" and latest.version == 2
    assert list(latest.regions.values_list("region_id", flat=True)) == [region.pk]
    assert not created.regions.exists()
    assert latest.history_user.username == "alice"


def test_an_editor_reads_the_history_with_who_changed_what(alice):
    cluster = make_cluster(name_fr="Techtera", description_en="Textiles.")
    url = change_url(cluster)
    data = form_data(alice.get(url))
    data["description_en"] = "Technical textiles."
    save(alice, url, data)

    response = alice.get(history_url(cluster))

    html = response.content.decode()
    assert response.status_code == 200
    assert "alice" in html
    assert "Technical textiles." in html and "Textiles." in html
    assert "<strong>Version:</strong>" not in html  # bookkeeping stays out of the changes


@pytest.mark.parametrize(
    "make", [make_call, make_organisation, make_contact], ids=["call", "organisation", "contact"]
)
def test_the_history_pages_of_calls_organisations_and_contacts_open(alice, make):
    obj = make()
    data = form_data(alice.get(change_url(obj)))
    save(alice, change_url(obj), data)
    record = obj.history.earliest("history_date")

    assert alice.get(history_url(obj)).status_code == 200
    revert_page = reverse(
        f"admin:directory_{obj._meta.model_name}_simple_history", args=[obj.pk, record.pk]
    )
    assert alice.get(revert_page).status_code == 200


def test_an_editor_reverts_a_cluster_links_included(client, alice, settings):
    settings.PAGE_CACHE_SECONDS = 600
    bretagne = make_region(name_fr="Bretagne", slug="bretagne")
    normandie = make_region(name_fr="Normandie", slug="normandie")
    cluster = make_cluster(
        slug="valorial",
        name_fr="Valorial",
        description_fr="Aliments de demain.",
        regions=[bretagne],
    )
    public = reverse("guide:cluster-detail", kwargs={"slug": "valorial"})
    assert "Aliments de demain." in client.get(public).content.decode()
    url = change_url(cluster)
    data = form_data(alice.get(url))
    data["description_fr"] = "Texte remplacé par erreur."
    data["regions"] = [str(normandie.pk)]
    save(alice, url, data)
    assert "Texte remplacé par erreur." in client.get(public).content.decode()
    before = cluster.history.earliest("history_date")
    revert_page = reverse("admin:directory_cluster_simple_history", args=[cluster.pk, before.pk])

    page = alice.get(revert_page)
    assert page.status_code == 200
    assert "Rétablir" in page.content.decode()  # an editor may revert
    save(alice, revert_page, revert_data(page))

    cluster.refresh_from_db()
    assert cluster.description_fr == "Aliments de demain."
    assert list(cluster.regions.all()) == [bretagne]
    assert cluster.region_ids == [bretagne.pk]
    assert cluster.version == 3
    assert cluster.history.count() == 3
    assert cluster.history.latest("history_date").history_user.username == "alice"
    assert "Aliments de demain." in client.get(public).content.decode()  # no stale page


def test_a_revert_from_a_stale_page_is_refused_too(alice, bruno):
    cluster = make_cluster(name_fr="Axelera", city="Lyon")
    url = change_url(cluster)
    data = form_data(alice.get(url))
    data["city"] = "Villeurbanne"
    save(alice, url, data)
    revert_page = reverse(
        "admin:directory_cluster_simple_history",
        args=[cluster.pk, cluster.history.earliest("history_date").pk],
    )
    stale_revert = revert_data(bruno.get(revert_page))
    again = form_data(alice.get(url))
    again["acronym"] = "AXL"
    save(alice, url, again)

    response = bruno.post(revert_page, stale_revert)

    assert response.status_code == 200
    assert "ont été enregistrées par alice" in response.content.decode()
    cluster.refresh_from_db()
    assert (cluster.city, cluster.acronym) == ("Villeurbanne", "AXL")


def test_history_rows_do_not_move_the_content_version():
    cluster = make_cluster()
    before = ContentVersion.objects.number()

    cluster.city = "Nantes"
    cluster.save()

    assert ContentVersion.objects.number() == before + 1  # the save only, not its history rows


def test_the_shipped_guide_has_no_history_until_its_first_edit(shipped_guide, alice):
    cluster = Cluster.objects.get(slug="minalogic")
    assert not Cluster.history.exists()
    assert cluster.version == 1
    url = change_url(cluster)
    data = form_data(alice.get(url))
    data["description_en"] = "Rewritten."
    save(alice, url, data)

    changed, shipped = cluster.history.all()
    assert shipped.history_user is None and shipped.version == 1
    assert shipped.description_fr.startswith("Basé à Grenoble")
    assert shipped.regions.exists()  # the shipped links, kept for a revert
    assert (changed.description_en, changed.history_user.username) == ("Rewritten.", "alice")


def test_bulk_generated_clusters_start_at_version_1_without_history(shipped_guide):
    call_command("generate_clusters", "--count", "30", stdout=io.StringIO(), stderr=io.StringIO())

    generated = Cluster.objects.filter(slug__startswith="synthetic-")
    assert generated.count() == 30
    assert set(generated.values_list("version", flat=True)) == {1}
    assert not Cluster.history.filter(slug__startswith="synthetic-").exists()

    call_command("generate_clusters", "--delete", stdout=io.StringIO())

    assert not Cluster.objects.filter(slug__startswith="synthetic-").exists()
    assert not Cluster.history.filter(slug__startswith="synthetic-").exists()


@pytest.mark.parametrize("model", [Cluster, CallForProposals, Organisation, Contact])
def test_editors_may_read_the_history_and_revert(model):
    user = make_editor()
    name = model._meta.model_name

    assert user.has_perm(f"directory.view_{name}") and user.has_perm(f"directory.change_{name}")
