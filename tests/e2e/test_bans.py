"""The issue's "a ban with an end date": a moderator bans a guest from the queue, the guest
is refused with the reason (their text kept), and may post again once the ban has ended."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from comments.models import Ban, Comment
from tests.e2e.staff import demo_newsroom, staff_log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
ARTICLE = "/2022/01/12/nato-russia-council-step-forward/"


@pytest.fixture
def site(live_server, settings):
    demo_newsroom()
    settings.COMMENTS_MIN_SECONDS = 0  # Playwright types faster than any person
    settings.COMMENTS_FLOOD_SECONDS = 0
    return live_server.url


def post_as_guest(page, url: str, *, body: str, name: str, email: str):
    page.goto(url + ARTICLE)
    page.get_by_role("textbox", name="Comment").fill(body)
    page.get_by_role("textbox", name="Name").fill(name)
    page.get_by_role("textbox", name="Email").fill(email)
    with page.expect_response(lambda r: r.request.method == "POST") as sent:
        page.get_by_role("button", name="Post Comment").click()
    page.wait_for_load_state()
    return sent.value


def test_a_banned_guest_is_refused_until_the_ban_ends(site, browser, page_quality):
    guest = browser.new_context().new_page()
    post_as_guest(guest, site, body="You are all idiots.", name="Tina", email="tina@example.com")
    tina = Comment.objects.get(name="Tina")

    moderator = browser.new_context().new_page()
    staff_log_in(moderator, site, "moderator", "moderate-e2e")
    moderator.locator(".comments-pending-badge a").click()
    tabs = moderator.get_by_role("navigation", name="Moderation queue")
    expect(tabs.locator("[aria-current='page']")).to_have_text("Pending (1)")
    page_quality(moderator, "comments queue, pending tab")
    row = moderator.locator("tr", has=moderator.locator(f"input[value='{tina.pk}']"))
    row.get_by_role("link", name="Ban this commenter").click()
    moderator.wait_for_url("**/admin/comments/ban/add/**")
    expect(moderator.locator("#id_email")).to_have_value("tina@example.com")
    page_quality(moderator, "ban form, filled from the comment")
    tomorrow = timezone.localtime() + timedelta(days=1)
    moderator.locator("#id_ends_at_0").fill(tomorrow.strftime("%Y-%m-%d"))
    moderator.locator("#id_ends_at_1").fill("12:00:00")
    moderator.get_by_label("Reason").fill("Insulting other readers")
    moderator.get_by_role("button", name="Save", exact=True).click()
    expect(moderator.locator(".messagelist")).to_contain_text("was added successfully")
    page_quality(moderator, "bans list after banning")
    ban = Ban.objects.get()
    assert ban.email == "tina@example.com" and ban.ends_at is not None

    # Another name, another case: still Tina's address.
    typed = "I am someone else entirely."
    answer = post_as_guest(guest, site, body=typed, name="Not Tina", email="TINA@Example.com")
    assert answer.status == 403
    expect(guest.locator(".alert-danger")).to_contain_text("Insulting other readers")
    expect(guest.locator(".alert-danger")).to_contain_text("You may not comment until")
    expect(guest.get_by_role("textbox", name="Comment")).to_have_value(typed)
    page_quality(guest, "comment form, refused by a ban")
    assert not Comment.objects.filter(body=typed).exists()

    Ban.objects.filter(pk=ban.pk).update(ends_at=timezone.now() - timedelta(minutes=1))
    answer = post_as_guest(
        guest, site, body="Sorry, everyone.", name="Tina", email="tina@example.com"
    )
    assert answer.status == 302
    expect(guest.locator(".messages")).to_contain_text("Your comment is awaiting moderation.")
    assert Comment.objects.filter(body="Sorry, everyone.").exists()
