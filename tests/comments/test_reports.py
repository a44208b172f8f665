"""Readers report comments: once each, rate-limited, held for a moderator when enough
distinct clients report one, and released (reports resolved) by the moderator's decision."""

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from comments import moderation, reports
from comments.admin import CommentAdmin
from comments.limits import Reader, network
from comments.models import Comment, ModerationLog, Report
from tests.comments.helpers import make_comment, make_moderator
from tests.core.test_pagecache import STATE, _no_race_margin  # noqa: F401 (autouse)
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db


def guest(n: int, ip: str | None = None) -> Reader:
    return Reader(user=None, guest=f"guest-browser-{n:08d}", ip=ip or f"10.0.0.{n}")


def report_url(comment) -> str:
    return reverse("comments:report", args=[comment.pk])


def test_the_thread_links_each_comment_to_its_report_page(client):
    comment = make_comment(make_article())
    page = client.get(comment.article.get_absolute_url()).content.decode()
    assert f'href="{report_url(comment)}"' in page


def test_report_pages_are_kept_from_search_engines(client):
    """The thread's report links carry no rel="nofollow" (270 of them on a page): robots.txt
    keeps crawlers off the report forms, and a report form asks not to be indexed."""
    comment = make_comment(make_article())
    assert "Disallow: /comments/*/report/" in client.get("/robots.txt").content.decode()
    assert (
        '<meta name="robots" content="noindex">' in client.get(report_url(comment)).content.decode()
    )


def test_a_guest_reports_a_comment_through_the_form(client):
    comment = make_comment(make_article())
    assert client.get(report_url(comment)).status_code == 200
    response = client.post(report_url(comment), {"reason": "abuse", "text": "Insults <b>x</b>"})
    assert response.status_code == 302
    [report] = Report.objects.all()
    assert (report.reason, report.text, report.user, report.client) == (
        "abuse",
        "Insults <b>x</b>",
        None,
        "127.0.0.1",
    )
    assert report.guest and "comments_guest" in response.cookies


def test_reporting_needs_a_reason_and_other_needs_words(client):
    comment = make_comment(make_article())
    assert client.post(report_url(comment), {}).status_code == 400
    response = client.post(report_url(comment), {"reason": "other", "text": "  "})
    assert response.status_code == 400
    assert "Say in a few words" in response.content.decode()
    assert not Report.objects.exists()


def test_report_form_escapes_the_comment_and_keeps_the_typed_text(client):
    comment = make_comment(make_article(), body="<script>alert(1)</script>")
    page = client.get(report_url(comment)).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    response = client.post(report_url(comment), {"reason": "bogus", "text": "<img src=x>"})
    assert response.status_code == 400
    assert "&lt;img src=x&gt;" in response.content.decode()


@pytest.mark.parametrize("status", [Comment.Status.PENDING, Comment.Status.SPAM])
def test_unpublished_comments_cannot_be_reported(client, status):
    comment = make_comment(make_article(), status=status)
    assert client.get(report_url(comment)).status_code == 404
    assert client.post(report_url(comment), {"reason": "spam"}).status_code == 404


def test_comments_on_unpublished_articles_cannot_be_reported(client):
    comment = make_comment(make_article(status="draft"))
    assert client.post(report_url(comment), {"reason": "spam"}).status_code == 404


def test_the_report_post_needs_a_csrf_token():
    from django.test import Client

    comment = make_comment(make_article())
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(report_url(comment), {"reason": "spam"}).status_code == 403
    assert not Report.objects.exists()


def test_a_guest_cannot_report_twice_with_the_same_browser(client):
    comment = make_comment(make_article())
    client.post(report_url(comment), {"reason": "spam"})
    response = client.post(report_url(comment), {"reason": "abuse"})
    assert response.status_code == 409
    assert "already reported" in response.content.decode()
    assert Report.objects.count() == 1


def test_an_account_cannot_report_twice():
    comment = make_comment(make_article())
    user = make_user()
    reader = Reader(user=user, guest="", ip="10.0.0.1")
    reports.report_add(comment=comment, reader=reader, reason="spam")
    with pytest.raises(ValidationError) as refused:
        reports.report_add(comment=comment, reader=reader, reason="abuse")
    assert refused.value.code == "duplicate"


def test_a_guest_with_new_cookies_from_the_same_address_is_the_same_reporter():
    comment = make_comment(make_article())
    reports.report_add(comment=comment, reader=guest(1, "10.9.9.9"), reason="spam")
    with pytest.raises(ValidationError) as refused:
        reports.report_add(comment=comment, reader=guest(2, "10.9.9.9"), reason="spam")
    assert refused.value.code == "duplicate"


