"""Issue 16 in a browser: a moderator features a comment in the admin and a reader sees it
among the editors' picks, whose link jumps to it in the thread; a reader with the article
open is told of a comment published meanwhile and shown it on a click."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from comments import moderation
from comments.models import Comment
from tests.e2e.staff import demo_newsroom, staff_log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
ARTICLE = "/2022/01/12/nato-russia-council-step-forward/"


@pytest.fixture
def site(live_server, settings):
    demo_newsroom()
    settings.SITE_URL = live_server.url
    return live_server.url


def test_a_moderator_features_a_comment_and_the_reader_follows_the_pick_to_it(
    site, browser, page_quality
):
    marta = Comment.objects.get(name="Marta K.")
    moderator = browser.new_context().new_page()
    staff_log_in(moderator, site, "moderator", "moderate-e2e")
    moderator.goto(site + "/admin/comments/comment/?queue=all")
    moderator.locator(f"input[name='_selected_action'][value='{marta.pk}']").check()
    moderator.select_option("select[name='action']", "feature")
    moderator.get_by_role("button", name="Run").click()
    expect(moderator.locator(".messagelist")).to_contain_text("Featured 1 comment")
    tabs = moderator.get_by_role("navigation", name="Moderation queue")
    tabs.get_by_role("link", name=re.compile(r"^Featured")).click()
    expect(moderator.locator("#result_list tbody tr")).to_have_count(2)  # and the demo's pick
    page_quality(moderator, "comments changelist, editors' picks")

    reader = browser.new_context().new_page()
    reader.goto(site + ARTICLE)
    picks = reader.get_by_role("complementary", name="Editors’ picks")
    expect(picks).to_contain_text(marta.body[:40])
    expect(picks.locator(".pick")).to_have_count(2)  # the demo's own pick too
    page_quality(reader, "article page with an editors' pick")
    mine = picks.locator(".pick", has_text=marta.body[:40])
    mine.get_by_role("link", name="See it in the thread").click()
    reader.wait_for_url(f"**#comment-{marta.pk}")
    expect(reader.locator(f"#comment-{marta.pk} > .comment-body")).to_be_in_viewport()
    page_quality.assert_valid_html()


def test_a_reader_is_told_of_a_new_comment_and_shown_it(site, browser, settings, page_quality):
    settings.COMMENTS_LIVE_POLL_SECONDS = 1
    article = Comment.objects.get(name="Marta K.").article
    reader = browser.new_context(color_scheme="dark").new_page()  # its contrast in the dark theme
    reader.goto(site + ARTICLE)
    notice = reader.locator(".live-notice")
    expect(reader.locator("#comments")).to_have_attribute("data-live-every", "1")
    expect(notice).to_have_count(0)

    held = Comment.objects.create_in_thread(
        article=article, body="Published while you read.", name="Late Guest", status="pending"
    )
    moderation.comment_approve(
        comment=held, moderator=get_user_model().objects.get(username="moderator")
    )
    expect(notice).to_have_text("1 new comment — show it")
    expect(notice).to_have_attribute("role", "status")
    page_quality(reader, "article page, live notice of a new comment")
    notice.get_by_role("link", name="show it").click()
    reader.wait_for_url(f"**#comment-{held.pk}")
    expect(reader.locator(f"#comment-{held.pk}")).to_contain_text("Published while you read.")
    page_quality.assert_valid_html()
