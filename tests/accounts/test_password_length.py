"""Passwords over the documented maximum (1,024 characters) are refused before hashing.

A recording hasher stands in for PBKDF2: every password it is asked to hash or check is
noted, so each test shows the overlong one never reached it (no timing involved)."""

import re

import pytest
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
LONG = "x" * 5000
MESSAGE = "at most 1,024 characters"


class RecordingHasher(MD5PasswordHasher):
    """MD5 (fast, for tests) that notes the length of every password it hashes or checks."""

    lengths: list[int] = []

    def encode(self, password, salt):
        self.lengths.append(len(password))
        return super().encode(password, salt)


@pytest.fixture(autouse=True)
def hashed(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.RecordingHasher"]
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    RecordingHasher.lengths = []
    return RecordingHasher.lengths


@pytest.fixture
def user():
    user = make_user(email="reader@example.com")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_recording_hasher_sees_a_normal_login(client, user, hashed):
    """The control: a login of normal length is checked by the hasher."""
    hashed.clear()
    client.post(reverse("account_login"), {"login": user.username, "password": "wrong"})
    assert hashed
    assert set(hashed) == {len("wrong")}


@pytest.mark.parametrize("login", ["reader@example.com", "nobody-here"])
def test_login_with_an_overlong_password_is_refused_unhashed(client, user, hashed, login):
    hashed.clear()
    response = client.post(reverse("account_login"), {"login": login, "password": LONG})
    assert response.status_code == 200
    html = response.content.decode()
    assert MESSAGE in html
    assert f'value="{login}"' in html  # what was typed stays
    assert hashed == []
    assert "_auth_user_id" not in client.session


def test_signup_with_an_overlong_password_is_refused_unhashed(client, hashed):
    data = {"email": "new@example.com", "username": "newbie", "password1": LONG, "password2": LONG}
    response = client.post(reverse("account_signup"), data)
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert hashed == []


def test_password_change_refuses_an_overlong_current_password_unhashed(client, user, hashed):
    client.force_login(user)
    hashed.clear()
    data = {"oldpassword": LONG, "password1": "a new long passphrase 9", "password2": "x"}
    response = client.post(reverse("account_change_password"), data)
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert len(LONG) not in hashed


def test_password_change_refuses_an_overlong_new_password(client, user, hashed):
    client.force_login(user)
    data = {"oldpassword": PASSWORD, "password1": LONG, "password2": LONG}
    response = client.post(reverse("account_change_password"), data)
    assert MESSAGE in response.content.decode()
    assert len(LONG) not in hashed


def test_reauthentication_refuses_an_overlong_password_unhashed(client, user, hashed):
    client.force_login(user)
    hashed.clear()
    response = client.post(reverse("account_reauthenticate"), {"password": LONG})
    assert MESSAGE in response.content.decode()
    assert hashed == []


def test_password_reset_refuses_an_overlong_new_password(client, user, hashed):
    client.post(reverse("account_reset_password"), {"email": user.email})
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[0].body)
    form_page = client.get(link.group(1), follow=True)
    done = client.post(form_page.redirect_chain[-1][0], {"password1": LONG, "password2": LONG})
    assert done.status_code == 200
    assert MESSAGE in done.content.decode()
    assert len(LONG) not in hashed


def test_admin_refuses_an_overlong_password_for_a_user(client, user, hashed):
    chief = make_user(is_staff=True, is_superuser=True)
    client.force_login(chief)
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    response = client.post(url, {"usable_password": "true", "password1": LONG, "password2": LONG})
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert len(LONG) not in hashed


def test_the_adapter_refuses_an_overlong_password_unhashed(rf, user, hashed):
    """Any login path through allauth's adapter, form or not, stops before the hashers."""
    request = rf.post("/")
    hashed.clear()
    with pytest.raises(ValidationError, match="1,024"):
        get_adapter(request).authenticate(request, username=user.username, password=LONG)
    assert hashed == []
