"""Every public page type passes the Nu HTML checker and axe-core with nothing to review."""

import pytest
from django.core.management import call_command

from tests.quality import axe_results, nu_messages, require_checkers

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAGES = {
    "front": "/",
    "article": "/2022/01/12/nato-russia-council-step-forward/",
    "section": "/section/europe/",
    "author": "/author/reporter/",
    "not-found": "/2022/01/12/no-such-article/",
}


@pytest.fixture
def checkers():
    require_checkers()


@pytest.fixture
def demo_site(live_server):
    call_command("load_demo", force=True)
    return live_server


@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_html_errors_or_warnings(checkers, demo_site, page, name):
    response = page.goto(demo_site.url + PAGES[name])
    assert nu_messages(response.text()) == []


@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_axe_violations_or_items_to_review(checkers, demo_site, page, name):
    page.goto(demo_site.url + PAGES[name])
    results = axe_results(page)
    assert results == {"violations": [], "incomplete": []}
