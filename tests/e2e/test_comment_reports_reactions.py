"""Issue 16's reader tools in a browser: three readers from three addresses report a
comment, it is held at once, a moderator approves it from the "reported" filter and it is
back; a like in place with JavaScript and through the plain form without it."""

import re

import pytest
from playwright.sync_api import expect

from comments.models import Comment, ModerationLog
from tests.e2e.staff import demo_newsroom, staff_log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
ARTICLE = "/2022/01/12/nato-russia-council-step-forward/"


@pytest.fixture
def site(live_server, settings):
    demo_newsroom()
    # Readers are told apart by address: the test's browsers say theirs through the proxy
    # header the site trusts behind one proxy (every browser here is really 127.0.0.1).
    settings.NEWSROOM_TRUSTED_PROXIES = 1
    settings.COMMENTS_REPORTS_TO_HOLD = 3
    return live_server.url


def target() -> Comment:
    return Comment.objects.filter(
        article__slug="nato-russia-council-step-forward", status=Comment.Status.APPROVED
    ).first()


def reader_page(browser, address: str, *, javascript: bool = True):
    context = browser.new_context(
        extra_http_headers={"X-Forwarded-For": address}, java_script_enabled=javascript
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def report(page, url: str, comment: Comment, reason: str, check=None) -> None:
    page.goto(url + ARTICLE)
    own = page.locator(f"#comment-{comment.pk} > .comment-body")
    own.get_by_role("link", name="Report", exact=True).click()
    page.wait_for_url(f"**/comments/{comment.pk}/report/")
    if check:
        check(page, "report form")
    page.get_by_label(reason).check()
    page.get_by_role("button", name="Send the report").click()
    page.wait_for_url(f"{url}{ARTICLE}**")
    expect(page.get_by_text("Your report is with the moderators")).to_be_visible()


def test_three_reports_hold_a_comment_until_a_moderator_approves_it(
    site, browser, page, page_quality
):
    comment = target()
    readers = [reader_page(browser, f"203.0.113.{n}") for n in (1, 2, 3)]
    report(readers[0], site, comment, "Abuse or harassment", check=page_quality)
    # The same reader cannot report twice: the page says so before they type anything.
    readers[0].goto(f"{site}/comments/{comment.pk}/report/")
    expect(readers[0].get_by_role("status")).to_contain_text("already reported")
    expect(readers[0].get_by_role("button", name="Send the report")).to_have_count(0)
    page_quality(readers[0], "report page: already reported")
    report(readers[1], site, comment, "Abuse or harassment")
    report(readers[2], site, comment, "Spam")
    # The third distinct reader's report held it: gone from the thread for everyone.
    readers[2].goto(site + ARTICLE)
    expect(readers[2].locator(f"#comment-{comment.pk}")).to_have_count(0)
    comment.refresh_from_db()
    assert comment.hold_reason == "reported: abuse ×2, spam ×1"

    staff_log_in(page, site, "moderator", "moderate-e2e")
    page.goto(site + "/admin/comments/comment/?queue=reported")
    row = page.locator("#result_list tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("3: abuse ×2, spam ×1")
    expect(row).to_contain_text("reported: abuse ×2, spam ×1")
    page_quality(page, "moderation queue, reported filter")
    row.locator("input.action-select").check()
    page.select_option("select[name=action]", "bulk_approve")
    page.get_by_role("button", name="Run").click()
    expect(page.locator(".messagelist")).to_contain_text("Approved 1 comment")
    expect(page.locator("#result_list tbody tr")).to_have_count(0)

    readers[1].goto(site + ARTICLE)
    expect(readers[1].locator(f"#comment-{comment.pk}")).to_have_count(1)
    actions = list(ModerationLog.objects.filter(comment=comment).values_list("action", flat=True))
    assert actions == ["approve", "reported_hold"]
    for reader in readers:
        reader.context.close()


def test_a_like_in_place_with_javascript(site, page, page_quality):
    comment = target()
    page.goto(site + ARTICLE)
    button = page.locator(f'button[form=react][value="{comment.pk}"]')
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(button).to_have_text("Like 0")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button).to_have_text("Like 1")
    assert page.url == site + ARTICLE  # in place: no page load
    page_quality(page, "article page, comment liked")
    # Back later: the count is in the page, the pressed state from the reader's own part.
    page.reload()
    expect(button).to_have_text("Like 1")
    expect(button).to_have_attribute("aria-pressed", "true")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(button).to_have_text("Like 0")
    comment.refresh_from_db()
    assert comment.reaction_count == 0


def test_a_like_without_javascript_goes_back_to_the_comment(site, browser):
    comment = target()
    nojs = reader_page(browser, "203.0.113.9", javascript=False)
    nojs.goto(site + ARTICLE)
    nojs.locator(f'button[form=react][value="{comment.pk}"]').click()
    nojs.wait_for_url(re.compile(rf"#comment-{comment.pk}$"))
    expect(nojs.get_by_text("Your “Like” is counted.")).to_be_visible()
    expect(nojs.locator(f'button[form=react][value="{comment.pk}"]')).to_have_text("Like 1")
    comment.refresh_from_db()
    assert comment.reaction_count == 1
    nojs.context.close()


def test_an_account_likes_in_place_with_its_csrf_token(site, page):
    comment = target()
    staff_log_in(page, site, "moderator", "moderate-e2e")
    page.goto(site + ARTICLE)
    button = page.locator(f'button[form=react][value="{comment.pk}"]')
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button).to_have_text("Like 1")
    # No hint cookie for an account: its page (never shared) asks for its part all the same.
    page.context.clear_cookies(name="comment_reader")
    page.reload()
    expect(button).to_have_attribute("aria-pressed", "true")
    assert comment.reactions.get().user.username == "moderator"
