"""The site and the Django admin work under the strict CSP, in a real Chromium."""

import pytest
from django.core.management import call_command

from tests.e2e.staff import staff_log_in, verify_email
from tests.factories import make_article, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "admin under csp 42"
# Records every CSP violation the page reports, from before its first script runs.
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture
def watched_page(page):
    page.context.add_init_script(WATCH_VIOLATIONS)
    page.console_errors = []  # CSP refusals in the console, and uncaught JS errors
    page.on(
        "console",
        lambda m: "Content Security Policy" in m.text and page.console_errors.append(m.text),
    )
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    return page


def admin_login(page, live_server, user) -> None:
    verify_email(user)
    staff_log_in(page, live_server.url, user.username, PASSWORD)


def violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations") + page.console_errors


def test_admin_add_and_change_pages_raise_no_csp_violations(live_server, watched_page):
    page = watched_page
    admin = make_user(username="chief", is_staff=True, is_superuser=True, password=PASSWORD)
    article = make_article(authors=[admin])
    admin_login(page, live_server, admin)
    assert violations(page) == []

    page.goto(live_server.url + "/admin/articles/article/add/")
    page.locator("#id_title").press_sequentially("Budget talks resume")
    # prepopulated_fields is admin JavaScript: it only runs if CSP lets the script in.
    assert page.input_value("#id_slug") == "budget-talks-resume"
    page.click(".add-row a")  # inline formset JavaScript adds a byline row
    assert page.locator("tr.form-row.dynamic-bylines").count() >= 2
    assert violations(page) == []

    page.goto(live_server.url + f"/admin/articles/article/{article.pk}/change/")
    page.wait_for_selector("#id_title")
    assert page.input_value("#id_title") == article.title
    assert violations(page) == []


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/2022/01/12/nato-russia-council-step-forward/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
    ],
)
def test_public_pages_raise_no_csp_violations(live_server, watched_page, path):
    call_command("load_demo", force=True)
    response = watched_page.goto(live_server.url + path)
    assert response.status == 200
    watched_page.wait_for_load_state("load")
    assert violations(watched_page) == []


def test_an_injected_inline_handler_is_blocked_and_reported(live_server, watched_page):
    """Shows the watcher above can fail: an on*= handler is refused by the policy."""
    page = watched_page
    admin = make_user(username="chief", is_staff=True, is_superuser=True, password=PASSWORD)
    admin_login(page, live_server, admin)
    page.evaluate(
        "document.body.insertAdjacentHTML('beforeend', "
        '\'<img src="/nowhere.png" onerror="window.__ran = true">\')'
    )
    page.wait_for_function("window.__cspViolations.length > 0")
    assert page.evaluate("window.__ran === undefined")
    assert any(v.startswith("script-src") for v in page.evaluate("window.__cspViolations"))
