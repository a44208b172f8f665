"""A reader signs up, confirms by an email through a real SMTP server, logs in, sees their name."""

import re

import pytest

from tests.factories import make_article

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long reader passphrase 42"


def test_reader_signs_up_confirms_email_and_logs_in(live_server, page, smtp_mailbox, settings):
    settings.COMMENTS_MIN_SECONDS = 0  # Playwright types faster than any person
    article = make_article(title="Sign-up story")
    start = live_server.url + article.get_absolute_url()
    page.goto(start)
    page.get_by_role("link", name="Sign up", exact=True).click()
    page.fill("#id_email", "nora@example.com")
    page.fill("#id_username", "nora")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.fill("#id_display_name", "Nora Reader")
    page.get_by_role("button", name="Sign Up").click()
    page.get_by_role("heading", name="Verify Your Email Address").wait_for()

    message = smtp_mailbox.wait_for(lambda m: m["To"] == "nora@example.com")
    link = re.search(r"(http://\S+/accounts/confirm-email/\S+/)", message.get_content()).group(1)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()

    page.goto(start)
    page.get_by_role("link", name="Log in", exact=True).click()
    page.fill("#id_login", "nora@example.com")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_url(start)  # back on the page the reader started from
    assert page.locator(".header-name").inner_text() == "Nora Reader"


def test_new_reader_logs_in_from_the_comment_form_and_comments_as_themselves(
    live_server, page, smtp_mailbox, settings
):
    settings.COMMENTS_MIN_SECONDS = 0
    article = make_article(title="Comment story")
    start = live_server.url + article.get_absolute_url()
    page.goto(live_server.url + "/accounts/signup/")
    page.fill("#id_email", "otto@example.com")
    page.fill("#id_username", "otto")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    message = smtp_mailbox.wait_for(lambda m: m["To"] == "otto@example.com")
    page.goto(re.search(r"(http://\S+/accounts/confirm-email/\S+/)", message.get_content())[1])
    page.get_by_role("button", name="Confirm").click()

    page.goto(start)
    page.locator("#respond").get_by_role("link", name="Newsroom account").click()
    page.fill("#id_login", "otto")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_url(start + "#respond")  # back at the form
    assert "You are commenting as otto" in page.locator(".logged-in-as").inner_text()
    page.get_by_role("textbox", name="Comment").fill("My first comment as myself.")
    page.get_by_role("button", name="Post Comment").click()
    page.wait_for_load_state()
    assert article.comments.get().user.username == "otto"


def test_wrong_password_keeps_the_typed_login_and_says_why(live_server, page):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_login", "nobody@example.com")
    page.fill("#id_password", "not it at all")
    page.get_by_role("button", name="Log in", exact=True).click()
    page.get_by_text("The email address and/or password you specified are not correct.").wait_for()
    assert page.input_value("#id_login") == "nobody@example.com"
