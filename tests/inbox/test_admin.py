"""The staff inbox: requests and reports, what staff do with them, and what is kept."""

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from mailer.models import Message

from inbox.models import Action, ErrorReport, IntroductionRequest
from outbox.worker import Worker
from tests.factories import make_cluster, make_contact
from tests.helpers import introduction_data, report_data, url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _queue(settings):
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"


def received(language="en", **fields) -> IntroductionRequest:
    """A request as a visitor sends it, from the public form."""
    response = Client().post(url("inbox:introduction-new", language), introduction_data(**fields))
    assert response.status_code == 302
    Message.objects.all().delete()  # the acknowledgement and notification: tested elsewhere
    return IntroductionRequest.objects.latest("pk")


def admin_url(item, view="change"):
    return f"/admin/inbox/{item._meta.model_name}/{item.pk}/{view}/"


def test_editors_see_new_items_counted_on_the_admin_index(client, editor):
    received()
    received()
    cluster = make_cluster()
    Client().post(url("inbox:report-cluster", slug=cluster.slug), report_data())
    html = client.get("/admin/").content.decode()
    assert re.search(r"Demandes de mise en relation \(2\)", html)
    assert re.search(r"Signalements d’erreur \(1\)", html)


def test_the_list_shows_status_assignee_and_age_with_filters_and_search(client, editor):
    first = received(organisation="Homard Atlantique")
    received(organisation="Bois Acadien")
    IntroductionRequest.objects.filter(pk=first.pk).update(
        received_at=timezone.now() - datetime.timedelta(days=3)
    )
    html = client.get("/admin/inbox/introductionrequest/").content.decode()
    assert "Homard Atlantique" in html and "Bois Acadien" in html
    assert "3\xa0jours" in html  # the age
    assert "Nouvelle-Écosse (Canada)" in html
    found = client.get("/admin/inbox/introductionrequest/", {"q": first.reference}).content.decode()
    assert "Homard Atlantique" in found and "Bois Acadien" not in found
    assert (
        "Bois Acadien"
        in client.get(
            "/admin/inbox/introductionrequest/", {"open": "yes", "status__exact": "new"}
        ).content.decode()
    )


