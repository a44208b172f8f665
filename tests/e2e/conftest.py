"""Browser tests: Playwright drives Debian's Chromium (no browser download)."""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
# test itself (fixtures, assertions) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def _fragments(settings):
    """The journeys run as production does: the comment thread kept as a fragment, so a
    moderator's approval must expire it before the reader reloads."""
    settings.PAGECACHE_FRAGMENTS = True


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}: install it with 'apt-get install chromium'"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI must run the browser tests)")
        pytest.skip(reason=message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _no_page_outlives_its_test(request):
    """Close every browser context a test opened and left open (several journeys open a
    guest's or a moderator's with browser.new_context()). A page left open keeps running its
    scripts, the live notice's poll among them, against the session's live server during
    later tests; on SQLite that server shares the tests' one in-memory connection, and a poll
    running beside an edge test's requests deadlocked the suite once."""
    yield
    if "browser" in request.fixturenames:
        for context in list(request.getfixturevalue("browser").contexts):
            context.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def page_quality():
    """page_quality(page, "where") at each page of a journey: axe-core there and then, the
    Nu checker for all of them in one java start when the journey ends (tests/quality.py)."""
    from tests.quality import JourneyQuality, require_checkers

    require_checkers()
    checks = JourneyQuality()
    yield checks
    checks.assert_valid_html()  # pages checked after the journey's own final call, if any