def test_the_threshold_of_distinct_clients_holds_the_comment(client, settings):
    settings.COMMENTS_REPORTS_TO_HOLD = 3
    article = make_article()
    comment = make_comment(article, body="Reported words")
    url = article.get_absolute_url()
    assert "Reported words" in client.get(url).content.decode()
    assert client.get(url)[STATE] == "HIT"
    reports.report_add(comment=comment, reader=guest(1), reason="abuse")
    reports.report_add(comment=comment, reader=guest(2), reason="spam")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert client.get(url)[STATE] == "HIT"  # two reports change nothing readers see
    reports.report_add(comment=comment, reader=guest(3), reason="abuse", text="Slurs")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert comment.hold_reason == "reported: abuse ×2, spam ×1"
    [entry] = ModerationLog.objects.filter(comment=comment)
    assert (entry.action, entry.actor, entry.status_before, entry.status_after) == (
        reports.HOLD_ACTION,
        None,
        "approved",
        "pending",
    )
    assert entry.reason == comment.hold_reason
    # The cached page expired with the thread's scope: the comment is gone from it.
    page = client.get(url)
    assert page[STATE] == "REBUILT" and "Reported words" not in page.content.decode()


def test_a_flood_of_accounts_from_one_client_never_holds_a_comment(settings):
    settings.COMMENTS_REPORTS_TO_HOLD = 2
    settings.COMMENTS_REPORT_RATE = (100, 3600)
    comment = make_comment(make_article())
    for _ in range(5):
        reader = Reader(user=make_user(), guest="", ip="10.1.2.3")
        reports.report_add(comment=comment, reader=reader, reason="abuse")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert Report.objects.count() == 5


def test_one_ipv6_household_is_one_client(settings):
    settings.COMMENTS_REPORTS_TO_HOLD = 2
    comment = make_comment(make_article())
    for n, ip in enumerate(["2001:db8:1:2::1", "2001:db8:1:2:ffff::9"]):
        reader = Reader(user=make_user(), guest="", ip=ip)
        reports.report_add(comment=comment, reader=reader, reason="spam")
        assert Report.objects.count() == n + 1
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert network("2001:db8:1:2::1") == "2001:db8:1:2::/64"


def test_reports_are_rate_limited_per_address_with_429(client, settings):
    settings.COMMENTS_REPORT_RATE = (2, 3600)
    settings.COMMENTS_REPORTS_TO_HOLD = 0
    article = make_article()
    first, second, third = (make_comment(article) for _ in range(3))
    for comment in (first, second):
        assert client.post(report_url(comment), {"reason": "spam"}).status_code == 302
    client.cookies.clear()  # new cookies, same address: still limited
    response = client.post(report_url(third), {"reason": "spam"})
    assert response.status_code == 429
    assert "too quickly" in response.content.decode()
    assert Report.objects.count() == 2


def test_reports_are_rate_limited_per_account_across_addresses(settings):
    settings.COMMENTS_REPORT_RATE = (1, 3600)
    article = make_article()
    user = make_user()
    reports.report_add(
        comment=make_comment(article), reader=Reader(user, "", "10.0.0.1"), reason="spam"
    )
    with pytest.raises(ValidationError) as refused:
        reports.report_add(
            comment=make_comment(article), reader=Reader(user, "", "10.0.0.2"), reason="spam"
        )
    assert refused.value.code == "rate"


@pytest.mark.parametrize("action", ["approve", "spam", "remove"])
def test_a_moderators_decision_on_a_held_comment_resolves_its_reports(settings, action):
    settings.COMMENTS_REPORTS_TO_HOLD = 1
    comment = make_comment(make_article())
    reports.report_add(comment=comment, reader=guest(1), reason="abuse")
    moderation.comment_moderate(comment=comment, moderator=make_moderator(), action=action)
    comment.refresh_from_db()
    assert comment.status == moderation.ACTIONS[action]
    assert not Report.objects.open().exists()


def test_an_approved_comment_counts_new_reporters_afresh(settings):
    settings.COMMENTS_REPORTS_TO_HOLD = 1
    comment = make_comment(make_article())
    reports.report_add(comment=comment, reader=guest(1), reason="abuse")
    moderation.comment_approve(comment=comment, moderator=make_moderator(), reason="fine")
    # Its reporter cannot hold it again; a new reader's report counts afresh.
    with pytest.raises(ValidationError):
        reports.report_add(comment=comment, reader=guest(1), reason="abuse")
    reports.report_add(comment=comment, reader=guest(2), reason="spam")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert comment.hold_reason == "reported: spam ×1"


