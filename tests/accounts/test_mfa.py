"""Staff turn on two-factor login (allauth TOTP); afterwards a login asks for the code."""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def totp_code(secret: str, offset: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


@pytest.fixture
def editor():
    user = make_user()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    user.groups.add(Group.objects.get_or_create(name="Editor")[0])
    return user


def log_in_and_reauthenticate(client, user):
    client.post(reverse("account_login"), {"login": user.username, "password": PASSWORD})
    # allauth asks for the password again before changing two-factor settings.
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})


def test_editor_activates_totp_then_login_asks_for_the_code(client, settings, editor):
    settings.MFA_TOTP_TOLERANCE = 1  # one code for activation, the next one for login
    log_in_and_reauthenticate(client, editor)
    page = client.get(reverse("mfa_activate_totp"))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'class="navbar-brand' in html  # the site's layout
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', html).group(1)
    done = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret, -1)})
    assert done.status_code == 302
    assert Authenticator.objects.filter(user=editor, type="totp").exists()

    client.post(reverse("account_logout"))
    step = client.post(reverse("account_login"), {"login": editor.username, "password": PASSWORD})
    assert step.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_wrong_totp_code_is_refused_with_a_message(client, editor):
    log_in_and_reauthenticate(client, editor)
    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert not Authenticator.objects.filter(user=editor).exists()
