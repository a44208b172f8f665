"""Every way into the admin goes through the site's own login: its limits, two-factor, next."""

import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.urls import reverse

from tests.factories import make_member

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
ADMIN_LOGIN = "/admin/login/"


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def moderator(settings):
    """A moderator whose group requires two-factor login, with TOTP active."""
    settings.ACCOUNTS_MFA_REQUIRED_GROUPS = ["Moderator"]
    user = make_member("Moderator")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    secret = generate_totp_secret()
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": secret})
    user.totp_secret = secret
    return user


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_admin_sends_staff_to_the_sites_login_with_next_kept(client, moderator):
    first = client.get("/admin/")
    assert first.status_code == 302
    landing = client.get(first.url, follow=True)
    path, _ = landing.redirect_chain[-1]
    assert path.startswith(reverse("account_login"))
    assert "next=/admin/" in path.replace("%2F", "/")


def test_staff_journey_from_the_admin_asks_for_the_totp_code(client, moderator):
    landing = client.get("/admin/", follow=True)
    login_url = landing.redirect_chain[-1][0]
    step = client.post(login_url, {"login": moderator.username, "password": PASSWORD})
    assert step.url == reverse("mfa_authenticate")
    assert not logged_in(client)
    assert client.get("/admin/").status_code == 302  # still not in with the password alone
    done = client.post(reverse("mfa_authenticate"), {"code": totp_code(moderator.totp_secret)})
    assert logged_in(client)
    assert done.url == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("method", ["get", "post"])
def test_admin_login_never_logs_in_with_only_a_password(client, moderator, method):
    credentials = {"username": moderator.username, "password": PASSWORD, "next": "/admin/"}
    response = getattr(client, method)(ADMIN_LOGIN, credentials)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not logged_in(client)


def test_admin_login_keeps_a_same_site_next_and_drops_an_off_site_one(client):
    kept = client.get(ADMIN_LOGIN, {"next": "/admin/articles/"})
    assert "next=%2Fadmin%2Farticles%2F" in kept.url
    dropped = client.get(ADMIN_LOGIN, {"next": "https://evil.example/"})
    assert "evil" not in dropped.url


def test_brute_force_on_the_admin_login_is_limited(client):
    editor = make_member("Editor")
    EmailAddress.objects.create(user=editor, email=editor.email, verified=True, primary=True)
    for _ in range(15):
        client.post(ADMIN_LOGIN, {"username": editor.username, "password": "wrong guess"})
        client.post(reverse("account_login"), {"login": editor.username, "password": "wrong"})
    client.post(ADMIN_LOGIN, {"username": editor.username, "password": PASSWORD})
    assert not logged_in(client)
    blocked = client.post(
        reverse("account_login"), {"login": editor.username, "password": PASSWORD}
    )
    assert not logged_in(client)
    assert "Too many failed login attempts" in blocked.content.decode()


def test_logged_in_staff_on_the_admin_login_go_to_the_admin(client):
    editor = make_member("Editor")
    client.force_login(editor)
    response = client.get(ADMIN_LOGIN)
    assert response.status_code == 302
    assert response.url == reverse("admin:index")


def test_logged_in_staff_cannot_switch_user_through_the_admin_login(client):
    editor = make_member("Editor")
    other = make_member("Editor")
    client.force_login(editor)
    client.post(ADMIN_LOGIN, {"username": other.username, "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_admin_password_change_goes_to_the_sites_form(client):
    client.force_login(make_member("Editor"))
    response = client.get(reverse("admin:password_change"))
    assert response.status_code == 302
    assert response.url == reverse("account_change_password")
