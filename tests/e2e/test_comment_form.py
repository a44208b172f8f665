"""The comment form's progressive enhancement in a real browser."""

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
ARTICLE = "/2022/01/12/nato-russia-council-step-forward/"


def test_counter_counts_and_the_draft_survives_a_trip_to_the_login_page(live_server, page):
    call_command("load_demo", force=True, verbosity=0)
    page.goto(live_server.url + ARTICLE)
    box = page.get_by_role("textbox", name="Comment")
    box.fill("Twelve chars")
    assert page.locator("#comment-counter").inner_text() == "4988 of 5000 characters left"
    page.get_by_role("link", name="Newsroom account").click()
    page.wait_for_url("**/accounts/login/**")
    assert "next=" in page.url and "respond" in page.url
    page.goto(live_server.url + ARTICLE + "#respond")
    assert page.get_by_role("textbox", name="Comment").input_value() == "Twelve chars"


def test_cancel_reply_puts_the_form_back(live_server, page):
    call_command("load_demo", force=True, verbosity=0)
    page.goto(live_server.url + ARTICLE)
    page.locator(".comment-reply-link").first.click()
    assert page.locator("input[name='parent']").input_value() != ""
    assert page.locator(".comment #commentform").count() == 1
    page.locator("#cancel-reply").click()
    assert page.locator("input[name='parent']").input_value() == ""
    assert page.locator(".comment #commentform").count() == 0


def test_script_in_every_field_stays_text_in_the_browser(live_server, page):
    from articles.models import Article
    from tests.comments.helpers import make_comment

    call_command("load_demo", force=True, verbosity=0)
    article = Article.objects.get(slug="nato-russia-council-step-forward")
    payload = '<img src=x onerror="window.pwned=1"><script>window.pwned=1</script>'
    make_comment(
        article,
        body=payload,
        name=payload,
        url='https://x.example/"onclick="pwned=1',
        email=f"{payload}@x.example",
    )
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(live_server.url + ARTICLE)
    assert page.evaluate("window.pwned === undefined")
    assert payload in page.locator(".comment-content").last.inner_text()
    assert payload in page.locator(".comment-author").last.inner_text()
    link = page.locator(".comment-author a").last
    assert link.get_attribute("onclick") is None
    assert link.get_attribute("href") == 'https://x.example/"onclick="pwned=1'
    assert link.get_attribute("rel") == "nofollow ugc noopener"
    assert dialogs == []
