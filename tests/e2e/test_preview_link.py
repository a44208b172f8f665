"""An editor makes a preview link with one click and copies it (issue 12, item 14)."""

import pytest
from django.conf import settings
from django.urls import reverse

from articles.models import PreviewLink
from tests.e2e.test_editorial_workflow import PASSWORD, log_in
from tests.factories import make_member, make_ready_draft

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def clipboard_page(browser):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_editor_creates_a_preview_link_and_copies_it(live_server, clipboard_page, page_quality):
    page = clipboard_page
    make_member("Editor", username="ed", password=PASSWORD)
    article = make_ready_draft(title="Embargoed story")
    log_in(page, live_server, "ed")
    page.goto(live_server.url + reverse("admin:articles_article_change", args=[article.pk]))
    page.click("input[name=_preview_link]")
    page.wait_for_selector("text=Preview link created")
    link = PreviewLink.objects.get(article=article)
    url = settings.SITE_URL + link.get_absolute_url()
    assert page.locator("code.preview-url").inner_text() == url
    page_quality(page, "article change form with a preview link")
    page.click("button.copy-link")
    page.wait_for_selector("button.copy-link:text('Copied')")
    assert page.evaluate("navigator.clipboard.readText()") == url
