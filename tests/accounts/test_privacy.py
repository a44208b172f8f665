"""The account page, data export and erasure, through the privacy registry; guest links."""

import copy
import json
import re

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.core import signing
from django.urls import reverse

from accounts import privacy, services
from accounts.models import User
from tests.factories import make_user

pytestmark = pytest.mark.django_db


class FakeComments:
    """Stands in for the comments app: records what the registry asks of it."""

    def __init__(self):
        self.erased = []

    def export(self, *, user=None, email=None):
        return [{"body": "First!", "status": "approved", "email": email, "user": str(user)}]

    def erase(self, *, user=None, email=None, mode):
        self.erased.append({"user_id": getattr(user, "pk", None), "email": email, "mode": mode})


@pytest.fixture
def fake_comments():
    fake = FakeComments()
    privacy.register_exporter("fake_comments", fake.export)
    privacy.register_eraser(fake.erase)
    privacy.register_account_panel("tests_fake_panel.html")
    yield fake
    privacy.unregister_all(
        exporters=["fake_comments"], erasers=[fake.erase], panels=["tests_fake_panel.html"]
    )


@pytest.fixture
def panel_template(settings, tmp_path):
    (tmp_path / "tests_fake_panel.html").write_text(
        '<section id="fake-panel">Comments of {{ user.username }}</section>'
    )
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"].append(tmp_path)
    settings.TEMPLATES = templates  # assigned, so Django resets its template engines


def test_account_page_needs_login(client):
    response = client.get(reverse("accounts:account"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_account_page_shows_profile_social_accounts_and_panels(
    client, fake_comments, panel_template
):
    user = make_user(display_name="Ann Reader")
    SocialAccount.objects.create(user=user, provider="github", uid="42")
    client.force_login(user)
    html = client.get(reverse("accounts:account")).content.decode()
    assert "Ann Reader" in html
    assert "GitHub" in html
    assert f'<section id="fake-panel">Comments of {user.username}</section>' in html
    assert reverse("accounts:export") in html


def test_export_holds_profile_emails_socials_and_registered_parts(client, fake_comments):
    user = make_user(display_name="Ann", bio="Bio", website="https://ann.example/")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    SocialAccount.objects.create(user=user, provider="github", uid="42")
    client.force_login(user)
    response = client.get(reverse("accounts:export"))
    assert response["Content-Disposition"] == f'attachment; filename="{user.username}-data.json"'
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["profile"]["display_name"] == "Ann"
    assert data["profile"]["website"] == "https://ann.example/"
    assert data["email_addresses"] == [{"email": user.email, "verified": True, "primary": True}]
    assert data["social_accounts"][0]["provider"] == "github"
    assert data["fake_comments"] == [
        {"body": "First!", "status": "approved", "email": user.email, "user": str(user)}
    ]
    assert "password" not in json.dumps(data)


@pytest.mark.parametrize("mode", [privacy.ERASE_REMOVE, privacy.ERASE_ANONYMISE])
def test_delete_account_runs_erasers_with_the_chosen_mode(client, fake_comments, mode):
    user = make_user()
    pk, email = user.pk, user.email
    client.force_login(user)
    response = client.post(reverse("accounts:delete"), {"mode": mode, "confirm": "on"})
    assert response.status_code == 302
    assert fake_comments.erased == [{"user_id": pk, "email": email, "mode": mode}]
    assert not User.objects.filter(pk=pk).exists()
    assert "_auth_user_id" not in client.session


def test_delete_without_confirmation_keeps_the_account(client, fake_comments):
    user = make_user()
    client.force_login(user)
    response = client.post(reverse("accounts:delete"), {"mode": privacy.ERASE_REMOVE})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()
    assert fake_comments.erased == []


def test_delete_refuses_unknown_mode(fake_comments):
    user = make_user()
    with pytest.raises(Exception, match="Choose what happens"):
        services.account_delete(user=user, mode="shred")
    assert fake_comments.erased == []


def test_staff_cannot_delete_themselves_here(client, fake_comments):
    user = make_user(is_staff=True)
    with pytest.raises(Exception, match="closed by an administrator"):
        services.account_delete(user=user, mode=privacy.ERASE_REMOVE)
    assert User.objects.filter(pk=user.pk).exists()


def request_guest_link(client, smtp_mailbox, email):
    response = client.post(reverse("accounts:privacy"), {"email": email})
    message = smtp_mailbox.wait_for(lambda m: m["To"] == email)
    link = re.search(r"http://testserver(/accounts/privacy/\S+/)", message.get_content())
    return response, link.group(1)


def test_guest_gets_a_link_by_real_email_and_exports(client, smtp_mailbox, fake_comments):
    response, path = request_guest_link(client, smtp_mailbox, "guest@example.com")
    assert response.status_code == 302
    data = json.loads(client.get(path + "?download=1").content)
    assert data["email"] == "guest@example.com"
    assert data["fake_comments"][0]["email"] == "guest@example.com"


@pytest.mark.parametrize("mode", [privacy.ERASE_REMOVE, privacy.ERASE_ANONYMISE])
def test_guest_erases_with_either_choice(client, smtp_mailbox, fake_comments, mode):
    _, path = request_guest_link(client, smtp_mailbox, "guest@example.com")
    response = client.post(path, {"mode": mode, "confirm": "on"})
    assert response.status_code == 302
    assert fake_comments.erased == [{"user_id": None, "email": "guest@example.com", "mode": mode}]


def test_guest_link_answer_does_not_tell_whether_we_hold_data(client, smtp_mailbox):
    make_user(email="member@example.com")
    known, _ = request_guest_link(client, smtp_mailbox, "member@example.com")
    unknown, _ = request_guest_link(client, smtp_mailbox, "stranger@example.com")
    assert known.url == unknown.url


def test_tampered_guest_link_is_refused(client, fake_comments):
    token = signing.dumps({"email": "guest@example.com"}, salt=services.PRIVACY_SALT)
    response = client.get(reverse("accounts:guest-privacy", kwargs={"token": token[:-2] + "xx"}))
    assert response.status_code == 400
    assert "This link is not valid." in response.content.decode()


def test_expired_guest_link_is_refused(client, settings, fake_comments):
    settings.ACCOUNTS_PRIVACY_LINK_MAX_AGE = -1
    token = signing.dumps({"email": "guest@example.com"}, salt=services.PRIVACY_SALT)
    response = client.post(
        reverse("accounts:guest-privacy", kwargs={"token": token}),
        {"mode": privacy.ERASE_REMOVE, "confirm": "on"},
    )
    assert response.status_code == 400
    assert "This link has expired" in response.content.decode()
    assert fake_comments.erased == []


def test_guest_link_requests_are_rate_limited(client, smtp_mailbox):
    for _ in range(3):
        request_guest_link(client, smtp_mailbox, "guest@example.com")
    response = client.post(reverse("accounts:privacy"), {"email": "guest@example.com"})
    assert response.status_code == 429
    assert len(smtp_mailbox.messages) == 3
