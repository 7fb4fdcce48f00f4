"""Bulk import and export of clusters: command and admin, matched on slug."""

import csv
import io
import re

import pytest
import tablib
from django.core.management import call_command
from django.urls import reverse

from directory.models import Cluster
from directory.resources import ClusterResource
from tests.factories import make_cluster, make_region, make_sector, make_type

pytestmark = pytest.mark.django_db

HEADERS = [
    "slug",
    "name_fr",
    "name_en",
    "cluster_type",
    "sectors",
    "regions",
    "description_fr",
    "description_en",
    "sources",
]


@pytest.fixture
def reference(db):
    make_type(slug="grappe-d-entreprises")
    make_sector(slug="services")
    make_sector(slug="logistique")
    make_region(slug="bretagne")
    make_region(slug="saint-pierre-et-miquelon", insee_code="975")


def row(n, **overrides):
    values = {
        "slug": f"grappe-{n:04}",
        "name_fr": f"Grappe numéro {n}",
        "name_en": "",
        "cluster_type": "grappe-d-entreprises",
        "sectors": "services|logistique",
        "regions": "bretagne",
        "description_fr": f"Description {n}.",
        "description_en": f"Description {n}.",
        "sources": "import test",
    }
    values.update(overrides)
    return [values[h] for h in HEADERS]


def write_csv(path, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        writer.writerows(rows)
    return path


def run_import(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_clusters", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_thousand_rows_with_one_bad_import_999_then_change_nothing(reference, tmp_path):
    rows = [row(n) for n in range(1, 1001)]
    rows[499] = row(500, cluster_type="nope")
    path = write_csv(tmp_path / "clusters.csv", rows)

    out, err = run_import(path)

    assert Cluster.objects.count() == 999
    assert "1000 rows: 999 created, 0 updated, 0 unchanged, 1 rejected." in out
    assert "line 501 (grappe-0500): cluster_type: unknown value “nope”" in out
    assert "1000/1000 rows" in err  # the progress bar reached the end

    out, _ = run_import(path)

    assert Cluster.objects.count() == 999
    assert "0 created, 0 updated, 999 unchanged, 1 rejected." in out


def test_a_reimport_updates_by_slug_instead_of_duplicating(reference, tmp_path):
    run_import(write_csv(tmp_path / "a.csv", [row(1)]))

    out, _ = run_import(
        write_csv(
            tmp_path / "b.csv",
            [row(1, description_en="Now in English.", regions="saint-pierre-et-miquelon")],
        )
    )

    cluster = Cluster.objects.get()
    assert "0 created, 1 updated" in out
    assert cluster.description_en == "Now in English."
    assert [r.slug for r in cluster.regions.all()] == ["saint-pierre-et-miquelon"]


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"sectors": "services|astrologie"}, "sectors: unknown value(s): astrologie"),
        ({"regions": "atlantide"}, "regions: unknown value(s): atlantide"),
        ({"name_fr": ""}, "name_fr"),
        ({"slug": "Pas un slug !"}, "slug"),
    ],
)
def test_each_bad_row_is_rejected_with_its_reason(reference, tmp_path, overrides, reason):
    out, _ = run_import(write_csv(tmp_path / "c.csv", [row(1), row(2, **overrides)]))

    assert "1 created" in out and "1 rejected" in out
    assert reason in out


def test_a_name_already_taken_is_rejected(reference, tmp_path):
    make_cluster(name_fr="Grappe numéro 1", slug="existing")

    out, _ = run_import(write_csv(tmp_path / "d.csv", [row(1)]))

    assert "1 rejected" in out and "A cluster with this name already exists." in out


def test_a_dry_run_reports_and_saves_nothing(reference, tmp_path):
    out, _ = run_import(write_csv(tmp_path / "e.csv", [row(1), row(2)]), "--dry-run")

    assert "Dry run, nothing saved." in out and "2 created" in out
    assert Cluster.objects.count() == 0


