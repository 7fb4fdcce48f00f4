"""manage.py forget_contact: a person is erased from the guide and from its history."""

import io

import pytest
from django.core.management import CommandError, call_command

from directory.models import Contact
from tests.factories import make_cluster, make_contact, make_organisation

pytestmark = pytest.mark.django_db


def forget(*args):
    out = io.StringIO()
    call_command("forget_contact", *args, stdout=out)
    return out.getvalue()


def test_a_person_is_erased_with_every_past_version_and_others_are_kept():
    cluster = make_cluster()
    organisation = make_organisation()
    anne = make_contact(
        cluster=cluster, first_name="Anne", last_name="Martin", email="anne.martin@example.org"
    )
    anne.email = "a.martin@example.org"  # a later version changed the email
    anne.save()
    make_contact(
        organisation=organisation,
        first_name="Anne",
        last_name="Martin",
        email="Anne.Martin@example.org",
    )
    paul = make_contact(
        cluster=cluster, first_name="Paul", last_name="Durand", email="paul@example.org"
    )
    paul.save()

    out = forget("--email", "anne.martin@example.org")

    assert "Erased 2 contact row(s)" in out
    assert list(Contact.objects.values_list("first_name", flat=True)) == ["Paul"]
    Historical = Contact.history.model
    assert not Historical.objects.filter(first_name="Anne").exists()
    assert Historical.objects.filter(first_name="Paul").exists()


def test_a_dry_run_erases_nothing():
    contact = make_contact(cluster=make_cluster(), email="x@example.org")

    out = forget("--id", str(contact.pk), "--dry-run")

    assert out.startswith("Would erase 1 contact row(s)")
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_nobody_matching_is_a_clear_error():
    with pytest.raises(CommandError, match="No contact"):
        forget("--email", "nobody@example.org")


def test_staff_find_a_person_by_email_in_the_admin(client, django_user_model):
    make_contact(
        cluster=make_cluster(),
        first_name="Anne",
        last_name="Martin",
        email="anne.martin@example.org",
    )
    make_contact(cluster=make_cluster(), first_name="Paul", last_name="Durand")
    client.force_login(django_user_model.objects.create_superuser("admin", "a@example.org", "x"))

    html = client.get("/admin/directory/contact/", {"q": "anne.martin@"}).content.decode()

    assert "Martin" in html and "Durand" not in html
