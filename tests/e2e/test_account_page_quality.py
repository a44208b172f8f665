"""The account pages pass the Nu HTML checker and axe-core with nothing to review."""

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialApp
from django.contrib.sites.models import Site

from tests.factories import make_user
from tests.quality import axe_results, nu_messages, require_checkers

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

GUEST_PAGES = {
    "login": "/accounts/login/?next=/",
    "signup": "/accounts/signup/",
    "password-reset": "/accounts/password/reset/",
    "guest-privacy": "/accounts/privacy/",
}
READER_PAGES = {
    "account": "/accounts/me/",
    "profile": "/accounts/me/profile/",
    "logout": "/accounts/logout/",
    "emails": "/accounts/email/",
    "password-change": "/accounts/password/change/",
    "connections": "/accounts/3rdparty/",
}
PASSWORD = "correct horse battery staple"


@pytest.fixture
def checkers():
    require_checkers()


@pytest.fixture
def site(live_server):
    app = SocialApp.objects.create(provider="github", name="GitHub", client_id="x", secret="y")
    app.sites.add(Site.objects.get_current())
    return live_server


@pytest.fixture
def reader_page(site, page):
    user = make_user(display_name="Ann Reader", bio="Reads everything.")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    page.goto(site.url + "/accounts/login/")
    page.fill("#id_login", user.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_url(site.url + "/")
    return page


def check(page, url):
    response = page.goto(url)
    assert page.url == url  # the page itself, not a redirect to the login page
    assert nu_messages(response.text()) == []
    assert axe_results(page) == {"violations": [], "incomplete": []}


@pytest.mark.parametrize("name", GUEST_PAGES)
def test_guest_account_page_is_valid_and_accessible(checkers, site, page, name):
    check(page, site.url + GUEST_PAGES[name])


@pytest.mark.parametrize("name", READER_PAGES)
def test_reader_account_page_is_valid_and_accessible(checkers, site, reader_page, name):
    check(reader_page, site.url + READER_PAGES[name])
