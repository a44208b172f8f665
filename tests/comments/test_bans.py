"""Bans and probation: who they catch, when they end, what they hide, who may set them."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments import bans, caching, posting
from comments.models import Ban, Comment, ModerationLog
from core import pagecache
from tests.comments.helpers import form_data, make_comment, make_moderator, post_url
from tests.comments.test_posting import configure
from tests.factories import make_article, make_member, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    configure(trusted_after=0)  # only the ban or probation under test can hold a comment
    return make_article()


@pytest.fixture
def moderator():
    return make_moderator()


def post(article, **fields) -> Comment:
    cache.clear()  # past the flood interval: each post here stands alone
    fields.setdefault("body", f"Words {timezone.now().timestamp()}")
    fields.setdefault("name", "Guest")
    fields.setdefault("email", "guest@example.com")
    return posting.comment_create(article=article, **fields)


def refused_by_ban(article, **fields) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        post(article, **fields)
    assert refused.value.code == "banned"
    return refused.value


def scopes(article) -> dict:
    return pagecache.scope_versions([caching.thread_scope(article.pk)])


def ban(moderator, **fields) -> Ban:
    fields.setdefault("reason", "Abuse of other readers")
    return bans.ban_create(moderator=moderator, **fields)


# --- Who a ban catches ------------------------------------------------------------------


def test_a_banned_account_may_not_post_logged_in_or_as_a_guest_with_its_address(article, moderator):
    reader = make_user(email="Reader@Example.com")
    ban(moderator, user=reader)
    error = refused_by_ban(article, user=reader)
    assert "Abuse of other readers" in error.messages[0]
    refused_by_ban(article, name="Someone Else", email=" reader@example.COM ")
    assert Comment.objects.count() == 0


def test_a_banned_guest_cannot_come_back_with_another_name_or_case(article, moderator):
    ban(moderator, email="  Troll@Example.com ")
    assert Ban.objects.get().email == "troll@example.com"  # stored normalised
    refused_by_ban(article, name="Troll", email="troll@example.com")
    refused_by_ban(article, name="Totally New Person", email="TROLL@EXAMPLE.COM")
    refused_by_ban(article, name="Troll", email=" troll@example.com\t")
    assert post(article, email="friend@example.com").status == "approved"


def test_an_ip_ban_refuses_any_guest_from_that_address(article, moderator):
    ban(moderator, email="troll@example.com", ip_address="203.0.113.7")
    refused_by_ban(article, email="fresh@example.com", ip_address="203.0.113.7")
    assert post(article, email="fresh@example.com", ip_address="203.0.113.8").pk


def test_a_guest_without_an_address_is_not_caught_by_an_address_less_ban(article, moderator):
    """An empty address never matches: a ban by IP alone must not catch every guest."""
    Ban.objects.create(ip_address="198.51.100.1", reason="x", created_by=moderator)
    configure(trusted_after=0, require_name_email=False)
    assert post(article, name="", email="", ip_address="198.51.100.2").pk


# --- When it ends -------------------------------------------------------------------------


def test_a_ban_ends_by_itself_at_its_end_date(article, moderator):
    banned = ban(moderator, email="troll@example.com", ends_at=timezone.now() + timedelta(days=3))
    error = refused_by_ban(article, email="troll@example.com")
    assert "You may not comment until" in error.messages[0]
    Ban.objects.filter(pk=banned.pk).update(ends_at=timezone.now() - timedelta(seconds=1))
    assert post(article, email="troll@example.com").status == "approved"


def test_a_ban_for_good_says_so(article, moderator):
    ban(moderator, email="troll@example.com")
    error = refused_by_ban(article, email="troll@example.com")
    assert error.messages[0].startswith("You may no longer comment on this site.")


def test_a_lifted_ban_lets_the_commenter_post_again_and_is_logged(article, moderator):
    banned = ban(moderator, email="troll@example.com")
    bans.ban_lift(ban=banned, moderator=moderator, reason="apologised")
    assert post(article, email="troll@example.com").status == "approved"
    lifted = ModerationLog.objects.get(action="lift_ban")
    assert (lifted.ban, lifted.actor, lifted.reason) == (banned, moderator, "apologised")


def test_an_end_date_in_the_past_is_refused(moderator):
    with pytest.raises(ValidationError, match="future"):
        ban(moderator, email="t@example.com", ends_at=timezone.now() - timedelta(hours=1))


def test_a_ban_needs_someone_and_a_reason(moderator):
    with pytest.raises(ValidationError, match="account or a guest"):
        ban(moderator, email="  ")
    with pytest.raises(ValidationError, match="reason"):
        ban(moderator, email="t@example.com", reason=" ")


# --- Hiding their comments -------------------------------------------------------------------


def test_hiding_shows_their_comments_as_removed_and_expires_the_page(
    client, article, moderator, settings
):
    settings.PAGECACHE_FRAGMENTS = True
    kept = make_comment(article, email="other@example.com", body="Someone else speaks.")
    theirs = make_comment(article, email="TROLL@example.com", body="Nasty words here.")
    make_comment(article, parent=theirs, email="other@example.com", body="A reply to it.")
    assert "Nasty words here." in client.get(article.get_absolute_url()).content.decode()
    version = scopes(article)
    banned = ban(moderator, email="troll@example.com", hide_comments=True)
    theirs.refresh_from_db()
    assert (theirs.status, theirs.hidden_by) == ("removed", banned)
    assert scopes(article) != version
    page = Comment.objects.shown().filter(article=article)
    assert kept in page and theirs in page  # a placeholder keeps the replies in place
    assert ModerationLog.objects.filter(action="ban_hide", reason="1 comments hidden").exists()
    assert "Nasty words here." not in client.get(article.get_absolute_url()).content.decode()


def test_lifting_the_ban_publishes_the_hidden_comments_again(article, moderator):
    theirs = make_comment(article, email="troll@example.com")
    removed_before = make_comment(article, email="troll@example.com", status="removed")
    banned = ban(moderator, email="troll@example.com", hide_comments=True)
    version = scopes(article)
    bans.ban_lift(ban=banned, moderator=moderator)
    theirs.refresh_from_db()
    removed_before.refresh_from_db()
    assert (theirs.status, theirs.hidden_by) == ("approved", None)
    assert removed_before.status == "removed"  # a moderator's own removal stays
    assert scopes(article) != version


def test_without_hiding_their_comments_stay(article, moderator):
    theirs = make_comment(article, email="troll@example.com")
    ban(moderator, email="troll@example.com")
    theirs.refresh_from_db()
    assert theirs.status == "approved"


# --- Probation ---------------------------------------------------------------------------


def test_probation_holds_every_comment_with_the_reason(article, moderator):
    reader = make_user()
    ban(moderator, user=reader, kind=Ban.Kind.PROBATION, reason="Argues in bad faith")
    comment = post(article, user=reader)
    assert (comment.status, comment.hold_reason) == ("pending", "on probation: Argues in bad faith")


def test_probation_is_for_accounts(moderator):
    with pytest.raises(ValidationError, match="Probation is for accounts"):
        ban(moderator, email="g@example.com", kind=Ban.Kind.PROBATION)


def test_a_ban_outranks_a_probation(article, moderator):
    reader = make_user()
    ban(moderator, user=reader, kind=Ban.Kind.PROBATION)
    ban(moderator, user=reader)
    refused_by_ban(article, user=reader)


# --- The log and who may ban ----------------------------------------------------------------


def test_a_ban_is_logged_with_the_comment_it_started_from(article, moderator):
    comment = make_comment(article, email="troll@example.com")
    banned = ban(moderator, email="troll@example.com", comment=comment)
    entry = ModerationLog.objects.get(action="ban")
    assert (entry.ban, entry.comment, entry.actor) == (banned, comment, moderator)
    assert entry.reason == "Abuse of other readers"


def test_a_reporter_cannot_ban_or_lift(moderator):
    reporter = make_member("Reporter")
    with pytest.raises(PermissionDenied):
        ban(reporter, email="t@example.com")
    banned = ban(moderator, email="t@example.com")
    with pytest.raises(PermissionDenied):
        bans.ban_lift(ban=banned, moderator=reporter)
    assert Ban.objects.in_force().count() == 1


def test_a_reporter_cannot_open_the_ban_form(client):
    client.force_login(make_member("Reporter"))
    assert client.get(reverse("admin:comments_ban_add")).status_code == 403


# --- The posting path --------------------------------------------------------------------


def test_posting_consults_the_bans_in_one_query(article, moderator):
    ban(moderator, email="a@example.com")
    ban(moderator, user=make_user())
    ban(moderator, email="b@example.com", ip_address="203.0.113.9")
    with CaptureQueriesContext(connection) as queries:
        post(article, email="c@example.com", ip_address="203.0.113.10")
    assert sum('"comments_ban"' in q["sql"] for q in queries.captured_queries) == 1


def test_the_refused_guest_sees_the_reason_and_keeps_their_text(client, article, moderator):
    ban(moderator, email="troll@example.com", reason="Repeated insults")
    data = form_data(article, email="Troll@Example.com", name="New Name", body="My typed words.")
    response = client.post(post_url(article), data)
    html = response.content.decode()
    assert response.status_code == 403
    assert "Repeated insults" in html and "My typed words." in html
    assert Comment.objects.count() == 0


def test_a_banned_writer_may_not_edit_their_comment(client, article, moderator):
    from comments import editing

    reader = make_user()
    comment = post(article, user=reader)
    ban(moderator, user=reader)
    with pytest.raises(ValidationError, match="Abuse of other readers"):
        editing.comment_edit(comment=comment, body="changed", user=reader, guest_ids=[])


def test_an_edit_on_probation_is_held_for_a_moderator(article, moderator):
    from comments import editing

    reader = make_user()
    comment = post(article, user=reader, body="Fine words.")
    ban(moderator, user=reader, kind=Ban.Kind.PROBATION, reason="watch")
    editing.comment_edit(comment=comment, body="Changed words.", user=reader, guest_ids=[])
    comment.refresh_from_db()
    assert (comment.body, comment.pending_body) == ("Fine words.", "Changed words.")
    assert comment.hold_reason == "edited after approval: on probation: watch"


def test_a_ban_can_be_viewed_but_not_rewritten_in_the_admin(client, moderator):
    banned = ban(moderator, email="t@example.com", ip_address="203.0.113.1")
    client.force_login(moderator)
    listing = client.get(reverse("admin:comments_ban_changelist")).content.decode()
    assert "t@example.com · 203.0.113.1" in listing and "in force" in listing
    page = client.get(reverse("admin:comments_ban_change", args=[banned.pk]))
    assert page.status_code == 200
    assert 'name="reason"' not in page.content.decode()  # read-only