def test_forwarding_sends_each_contact_the_edited_text_and_keeps_who_and_when(
    client, editor, smtp, settings
):
    cluster = make_cluster(name_fr="Pôle Mer Bretagne Atlantique")
    first = make_contact(
        cluster=cluster, first_name="Anne", last_name="Le Goff", email="anne@pole.example"
    )
    second = make_contact(
        cluster=cluster, first_name="Yann", last_name="Morvan", email="yann@pole.example"
    )
    make_contact(cluster=cluster, first_name="Sans", last_name="Adresse", email="")
    request = received(clusters=[cluster.slug], share_address="")
    page = client.get(admin_url(request, "forward") + "?language=fr").content.decode()
    assert "anne@pole.example" in page and "yann@pole.example" in page
    assert "Sans Adresse" not in page
    assert "marie@homard.example" not in page  # the visitor did not agree to pass it on
    body = re.search(r'<textarea name="body"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert "souhaite entrer en contact avec votre cluster" in body

    response = client.post(
        admin_url(request, "forward"),
        {
            "contacts": [first.pk, second.pk],
            "language": "fr",
            "subject": "Mise en relation : Homard Atlantique",
            "body": "Bonjour,\n\nUne entreprise de Nouvelle-Écosse souhaite vous rencontrer.",
        },
    )
    assert response.status_code == 302
    Worker().step(now=0)
    assert [m.envelope_recipients for m in smtp.received] == [
        ["anne@pole.example"],
        ["yann@pole.example"],
    ]  # one message each: they never see each other's address
    message = smtp.received[0]
    assert message["Subject"] == "Mise en relation : Homard Atlantique"
    assert message["Reply-To"] == settings.STAFF_INBOX_EMAIL
    assert "Nouvelle-Écosse" in message.get_body(("plain",)).get_content()
    request.refresh_from_db()
    assert request.status == "forwarded" and request.first_action_at is not None
    forwarded = request.actions.get(kind=Action.Kind.FORWARDED)
    assert forwarded.by == editor and "anne@pole.example" in forwarded.recipients
    page = client.get(admin_url(request)).content.decode()
    assert "Transmis" in page and "editrice" in page  # shown on the item


def test_the_visitors_address_goes_to_the_clusters_only_with_their_consent(client, editor, smtp):
    cluster = make_cluster()
    contact = make_contact(cluster=cluster, email="contact@cluster.example")
    request = received(clusters=[cluster.slug], share_address="on")
    page = client.get(admin_url(request, "forward") + "?language=en").content.decode()
    assert "marie@homard.example" in page
    client.post(
        admin_url(request, "forward"),
        {"contacts": [contact.pk], "language": "en", "subject": "Hello", "body": "Meet Marie."},
    )
    Worker().step(now=0)
    assert smtp.received[0]["Reply-To"] == "marie@homard.example"


def test_a_reply_reaches_the_visitor_in_their_language(client, editor, smtp):
    request = received(reply_language="fr", name="Paul Arsenault", email="paul@peche.example")
    page = client.get(admin_url(request, "reply")).content.decode()
    assert "Bonjour Paul Arsenault," in page and "paul@peche.example" in page
    client.post(
        admin_url(request, "reply"),
        {
            "language": "fr",
            "subject": "Votre demande",
            "body": "Bonjour,\n\nPouvez-vous préciser ?",
        },
    )
    Worker().step(now=0)
    (reply,) = smtp.to("paul@peche.example")
    assert reply["Subject"] == "Votre demande" and reply["Content-Language"] == "fr"
    request.refresh_from_db()
    assert request.status == "answered"
    assert [a.kind for a in request.actions.all()] == ["received", "status", "replied"]


def test_status_and_assignee_changes_are_kept_as_actions(client, editor):
    request = received()
    colleague = User.objects.create_user("collegue", is_staff=True)
    change = client.get(admin_url(request))
    assert change.status_code == 200
    response = client.post(
        admin_url(request),
        {
            "status": "in_progress",
            "assignee": colleague.pk,
            "clusters": [],
            "actions-TOTAL_FORMS": 1,
            "actions-INITIAL_FORMS": 1,
            "actions-MIN_NUM_FORMS": 0,
            "actions-MAX_NUM_FORMS": 1000,
            "actions-0-id": request.actions.get().pk,
            "actions-0-request": request.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    request.refresh_from_db()
    assert request.status == "in_progress" and request.assignee == colleague
    kinds = {a.kind: a for a in request.actions.all()}
    assert kinds["assigned"].note == "collegue" and kinds["assigned"].by == editor
    assert kinds["status"].note == "En cours de traitement"


def test_marking_as_spam_closes_the_item_and_tells_no_one(client, editor):
    request = received()
    assert "Oui, classer comme spam" in client.get(admin_url(request, "spam")).content.decode()
    client.post(admin_url(request, "spam"))
    request.refresh_from_db()
    assert request.status == "spam" and request.closed_at is not None
    assert not Message.objects.exists()


def test_a_report_links_to_the_entry_and_closing_it_records_the_fix(client, editor, smtp):
    cluster = make_cluster(name_fr="Cluster Bois Normandie")
    Client().post(
        url("inbox:report-cluster", "fr", slug=cluster.slug),
        report_data(email="lea@example.fr", kind="website"),
    )
    Message.objects.all().delete()
    report = ErrorReport.objects.get()
    page = client.get(admin_url(report)).content.decode()
    assert f'href="/admin/directory/cluster/{cluster.pk}/change/"' in page
    assert "Clore avec la correction" in page
    client.post(
        admin_url(report, "close"),
        {"fix": "Nouvelle adresse du site enregistrée.", "tell_reporter": "on"},
    )
    report.refresh_from_db()
    assert report.status == "closed" and report.fix == "Nouvelle adresse du site enregistrée."
    closed = report.actions.get(kind=Action.Kind.CLOSED)
    assert closed.by == editor and closed.note == report.fix
    Worker().step(now=0)
    (follow_up,) = smtp.to("lea@example.fr")
    assert follow_up["Subject"].endswith("la page est corrigée")
    assert report.fix in follow_up.get_body(("plain",)).get_content()


def test_requests_per_month_and_the_median_time_to_a_first_answer(client, editor):
    now = timezone.now()
    for hours in (2, 4, 30):
        request = received()
        IntroductionRequest.objects.filter(pk=request.pk).update(
            received_at=now - datetime.timedelta(hours=hours + 1),
            first_action_at=now - datetime.timedelta(hours=1),
        )
    received()  # not answered yet: left out of the median
    spam = received()
    IntroductionRequest.objects.filter(pk=spam.pk).update(status="spam")
    html = client.get("/admin/inbox/introductionrequest/").content.decode()
    assert "Délai médian entre une demande et la première action de l’équipe : 4" in html
    this_month = re.search(r"<td>([^<]+)</td><td>(\d+)</td></tr></tbody>", html)
    assert this_month.group(2) == "4"  # spam is not counted
    public = Client().get(url("guide:figures", "en")).content.decode()
    assert "Introduction requests per month" in public
    assert "within 4\xa0hours" in public
    assert "Marie" not in public and "homard" not in public.lower()


def test_editors_cannot_add_or_delete_requests(client, editor):
    request = received()
    assert client.get("/admin/inbox/introductionrequest/add/").status_code == 403
    assert client.get(admin_url(request, "delete")).status_code == 403


def test_staff_outside_the_editors_group_do_not_see_the_inbox():
    request = received()
    outsider = User.objects.create_user("visiteur", is_staff=True)
    client = Client()
    client.force_login(outsider)
    assert client.get(admin_url(request)).status_code == 403
    assert client.get(admin_url(request, "forward")).status_code == 403
