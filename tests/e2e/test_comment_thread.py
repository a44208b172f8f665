"""The issue's "done when": guest reply held, moderator approves, second reader replies,
the thread nests both, and the first commenter gets the reply email over real SMTP. Every
page on the way, the admin's included, passes the Nu checker and axe-core (page_quality)."""

import re

import pytest
from django.core import signing
from django.urls import reverse

from accounts.services import PRIVACY_SALT
from comments.models import Comment
from tests.e2e.staff import demo_newsroom, staff_log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
ARTICLE = "/2022/01/12/nato-russia-council-step-forward/"


@pytest.fixture
def site(live_server, settings, smtp_mailbox):
    demo_newsroom()
    settings.SITE_URL = live_server.url
    settings.COMMENTS_MIN_SECONDS = 0  # Playwright types faster than any person
    settings.COMMENTS_FLOOD_SECONDS = 1  # both readers come from 127.0.0.1
    return live_server.url


def reply_as_guest(
    page,
    url: str,
    to: Comment,
    *,
    body: str,
    name: str,
    email: str,
    subscribe: bool = False,
    check,
) -> None:
    page.goto(url + ARTICLE)
    page.locator(f"#comment-{to.pk} .comment-reply-link").first.click()
    # JavaScript moved the form under the comment it answers
    assert page.locator(f"#comment-{to.pk} #commentform").count() == 1
    check(page, f"article page, {name} replying to {to.name}")
    page.get_by_role("textbox", name="Comment").fill(body)
    page.get_by_role("textbox", name="Name").fill(name)
    page.get_by_role("textbox", name="Email").fill(email)
    if subscribe:
        page.get_by_label("Notify me of replies to my comment").check()
    page.get_by_role("button", name="Post Comment").click()
    page.wait_for_load_state()


def test_guest_reply_is_moderated_answered_and_the_guest_is_emailed(
    site, browser, smtp_mailbox, page_quality
):
    marta = Comment.objects.get(name="Marta K.")
    guest = browser.new_context().new_page()
    reply_as_guest(
        guest,
        site,
        marta,
        body="A guest's reply to Marta.",
        name="Gwen Guest",
        email="gwen@example.com",
        subscribe=True,
        check=page_quality,
    )
    page_quality(guest, "article page, guest's reply awaiting moderation")
    assert "Your comment is awaiting moderation." in guest.locator(".messages").inner_text()
    assert "A guest's reply to Marta." in guest.locator("#your-comments").inner_text()
    gwen = Comment.objects.get(name="Gwen Guest")
    assert gwen.status == "pending" and gwen.parent_id == marta.pk

    moderator = browser.new_context().new_page()
    staff_log_in(moderator, site, "moderator", "moderate-e2e", page_quality)
    assert (
        "Comments awaiting moderation: 1"
        in moderator.locator(".comments-pending-badge").inner_text()
    )
    moderator.locator(".comments-pending-badge a").click()
    page_quality(moderator, "comments changelist, pending")
    moderator.locator(f"input[name='_selected_action'][value='{gwen.pk}']").check()
    moderator.select_option("select[name='action']", "bulk_approve")
    moderator.get_by_role("button", name="Run").click()
    moderator.wait_for_load_state()
    page_quality(moderator, "comments changelist after approving")
    gwen.refresh_from_db()
    assert gwen.status == "approved"

    confirm = smtp_mailbox.wait_for(lambda m: "Confirm reply notifications" in m["Subject"])
    assert confirm["To"] == "gwen@example.com"
    link = re.search(r"http://\S+/comments/confirm/\S+", confirm.get_content()).group(0)
    guest.goto(link)
    page_quality(guest, "confirm reply notifications")
    guest.get_by_role("button", name="Yes, notify me").click()
    assert "you will get an email" in guest.locator(".alert-success").inner_text()
    page_quality(guest, "reply notifications confirmed")

    second = browser.new_context().new_page()
    # Jonas opened the privacy link mailed to him in this browser: his address is proven,
    # so his approved demo comment makes him trusted (a typed address alone earns nothing).
    token = signing.dumps({"email": "jonas@demo.example"}, salt=PRIVACY_SALT)
    second.goto(site + reverse("accounts:guest-privacy", kwargs={"token": token}))
    reply_as_guest(
        second,
        site,
        gwen,
        body="Jonas answers Gwen.",
        name="Jonas",
        email="jonas@demo.example",
        check=page_quality,
    )
    jonas = Comment.objects.get(body="Jonas answers Gwen.")
    assert jonas.status == "approved"  # Jonas has an approved comment already: trusted
    nested = second.locator(
        f"#comment-{marta.pk} ol.children #comment-{gwen.pk} ol.children #comment-{jonas.pk}"
    )
    assert "Jonas answers Gwen." in nested.inner_text()
    page_quality(second, "article page, nested reply published")
    page_quality.assert_valid_html()

    email = smtp_mailbox.wait_for(lambda m: "replied to your comment" in m["Subject"])
    assert email["To"] == "gwen@example.com"
    assert "Jonas answers Gwen." in email.get_content()
    assert email["List-Unsubscribe"].startswith(f"<{site}/comments/unsubscribe/")
