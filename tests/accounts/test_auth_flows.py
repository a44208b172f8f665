"""Sign-up, login, logout, redirects, enumeration and rate limits through allauth."""

import re
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.template.loader import get_template
from django.urls import reverse

from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _locmem_mail(settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


def verified_user(**overrides):
    user = make_user(**overrides)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def login(client, login_value, password=PASSWORD, next_url=None):
    url = reverse("account_login")
    if next_url is not None:
        return client.post(url, {"login": login_value, "password": password, "next": next_url})
    return client.post(url, {"login": login_value, "password": password})


def test_login_page_uses_site_layout_and_crispy_fields(client):
    response = client.get(reverse("account_login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="navbar-brand' in html  # the site's header, not allauth's bare page
    assert 'class="textinput form-control"' in html  # crispy bootstrap5 fields
    assert re.search(r"<title>\s*Log in\s*· Newsroom</title>", html)


# "Log in" / "Log out" everywhere, as the header and the comment form say; allauth's own
# templates say "Sign In" / "Sign Out", so the ones a reader can reach are overridden.
SIGN_WORDING = re.compile(r"\bsign(?:ed)?[ -]?(?:in|out)\b", re.IGNORECASE)
ALLAUTH_PAGES = [
    "account/login.html",
    "account/signup.html",
    "account/logout.html",
    "account/messages/logged_in.txt",
    "account/messages/logged_out.txt",
    "socialaccount/login.html",
    "socialaccount/login_cancelled.html",
    "socialaccount/connections.html",
    "socialaccount/login_redirect.html",
    "mfa/authenticate.html",
]


@pytest.mark.parametrize("name", ALLAUTH_PAGES)
def test_allauth_pages_say_log_in_like_the_rest_of_the_site(name):
    origin = Path(get_template(name).origin.name)
    assert origin.is_relative_to(settings.BASE_DIR / "templates"), origin
    assert not SIGN_WORDING.search(origin.read_text()), origin


def test_no_site_template_says_sign_in_or_sign_out():
    said = [
        str(path)
        for path in (settings.BASE_DIR / "templates").rglob("*.*")
        if SIGN_WORDING.search(path.read_text())
    ]
    assert said == []


def test_login_page_and_its_messages_say_log_in(client):
    html = client.get(reverse("account_login")).content.decode()
    assert re.search(r"<h1[^>]*>\s*Log in\s*</h1>", html)
    assert re.search(r'<button [^>]*type="submit">\s*Log in\s*</button>', html)
    user = verified_user(display_name="Ada")
    page = client.post(
        reverse("account_login"), {"login": user.username, "password": PASSWORD}, follow=True
    )
    assert "You are logged in as" in page.content.decode()
    page = client.post(reverse("account_logout"), follow=True)
    assert "You have logged out." in page.content.decode()


def test_login_by_username_and_by_email(client):
    user = verified_user()
    assert login(client, user.username).status_code == 302
    client.logout()
    assert login(client, user.email.upper()).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_unverified_email_cannot_log_in(client):
    user = make_user()
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    response = login(client, user.username)
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_login_follows_same_site_next(client):
    user = verified_user()
    response = login(client, user.username, next_url="/2022/01/12/story/#respond")
    assert response.status_code == 302
    assert response.url == "/2022/01/12/story/#respond"


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "http://evil.example/path",
        "//evil.example/",
        "///evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        "https:evil.example",
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
    ],
)
def test_login_refuses_off_site_next(client, next_url):
    user = verified_user()
    response = login(client, user.username, next_url=next_url)
    assert response.status_code == 302
    assert response.url == "/"


def test_absolute_url_on_another_allowed_host_is_refused(client, settings):
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]
    user = verified_user()
    response = login(client, user.username, next_url="http://other.example/")
    assert response.url == "/"


def test_absolute_url_on_this_host_is_followed(client):
    user = verified_user()
    response = login(client, user.username, next_url="http://testserver/section/world/")
    assert response.url == "http://testserver/section/world/"


