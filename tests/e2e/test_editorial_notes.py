"""Editorial notes in a real Chromium under the strict CSP: quote a passage, note, reply,
resolve; the send-back note on the reporter's form; the history timeline."""

import pytest
from django.conf import settings
from django.contrib.sites.models import Site
from django.urls import reverse

from articles.models import Article, EditorialNote
from tests.e2e.test_csp import WATCH_VIOLATIONS
from tests.e2e.test_editorial_workflow import PASSWORD, log_in, log_out
from tests.factories import make_member, make_ready_draft

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _site():
    Site.objects.clear_cache()
    Site.objects.update_or_create(pk=settings.SITE_ID, defaults={"domain": "testserver"})


def test_editor_quotes_notes_and_sends_back_reporter_reads_and_resolves(
    live_server, page, page_quality
):
    page.context.add_init_script(WATCH_VIOLATIONS)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    rita = make_member("Reporter", username="rita", first_name="Rita", password=PASSWORD)
    make_member("Editor", username="ed", password=PASSWORD)
    article = make_ready_draft(
        authors=[rita], status="review", body="<p>The mayor said yes on Monday.</p>"
    )
    change = live_server.url + reverse("admin:articles_article_change", args=[article.pk])

    log_in(page, live_server, "ed")
    page.goto(change)
    # The editor mounts after the page's scripts run: wait for it before selecting in it.
    page.locator(".field-body [contenteditable=true]").first.wait_for()
    # Select "on Monday" in the body editor and quote it into the new note.
    page.evaluate(
        """() => {
            const root = document.querySelector('.field-body [contenteditable=true]');
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            let text = walker.nextNode();
            while (text && !text.data.includes('on Monday')) text = walker.nextNode();
            const range = document.createRange();
            const start = text.data.indexOf('on Monday');
            range.setStart(text, start);
            range.setEnd(text, start + 'on Monday'.length);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
        }"""
    )
    page.get_by_role("button", name="Quote selection").click()
    assert page.input_value("#note-anchor") == "on Monday"
    page.fill("#note-body", "Which Monday, @rita?")
    page.get_by_role("button", name="Add note").click()
    page.wait_for_selector("text=Note added.")
    page_quality(page, "change form with a note, editor")
    note = EditorialNote.objects.get()
    assert (note.anchor, note.body) == ("on Monday", "Which Monday, @rita?")
    page.fill("#id_return_note", "Add the date, please.")
    page.click("input[name=_return_to_draft]")
    page.wait_for_selector("text=was sent back to draft")
    log_out(page, live_server)

    log_in(page, live_server, "rita")
    page.goto(change)
    assert "Add the date, please." in page.locator(".sent-back-note").inner_text()
    page.get_by_label("Reply").fill("The 3rd.")
    page.get_by_role("button", name="Reply").click()
    page.wait_for_selector("text=Note added.")
    page.get_by_role("button", name="Resolve thread").click()
    page.wait_for_selector("text=Thread resolved.")
    page_quality(page, "change form with a resolved thread, reporter")
    page.goto(live_server.url + reverse("admin:articles_article_history", args=[article.pk]))
    timeline = page.locator("#change-history").inner_text()
    for event in ["Sent back to draft", "Note on “on Monday”", "Resolved a note thread"]:
        assert event in timeline
    page_quality(page, "history timeline, reporter")
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT

    # She turns the workflow emails off on her account page.
    page.goto(live_server.url + reverse("accounts:account"))
    page_quality(page, "account page, staff")
    page.get_by_label("Email me about editorial work").uncheck()
    page.locator("#workflow-email-heading ~ form button[type=submit]").click()
    page.wait_for_selector("text=You will not get emails about editorial work")
    rita.refresh_from_db()
    assert rita.wants_workflow_email is False
    assert page.evaluate("window.__cspViolations") == [] and errors == []
    page_quality.assert_valid_html()
