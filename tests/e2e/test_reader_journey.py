"""A reader with an account comments from the form ("You are commenting as …"), then logs
out from the form; every page on the way passes the Nu checker and axe-core (page_quality)."""

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command

from comments.models import Comment
from tests.factories import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
ARTICLE = "/2022/01/12/nato-russia-council-step-forward/"
PASSWORD = "a reader's long password 7"


def test_reader_comments_as_themself_then_logs_out_from_the_form(
    live_server, page, settings, page_quality
):
    call_command("load_demo", force=True, verbosity=0)
    settings.COMMENTS_MIN_SECONDS = 0  # Playwright types faster than any person
    ada = make_user(username="ada", first_name="Ada", last_name="Lovelace", password=PASSWORD)
    EmailAddress.objects.create(user=ada, email=ada.email, verified=True, primary=True)

    page.goto(live_server.url + ARTICLE)
    page_quality(page, "article page, guest")
    page.get_by_role("link", name="Newsroom account").click()
    page.wait_for_url("**/accounts/login/**")
    page_quality(page, "login page")
    page.locator("input[name='login']").fill("ada")
    page.locator("input[name='password']").fill(PASSWORD)
    page.locator("form button[type='submit']").last.click()
    page.wait_for_url(f"**{ARTICLE}**")

    commenting_as = page.locator(".logged-in-as")
    assert commenting_as.inner_text().startswith("You are commenting as Ada Lovelace")
    assert page.get_by_role("textbox", name="Name").count() == 0  # only the comment box
    page_quality(page, "article page, logged in")

    page.get_by_role("textbox", name="Comment").fill("Signed, Ada — with an account.")
    page.get_by_role("button", name="Post Comment").click()
    page.wait_for_load_state()
    comment = Comment.objects.get(body="Signed, Ada — with an account.")
    assert comment.user.username == "ada" and comment.name == ""
    assert "Signed, Ada — with an account." in page.content()
    page_quality(page, "article page after posting")

    page.locator(".logged-in-as").get_by_role("link", name="Log out").click()
    page.wait_for_url("**/accounts/logout/**")
    page_quality(page, "logout confirmation")
    page.locator("form button[type='submit']").last.click()
    page.wait_for_url(f"**{ARTICLE}**")
    assert page.locator(".logged-in-as").count() == 0
    assert page.get_by_role("textbox", name="Name").count() == 1  # the guest form again
    page_quality(page, "article page, logged out")
    page_quality.assert_valid_html()