def test_approving_a_published_reported_comment_clears_and_logs(settings):
    settings.COMMENTS_REPORTS_TO_HOLD = 5
    comment = make_comment(make_article())
    reports.report_add(comment=comment, reader=guest(1), reason="abuse")
    moderator = make_moderator()
    moderation.comment_approve(comment=comment, moderator=moderator, reason="not abuse")
    assert not Report.objects.open().exists()
    [entry] = ModerationLog.objects.filter(comment=comment)
    assert (entry.action, entry.actor, entry.reason) == ("reports_cleared", moderator, "not abuse")


def test_no_threshold_means_reports_never_hold(settings):
    settings.COMMENTS_REPORTS_TO_HOLD = 0
    comment = make_comment(make_article())
    reports.report_add(comment=comment, reader=guest(1), reason="abuse")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


def _changelist(query: str):
    request = RequestFactory().get("/admin/comments/comment/", {"queue": query})
    request.user = make_moderator(is_superuser=True)
    return CommentAdmin(Comment, site).get_changelist_instance(request)


def test_the_reported_filter_lists_open_reports_with_counts_and_reasons(settings):
    settings.COMMENTS_REPORTS_TO_HOLD = 0
    article = make_article()
    reported, quiet = make_comment(article), make_comment(article)
    reports.report_add(comment=reported, reader=guest(1), reason="abuse")
    reports.report_add(comment=reported, reader=guest(2), reason="abuse")
    reports.report_add(comment=reported, reader=guest(3), reason="spam")
    changelist = _changelist("reported")
    [row] = changelist.queryset
    assert row.pk == reported.pk
    assert CommentAdmin(Comment, site).reports(row) == "3: abuse ×2, spam ×1"
    assert {c.pk for c in _changelist("all").queryset} == {reported.pk, quiet.pk}


def test_the_moderation_queue_page_shows_the_reports(admin_client, settings):
    settings.COMMENTS_REPORTS_TO_HOLD = 1
    comment = make_comment(make_article(), body="Rude words")
    reports.report_add(comment=comment, reader=guest(1), reason="abuse", text="<b>rude</b>")
    page = admin_client.get("/admin/comments/comment/?queue=reported").content.decode()
    assert "Rude words" in page and "1: abuse ×1" in page
    change = admin_client.get(f"/admin/comments/comment/{comment.pk}/change/").content.decode()
    assert "&lt;b&gt;rude&lt;/b&gt;" in change and "<b>rude</b>" not in change


def test_with_the_cache_down_the_database_still_limits_reports(settings, dead_redis_cache):
    from django.core.cache import cache
    from django.test import override_settings

    settings.COMMENTS_REPORT_RATE = (1, 3600)
    article = make_article()
    first, second = make_comment(article), make_comment(article)
    with override_settings(CACHES=dead_redis_cache):
        assert cache.add("probe", 1) is False  # the cache cannot count: the database does
        reports.report_add(comment=first, reader=guest(1, "10.5.5.5"), reason="spam")
        with pytest.raises(ValidationError) as refused:
            reports.report_add(comment=second, reader=guest(2, "10.5.5.5"), reason="spam")
    assert refused.value.code == "rate"


def test_approving_a_reported_comment_with_a_held_edit_publishes_it_and_keeps_the_edit(settings):
    settings.COMMENTS_REPORTS_TO_HOLD = 1
    comment = make_comment(make_article(), body="Published text")
    Comment.objects.filter(pk=comment.pk).update(pending_body="Proposed text")
    reports.report_add(comment=comment, reader=guest(1), reason="abuse")
    moderation.comment_approve(comment=comment, moderator=make_moderator())
    comment.refresh_from_db()
    assert (comment.status, comment.body, comment.pending_body) == (
        Comment.Status.APPROVED,
        "Published text",
        "Proposed text",
    )
    assert Comment.objects.awaiting_moderation().filter(pk=comment.pk).exists()


def test_the_report_page_tells_a_reader_who_reported_already_before_they_type(client):
    comment = make_comment(make_article())
    client.post(report_url(comment), {"reason": "spam"})
    page = client.get(report_url(comment)).content.decode()
    assert "You have already reported this comment" in page
    assert 'name="reason"' not in page
