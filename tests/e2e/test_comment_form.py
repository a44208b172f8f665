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
