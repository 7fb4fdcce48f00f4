"""Staff sessions expire, and staff passwords must be strong enough."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.utils import timezone

pytestmark = pytest.mark.django_db

PASSWORD = "un-mot-de-passe-solide-2026"


@pytest.fixture
def account(db):
    return User.objects.create_user("editrice", password=PASSWORD, is_staff=True)


def log_in(client):
    response = client.post(
        "/admin/login/", {"username": "editrice", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    return response


def test_the_session_cookie_ends_with_the_browser_and_the_session_after_its_age(
    client, account, settings
):
    response = log_in(client)

    cookie = response.cookies["sessionid"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""  # a browser-session cookie
    session = Session.objects.get()
    lifetime = session.expire_date - timezone.now()
    assert timedelta(seconds=settings.SESSION_COOKIE_AGE - 60) < lifetime
    assert lifetime <= timedelta(seconds=settings.SESSION_COOKIE_AGE)


def test_an_expired_session_is_sent_to_the_login_page(client, account):
    log_in(client)
    assert client.get("/admin/").status_code == 200

    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/admin/directory/cluster/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/directory/cluster/"


@pytest.mark.parametrize(
    "password",
    [
        "court-2026",  # too short: fewer than 12 characters
        "password1234",  # common
        "123456789012345",  # only digits
        "editrice-2026",  # too close to the user name
    ],
)
def test_weak_passwords_are_refused(account, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=account)


def test_a_strong_password_is_accepted(account):
    validate_password("trois-grappes-sous-la-neige", user=account)


def test_the_admin_password_form_refuses_a_short_password(client, admin_user, account):
    client.force_login(admin_user)
    url = f"/admin/auth/user/{account.pk}/password/"

    response = client.post(url, {"password1": "Court-2026", "password2": "Court-2026"})

    assert response.status_code == 200
    assert "au minimum 12 caractères" in response.content.decode()
    account.refresh_from_db()
    assert account.check_password(PASSWORD)


def test_a_staff_member_cannot_change_to_a_short_password(client, account):
    log_in(client)

    response = client.post(
        "/admin/password_change/",
        {"old_password": PASSWORD, "new_password1": "Court-2026", "new_password2": "Court-2026"},
    )

    assert response.status_code == 200
    assert "au minimum 12 caractères" in response.content.decode()
    account.refresh_from_db()
    assert account.check_password(PASSWORD)