def test_an_xlsx_file_imports_like_a_csv(reference, tmp_path):
    dataset = tablib.Dataset(row(1), row(2), headers=HEADERS)
    path = tmp_path / "clusters.xlsx"
    path.write_bytes(dataset.export("xlsx"))

    out, _ = run_import(path)

    assert "2 created" in out
    assert Cluster.objects.filter(slug="grappe-0002").exists()


def test_an_unreadable_file_is_a_clear_error(tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "clusters.txt"
    path.write_text("hello")
    with pytest.raises(CommandError, match=r"give a \.csv or \.xlsx file"):
        run_import(path)
    missing = write_csv(tmp_path / "x.csv", [])
    missing.write_text("slug,name_fr\nabc,Abc\n")
    with pytest.raises(CommandError, match="missing column"):
        run_import(missing)


def test_the_export_has_both_languages_and_reimports_unchanged(reference):
    make_cluster(
        slug="novabuild",
        name_fr="Novabuild",
        description_fr="Bâtiment.",
        description_en="Building.",
        cluster_type=make_type(slug="cluster-regional"),
        sectors=[make_sector(slug="construction-habitat")],
    )
    dataset = ClusterResource().export()

    assert {"name_fr", "name_en", "description_fr", "description_en"} <= set(dataset.headers)
    assert dataset.dict[0]["sectors"] == "construction-habitat"
    result = ClusterResource().import_data(dataset, dry_run=True)
    assert result.totals["skip"] == 1 and not result.has_validation_errors()


def test_the_admin_import_previews_new_rows_and_errors_before_writing(
    client, editor, reference, tmp_path
):
    path = write_csv(tmp_path / "admin.csv", [row(1), row(2, regions="atlantide")])
    url = reverse("admin:directory_cluster_import")

    with path.open("rb") as handle:
        preview = client.post(url, {"resource": 0, "format": 0, "import_file": handle})

    html = preview.content.decode()
    assert preview.status_code == 200
    assert Cluster.objects.count() == 0  # nothing written yet
    assert "valeur(s) inconnue(s) : atlantide" in html  # the bad row’s reason, in French
    assert "Grappe numéro 1" in html and "Nouveau" in html  # the row that will be created


def test_the_admin_import_confirms_and_creates(client, editor, reference, tmp_path):
    path = write_csv(tmp_path / "admin.csv", [row(1), row(2)])
    url = reverse("admin:directory_cluster_import")
    with path.open("rb") as handle:
        preview = client.post(url, {"resource": 0, "format": 0, "import_file": handle})
    form = preview.context["confirm_form"]
    data = {name: form[name].value() for name in form.fields}

    response = client.post(reverse("admin:directory_cluster_process_import"), data)

    assert response.status_code == 302
    assert Cluster.objects.count() == 2


def test_the_admin_exports_csv_with_both_languages(client, editor, reference):
    make_cluster(slug="derbi", name_fr="Derbi", description_en="Renewable energy.")
    url = reverse("admin:directory_cluster_export")

    response = client.post(url, {"format": 0, **{f"clusterresource_{h}": "on" for h in HEADERS}})

    assert response.status_code == 200
    body = response.content.decode("utf-8-sig")
    assert re.search(r"derbi,Derbi,", body) and "Renewable energy." in body


def test_the_admin_can_confirm_the_valid_rows_of_a_file_with_rejected_ones(
    client, editor, reference, tmp_path
):
    path = write_csv(tmp_path / "admin.csv", [row(1), row(2, regions="atlantide")])
    with path.open("rb") as handle:
        preview = client.post(
            reverse("admin:directory_cluster_import"),
            {"resource": 0, "format": 0, "import_file": handle},
        )
    html = preview.content.decode()
    assert "Grappe numéro 1" in html and "atlantide" in html  # what goes in, and what does not
    form = preview.context["confirm_form"]

    client.post(
        reverse("admin:directory_cluster_process_import"), {n: form[n].value() for n in form.fields}
    )

    assert list(Cluster.objects.values_list("slug", flat=True)) == ["grappe-0001"]
