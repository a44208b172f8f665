"""Every public page type passes the Nu HTML checker (0 errors, 0 warnings) and axe-core
(0 violations, nothing left to review) in the light and the dark theme."""

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sites.models import Site
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.core.management import call_command
from django.test import RequestFactory
from django.views import csrf, defaults

from articles.models import Article
from core import errors
from tests.comments.helpers import make_comment
from tests.factories import make_user
from tests.quality import axe_results, nu_messages, require_checkers

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ARTICLE = "/2022/01/12/nato-russia-council-step-forward/"
PAGES = {
    "front": "/",
    "article-with-thread": ARTICLE,
    "article-reply-form": ARTICLE + "?replytocom=1#respond",
    "section": "/section/europe/",
    "tag": "/tag/nato/",
    "author": "/author/reporter/",
    "archive-year": "/2022/",
    "archive-month": "/2022/01/",
    "archive-day": "/2022/01/12/",
    "search": "/search/?q=NATO",
    "search-empty": "/search/",
    "corrections": "/corrections/",
    "login": "/accounts/login/?next=/",
    "signup": "/accounts/signup/",
    "not-found": "/2022/01/12/no-such-article/",
}
PASSWORD = "correct horse battery staple"


@pytest.fixture
def checkers():
    require_checkers()


@pytest.fixture
def demo_site(live_server):
    Site.objects.clear_cache()
    Site.objects.update_or_create(pk=settings.SITE_ID, defaults={"domain": "testserver"})
    call_command("load_demo", force=True)
    # A comment posted now: its timestamp has microseconds, as real ones do.
    make_comment(Article.objects.get(slug="nato-russia-council-step-forward"), body="Just now.")
    return live_server


def assert_clean(browser, url: str, *, html: str | None = None, before=None) -> None:
    """Nu on the served HTML, then axe-core in a light and in a dark browser context."""
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.set_default_timeout(15_000)
        if html is not None:
            page.route(
                url, lambda route: route.fulfill(status=200, body=html, content_type="text/html")
            )
        if before:
            before(page)
        response = page.goto(url)
        if scheme == "light":
            assert nu_messages(response.text()) == [], url
        assert axe_results(page) == {"violations": [], "incomplete": []}, (url, scheme)
        context.close()


@pytest.mark.parametrize("name", PAGES)
def test_public_page_is_valid_and_accessible_in_both_themes(checkers, demo_site, browser, name):
    assert_clean(browser, demo_site.url + PAGES[name])


def test_account_page_is_valid_and_accessible_in_both_themes(checkers, demo_site, browser):
    user = make_user(display_name="Ann Reader")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    def log_in(page):
        page.goto(demo_site.url + "/accounts/login/")
        page.fill("#id_login", user.username)
        page.fill("#id_password", PASSWORD)
        page.get_by_role("button", name="Log in", exact=True).click()
        page.wait_for_url(demo_site.url + "/")

    assert_clean(browser, demo_site.url + "/accounts/me/", before=log_in)
    assert_clean(browser, demo_site.url + ARTICLE, before=log_in)


def error_response(name: str):
    request = RequestFactory().get("/somewhere/")
    request.user = AnonymousUser()
    request.session = {}
    return {
        "400": lambda: defaults.bad_request(request, SuspiciousOperation("test")),
        "403": lambda: defaults.permission_denied(request, PermissionDenied("test")),
        "403-csrf": lambda: csrf.csrf_failure(request, reason="test"),
        "500": lambda: errors.server_error(request),
        "503": lambda: errors.service_unavailable(request),
    }[name]()


@pytest.mark.parametrize("name", ["400", "403", "403-csrf", "500", "503"])
def test_error_page_is_valid_and_accessible_in_both_themes(checkers, demo_site, browser, name):
    html = error_response(name).content.decode()
    # Served from the site's own origin so its stylesheet loads as it would for a reader.
    assert_clean(browser, demo_site.url + f"/error-page-{name}/", html=html)


def test_comment_form_errors_are_announced_and_linked_to_their_fields(
    checkers, demo_site, browser, settings
):
    settings.COMMENTS_MIN_SECONDS = 0
    context = browser.new_context()
    page = context.new_page()
    page.goto(demo_site.url + ARTICLE)
    page.get_by_role("textbox", name="Comment").fill("A comment from someone who forgot a name.")
    page.locator("#commentform").evaluate("form => form.noValidate = true")  # let the server judge
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Post Comment").click()
    name = page.get_by_role("textbox", name="Name")
    assert name.get_attribute("aria-invalid") == "true"
    error_id = name.get_attribute("aria-describedby").split()[0]
    assert page.locator(f"#{error_id}").inner_text().strip() != ""
    html = navigation.value.text()
    assert [(m["message"], html.splitlines()[m["lastLine"] - 1]) for m in nu_messages(html)] == []
    assert axe_results(page) == {"violations": [], "incomplete": []}
    context.close()
