"""The privacy export and erasure include an account's reports and reactions."""

import pytest

from accounts import privacy as registry
from comments import privacy, reactions, reports
from comments.limits import Reader
from comments.models import Comment, Reaction, Report
from tests.comments.helpers import make_comment
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db


def test_the_export_lists_an_accounts_reports_and_reactions(settings):
    settings.COMMENTS_REPORTS_TO_HOLD = 0
    article = make_article()
    reported, liked = make_comment(article), make_comment(article)
    user = make_user()
    me = Reader(user=user, guest="", ip="10.0.0.7")
    reports.report_add(comment=reported, reader=me, reason="other", text="Off the rails")
    reactions.reaction_toggle(comment=liked, reader=me)
    reports.report_add(comment=liked, reader=Reader(make_user(), "", "10.0.0.8"), reason="spam")
    data = registry.run_exporters(user=user)["reports_and_reactions"]
    [report] = data["reports"]
    assert (report["comment_id"], report["reason"], report["details"], report["client"]) == (
        reported.pk,
        "other",
        "Off the rails",
        "10.0.0.7",
    )
    assert [r["comment_id"] for r in data["reactions"]] == [liked.pk]


def test_a_guest_export_by_email_has_no_reports_or_reactions():
    assert privacy.reader_export_for(email="guest@example.com") == {"reports": [], "reactions": []}


def test_erasure_deletes_them_and_takes_the_likes_off_the_counts():
    article = make_article()
    comment = make_comment(article)
    user, other = make_user(), make_user()
    reactions.reaction_toggle(comment=comment, reader=Reader(user, "", "10.0.0.1"))
    reactions.reaction_toggle(comment=comment, reader=Reader(other, "", "10.0.0.2"))
    reports.report_add(comment=comment, reader=Reader(user, "", "10.0.0.1"), reason="spam")
    registry.run_erasers(user=user, mode=registry.ERASE_ANONYMISE)
    comment.refresh_from_db()
    assert comment.reaction_count == 1
    assert list(Reaction.objects.values_list("user", flat=True)) == [other.pk]
    assert not Report.objects.exists()
    assert Comment.objects.filter(pk=comment.pk).exists()
