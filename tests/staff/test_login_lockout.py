"""Staff login brute-force protection (django-axes): locked means locked, with a clear page.

After LOGIN_FAILURE_LIMIT (5) failed logins for one user name from one
address, that pair is locked: the fifth failure already answers the lockout
page (429), and every attempt until the cool-off has passed is refused, the
right password included. Other user names and other addresses are not
affected. `manage.py axes_reset_username NAME` lifts the lock at once.
"""

import io
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "un-mot-de-passe-solide-2026"


@pytest.fixture
def account(db):
    return User.objects.create_user("editrice", password=PASSWORD, is_staff=True)


def log_in(client, username, password, ip="203.0.113.5", **headers):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip,
        headers=headers,
    )


def fail(client, times, username="editrice", ip="203.0.113.5"):
    return [log_in(client, username, "mauvais", ip).status_code for _ in range(times)]


def is_logged_in(client):
    return client.get("/admin/").status_code == 200


def test_four_failures_leave_the_login_form(client, account):
    responses = [log_in(client, "editrice", "mauvais") for _ in range(4)]

    assert [response.status_code for response in responses] == [200] * 4
    assert 'id="login-form"' in responses[-1].content.decode()
    assert log_in(client, "editrice", PASSWORD).status_code == 302  # not locked


def test_the_fifth_failure_locks_with_a_clear_message_in_french(client, account):
    fail(client, 4)

    response = log_in(client, "editrice", "mauvais")

    html = response.content.decode()
    assert response.status_code == 429
    assert "<h1>Connexion bloquée</h1>" in html
    assert "5 tentatives de connexion avec ce nom d’utilisateur ont échoué" in html
    assert "Vous pourrez réessayer dans 60 minutes" in html
    assert "même avec le bon mot de passe" in html
    assert 'href="/admin/login/"' in html


def test_the_lockout_page_speaks_english_to_an_english_browser(client, account):
    fail(client, 4)

    response = log_in(client, "editrice", "wrong", accept_language="en")

    html = response.content.decode()
    assert response.status_code == 429
    assert "<h1>Login locked</h1>" in html
    assert "There have been 5 failed attempts to log in" in html
    assert "You can try again in 60 minutes" in html


def test_the_right_password_is_refused_while_locked(client, account):
    fail(client, 5)

    response = log_in(client, "editrice", PASSWORD)

    assert response.status_code == 429
    assert "Connexion bloquée" in response.content.decode()
    assert not is_logged_in(client)


def test_another_user_name_or_another_address_is_not_locked(client, account):
    User.objects.create_user("redacteur", password=PASSWORD, is_staff=True)
    fail(client, 5)

    assert log_in(client, "redacteur", PASSWORD).status_code == 302
    client.logout()
    assert log_in(client, "editrice", PASSWORD, ip="198.51.100.20").status_code == 302
    assert is_logged_in(client)


def test_the_lock_ends_after_the_cool_off(client, account, settings):
    fail(client, 5)
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )

    assert log_in(client, "editrice", PASSWORD).status_code == 302


def test_axes_reset_username_lifts_the_lock(client, account):
    fail(client, 5)
    assert log_in(client, "editrice", PASSWORD).status_code == 429

    call_command("axes_reset_username", "editrice", stdout=io.StringIO())

    assert log_in(client, "editrice", PASSWORD).status_code == 302
    assert is_logged_in(client)


def test_a_successful_login_starts_the_count_again(client, account):
    fail(client, 4)
    assert log_in(client, "editrice", PASSWORD).status_code == 302
    client.logout()

    assert fail(client, 4) == [200] * 4


def test_behind_a_trusted_proxy_the_forwarded_client_is_locked_not_the_proxy(
    client, account, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"

    for _ in range(5):
        client.post(
            LOGIN,
            {"username": "editrice", "password": "mauvais"},
            REMOTE_ADDR=proxy,
            headers={"X-Forwarded-For": "198.51.100.66"},
        )
    other_client = client.post(
        LOGIN,
        {"username": "editrice", "password": PASSWORD},
        REMOTE_ADDR=proxy,
        headers={"X-Forwarded-For": "192.0.2.14"},
    )

    assert AccessAttempt.objects.get().ip_address == "198.51.100.66"
    assert other_client.status_code == 302


def test_tests_log_in_with_force_login_or_with_client_login_given_a_request(client, account):
    # Django's Client.login() calls authenticate() without a request, which
    # django-axes refuses (it needs the address): pass one, or use force_login().
    assert client.login(request=RequestFactory().get("/"), username="editrice", password=PASSWORD)
    assert is_logged_in(client)
    with pytest.raises(ValueError, match="requires a request"):
        client.login(username="editrice", password=PASSWORD)