def test_logout_needs_post_and_shows_confirmation(client):
    user = verified_user()
    client.force_login(user)
    page = client.get(reverse("account_logout"))
    assert page.status_code == 200
    assert "Are you sure you want to log out?" in page.content.decode()
    assert client.session["_auth_user_id"] == str(user.pk)
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_signup_sends_verification_email_and_keeps_next(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.com",
            "username": "newreader",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": "/somewhere/",
        },
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_signup_rejects_weak_password_and_keeps_typed_values(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "weak@example.com", "username": "weakling", "password1": "password"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "This password is too common." in html or "too short" in html
    assert 'value="weak@example.com"' in html
    assert 'value="weakling"' in html


def signup(client, email, username):
    data = {"email": email, "username": username, "password1": PASSWORD, "password2": PASSWORD}
    return client.post(reverse("account_signup"), data)


def test_signup_with_taken_email_looks_the_same_as_a_new_one(client):
    verified_user(email="taken@example.com")
    taken = signup(client, "taken@example.com", "someoneelse")
    client.cookies.clear()
    fresh = signup(client, "fresh@example.com", "freshreader")
    assert taken.status_code == fresh.status_code == 302
    assert taken.url == fresh.url
    # The owner of the taken address is told by email; the page says nothing.
    assert sorted(m.to[0] for m in mail.outbox) == ["fresh@example.com", "taken@example.com"]


def test_password_reset_says_the_same_for_unknown_addresses(client):
    verified_user(email="known@example.com")
    known = client.post(reverse("account_reset_password"), {"email": "known@example.com"})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url


def test_login_error_is_the_same_for_unknown_user_and_wrong_password(client):
    verified_user(username="known")
    wrong_password = login(client, "known", password="not the password")
    unknown_user = login(client, "nobody-here", password="not the password")
    assert wrong_password.status_code == unknown_user.status_code == 200
    message = "The username and/or password you specified are not correct."
    assert message in wrong_password.content.decode()
    assert message in unknown_user.content.decode()


def test_failed_logins_are_rate_limited_per_account(client):
    user = verified_user()
    for _ in range(5):
        assert login(client, user.username, password="wrong").status_code == 200
    blocked = login(client, user.username)  # even the right password now
    assert "_auth_user_id" not in client.session
    assert blocked.status_code in (200, 429)
    assert "Too many failed login attempts" in blocked.content.decode()


def test_password_change_page_uses_site_layout(client):
    client.force_login(verified_user())
    response = client.get(reverse("account_change_password"))
    assert response.status_code == 200
    assert 'class="navbar-brand' in response.content.decode()


def test_email_change_page_lists_the_address(client):
    user = verified_user()
    client.force_login(user)
    response = client.get(reverse("account_email"))
    assert user.email in response.content.decode()


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "/\\evil.example"]
)
def test_logout_refuses_off_site_next(client, next_url):
    client.force_login(verified_user())
    response = client.post(reverse("account_logout"), {"next": next_url})
    assert response.url == "/"


def test_logout_follows_same_site_next(client):
    client.force_login(verified_user())
    response = client.post(reverse("account_logout"), {"next": "/section/world/"})
    assert response.url == "/section/world/"


def test_password_reset_by_email_link_sets_a_new_password(client):
    user = verified_user(email="reset@example.com")
    client.post(reverse("account_reset_password"), {"email": "reset@example.com"})
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[0].body)
    form_page = client.get(link.group(1), follow=True)
    new = "an entirely new passphrase 7"
    done = client.post(form_page.redirect_chain[-1][0], {"password1": new, "password2": new})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


def test_adding_an_email_address_sends_a_verification(client):
    user = verified_user()
    client.force_login(user)
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "second@example.com"}
    )
    assert response.status_code == 302
    assert EmailAddress.objects.filter(
        user=user, email="second@example.com", verified=False
    ).exists()
    assert mail.outbox[-1].to == ["second@example.com"]
