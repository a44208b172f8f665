"""What a guest's comment POST costs the database, with every moderation rule on (the
bench's POST row, bench/run.py moderation_on): pinned, so the count cannot silently grow.
Its one read of the commenter (comments.posting._record) still finds what it replaced."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments.models import Ban, Comment, DiscussionSettings, ModerationLog
from tests.comments.helpers import form_data, make_comment, post_url
from tests.comments.test_after_commit import DATABASE_TASKS
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db

POSTGRES = connection.vendor == "postgresql"
# The article with the commenter's record (bans, said before, the reserved id: one read);
# the comment, its log line, its notification (the outbox row). Where the database has no
# sequence to reserve an id from (SQLite), the thread path is written by an UPDATE after it.
GUEST_POST_QUERIES = 4 if POSTGRES else 5
SAVEPOINT = 2  # a test runs in a transaction: the post's own is a savepoint and its release


@pytest.fixture
def every_rule_on(settings):
    settings.TASKS = DATABASE_TASKS  # the notification is a row in the comment's transaction
    settings.COMMENTS_FLOOD_SECONDS = 0  # as the bench runs (flood control is Redis alone)
    DiscussionSettings.objects.create(
        pk=1,
        require_approval=True,
        hold_links=1,
        moderation_words="casino\nviagra",
        disallowed_words="kill yourself",
        require_name_email=True,
    )
    return DiscussionSettings.load()  # read once: the cache holds them, as in production


def _post(client, article, **fields) -> None:
    response = client.post(post_url(article), form_data(article, **fields))
    assert response.status_code == 302, response.content.decode()[:2000]


def _stored(body: str) -> Comment:
    return Comment.objects.get(body=body)


def test_a_new_guests_post_costs_a_fixed_number_of_queries(
    client, every_rule_on, django_assert_num_queries
):
    article = make_article()
    with django_assert_num_queries(GUEST_POST_QUERIES + SAVEPOINT):
        _post(client, article, email="new@example.com", body="My first words here")
    comment = _stored("My first words here")
    assert (comment.status, comment.hold_reason) == ("pending", "manual approval is on")
    assert ModerationLog.objects.filter(comment=comment, action="post").exists()


def test_a_guest_who_said_something_here_before_costs_one_query_more(
    client, every_rule_on, django_assert_num_queries
):
    """Only a commenter with earlier comments on the article has their words compared."""
    article = make_article()
    make_comment(article, email="back@example.com", body="Said before")
    with django_assert_num_queries(GUEST_POST_QUERIES + SAVEPOINT + 1):
        _post(client, article, email="BACK@example.com", body="Something new")
    response = client.post(
        post_url(article), form_data(article, email="back@example.com", body="said  BEFORE")
    )
    assert "You have already said that." in response.content.decode()


def test_a_comment_is_stored_with_its_thread_place_in_one_insert(client, every_rule_on):
    article = make_article()
    with CaptureQueriesContext(connection) as queries:
        _post(client, article, email="one@example.com", body="Placed at once")
    comment = _stored("Placed at once")
    assert comment.root_id == comment.pk and comment.path == f"{comment.pk:010d}"
    writes = [q["sql"] for q in queries if "comments_comment" in q["sql"].split(" WHERE")[0]]
    writes = [sql for sql in writes if sql.startswith(("INSERT", "UPDATE"))]
    assert len(writes) == (1 if POSTGRES else 2)


def test_a_reply_is_placed_under_its_parent_with_the_reserved_id(client, every_rule_on):
    article = make_article()
    parent = make_comment(article, body="The parent")
    _post(client, article, email="r@example.com", body="A reply", parent=parent.pk)
    reply = _stored("A reply")
    assert (reply.parent_id, reply.root_id, reply.depth) == (parent.pk, parent.pk, 2)
    assert reply.path == f"{parent.path}/{reply.pk:010d}"


def test_the_ban_that_counts_is_read_when_there_is_one(article_and_moderator):
    """A refusal comes before a probation, whichever was made first."""
    from comments import posting

    article, moderator = article_and_moderator
    reader = make_user(email="p@example.com")
    Ban.objects.create(kind="probation", user=reader, reason="watch", created_by=moderator)
    Ban.objects.create(ip_address="2001:db8::7", reason="from there", created_by=moderator)
    _, record = posting._record(article.pk, user=reader, email="", ip="2001:DB8:0::7")
    assert (record.ban.kind, record.ban.reason) == ("ban", "from there")
    _, record = posting._record(article.pk, user=reader, email="", ip="2001:db8::8")
    assert (record.ban.kind, record.said_here) == ("probation", False)


@pytest.fixture
def article_and_moderator():
    return make_article(), make_user(is_staff=True)


def test_a_record_read_for_someone_else_is_not_trusted(article_and_moderator):
    """post() re-reads the record when the one it is handed was read for another sender
    (the view reads it from the raw form before the form is cleaned)."""
    from comments import posting

    article, moderator = article_and_moderator
    Ban.objects.create(email="troll@example.com", reason="trolling", created_by=moderator)
    _, innocent = posting.article_for(article.pk, user=None, email="a@example.com", ip=None)
    assert innocent.ban is None
    sent = posting.Submission(article=article, body="Hi", name="T", email="troll@example.com")
    with pytest.raises(ValidationError, match="trolling"):
        posting.post(sent, record=innocent)
    assert not Comment.objects.exists()
