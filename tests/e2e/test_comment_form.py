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
    # The replied-to name is isolated (<bdi>) in the note too, as in the thread.
    author = page.locator(".comment-list .comment-author").first.inner_text()
    assert page.locator("#replying-to bdi").inner_text() == author
    assert page.locator("#replying-to").inner_text() == f"Replying to {author}"
    assert page.locator(".comment-list li #commentform").count() == 1
    page.locator("#cancel-reply").click()
    assert page.locator("input[name='parent']").input_value() == ""
    assert page.locator(".comment-list li #commentform").count() == 0


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


def test_cached_page_is_filled_with_the_readers_own_part_and_posts(live_server, page, settings):
    """A guest who posted gets the shared page; comments.js fills their details and pending
    comment from the per-reader request, and the next post from that cached page succeeds."""
    from articles.models import Article
    from comments.models import Comment

    settings.PAGECACHE_RACE_MARGIN = 0
    settings.COMMENTS_MIN_SECONDS = 0
    settings.COMMENTS_FLOOD_SECONDS = 0
    call_command("load_demo", force=True, verbosity=0)
    article = Article.objects.get(slug="nato-russia-council-step-forward")
    url = live_server.url + ARTICLE
    page.goto(url)
    page.get_by_role("textbox", name="Comment").fill("First pending thought from a browser.")
    page.locator("#id_name").fill("Browser Bea")
    page.locator("#id_email").fill("bea@example.com")
    page.locator("#id_save_details").check()
    page.get_by_role("button", name="Post Comment").click()
    page.wait_for_url("**#your-comments")
    shown = page.goto(url)  # the flash message is gone: this page is the shared one
    assert shown.headers["x-page-cache"] in {"HIT", "MISS", "REBUILT"}
    assert "Browser Bea" not in shown.text()
    own = page.locator("#reader-own .own-comment")
    assert "First pending thought from a browser." in own.first.inner_text()
    assert page.locator("#id_name").input_value() == "Browser Bea"
    assert page.locator("#id_email").input_value() == "bea@example.com"
    page.get_by_role("textbox", name="Comment").fill("Second thought, from the cached page.")
    page.get_by_role("button", name="Post Comment").click()
    page.wait_for_url("**#your-comments")
    assert Comment.objects.filter(article=article, name="Browser Bea").count() == 2


def test_cached_pages_form_gets_a_token_of_its_own_so_an_instant_post_is_too_fast(
    live_server, page, settings
):
    """The cached page's token is as old as the page; comments.js swaps in one issued when
    the reader touched the form, so a post sent at once is refused, and later is stored."""
    import time

    from playwright.sync_api import expect

    from comments.models import Comment

    settings.PAGECACHE_RACE_MARGIN = 0
    # Long enough that a loaded CI machine still posts "at once" within it.
    settings.COMMENTS_MIN_SECONDS = 6
    settings.COMMENTS_FLOOD_SECONDS = 0
    call_command("load_demo", force=True, verbosity=0)
    url = live_server.url + ARTICLE
    page.goto(url)  # builds and stores the page (and its token) for everyone
    built = page.locator("#id_token").input_value()
    time.sleep(6.5)  # the page's token is now old enough to pass the check
    page.goto(url)  # the same page: from the page cache, or the browser's own (max-age)
    assert page.locator("#id_token").input_value() == built
    with page.expect_response("**/comments/reader/**"):
        page.get_by_role("textbox", name="Comment").fill("Sent the instant it was typed.")
    # The response has come; comments.js puts its token in the form just after: wait for it.
    expect(page.locator("#id_token")).not_to_have_value(built)
    page.locator("#id_name").fill("Quick Quinn")
    page.locator("#id_email").fill("quinn@example.com")
    page.get_by_role("button", name="Post Comment").click()
    page.wait_for_load_state()
    assert "quicker than anyone can type" in page.locator("#commentform").inner_text()
    assert page.get_by_role("textbox", name="Comment").input_value() == (
        "Sent the instant it was typed."
    )
    assert not Comment.objects.filter(name="Quick Quinn").exists()
    time.sleep(6.5)  # the re-shown form carries a token of its own, now old enough
    page.get_by_role("button", name="Post Comment").click()
    page.wait_for_url("**#your-comments")
    assert Comment.objects.filter(name="Quick Quinn").exists()
