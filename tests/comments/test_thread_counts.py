"""The thread's counts the database keeps (comments.models.ThreadCount, migration 0013's
triggers): after every kind of write (a post, a moderator's decision, a pick, a bulk
update, an import's bulk insert, a move, a delete, an article deleted) the row it keeps
is what counting the comments gives, and a like or an edit of the text leaves it alone."""

import threading

import pytest
from django.db import connection, connections, transaction

from comments import moderation, threads
from comments.models import Comment, ThreadCount
from tests.comments.helpers import make_comment, make_moderator
from tests.factories import make_article


def kept(article) -> dict:
    return threads.counts_of(article.pk)


def assert_kept(*articles) -> None:
    for article in articles:
        assert kept(article) == threads.recount(article.pk), article.pk


@pytest.mark.django_db
def test_every_kind_of_write_keeps_the_counts_true():
    article, other = make_article(), make_article()
    assert kept(article) == {"approved": 0, "roots": 0, "featured": 0, "latest": None}
    first = make_comment(article)
    assert kept(article) == {"approved": 1, "roots": 1, "featured": 0, "latest": first.pk}
    pending = make_comment(article, parent=first, status=Comment.Status.PENDING)
    assert kept(article)["approved"] == 1
    moderator = make_moderator()
    moderation.comment_approve(comment=pending, moderator=moderator)
    assert kept(article) == {"approved": 2, "roots": 1, "featured": 0, "latest": pending.pk}
    moderation.comment_feature(comment=first, moderator=moderator)
    assert kept(article)["featured"] == 1
    second = make_comment(article)
    assert_kept(article)
    # The admin's bulk action: one statement for many rows.
    Comment.objects.filter(pk__in=[pending.pk, second.pk]).update(status=Comment.Status.SPAM)
    assert kept(article) == {"approved": 1, "roots": 1, "featured": 1, "latest": first.pk}
    Comment.objects.filter(pk=first.pk).update(status=Comment.Status.REMOVED)
    # A removed top-level comment keeps its place (a placeholder), so it is still a root.
    assert kept(article) == {"approved": 0, "roots": 1, "featured": 0, "latest": None}
    # An import's bulk insert.
    Comment.objects.bulk_create(
        [
            Comment(
                article=article, status="approved", name=f"Imported {n}", body="Hi", path=f"i{n}"
            )
            for n in range(3)
        ]
    )
    assert_kept(article)
    assert kept(article)["approved"] == 3
    # A comment moved to another article counts there, and no longer here.
    moved = Comment.objects.filter(article=article, status="approved").first()
    Comment.objects.filter(pk=moved.pk).update(article=other)
    assert_kept(article, other)
    assert kept(other)["approved"] == 1
    Comment.objects.filter(pk=moved.pk).delete()
    assert_kept(article, other)
    assert kept(other) == {"approved": 0, "roots": 0, "featured": 0, "latest": None}


@pytest.mark.django_db
def test_a_like_or_an_edit_leaves_the_counts_alone():
    article = make_article()
    comment = make_comment(article)
    before = ThreadCount.objects.get(article_id=article.pk)
    Comment.objects.filter(pk=comment.pk).update(reaction_count=5, body="Edited")
    after = ThreadCount.objects.get(article_id=article.pk)
    assert (after.approved, after.latest) == (before.approved, before.latest) == (1, comment.pk)


@pytest.mark.django_db
def test_pending_comments_cost_no_recount():
    """Only approved and removed comments are counted: a pending post (most posts, with
    approval required) and a pending comment marked spam leave the row alone."""
    article = make_article()
    pending = make_comment(article, status=Comment.Status.PENDING)
    assert not ThreadCount.objects.filter(article_id=article.pk).exists()
    Comment.objects.filter(pk=pending.pk).update(status=Comment.Status.SPAM)
    assert not ThreadCount.objects.filter(article_id=article.pk).exists()
    assert threads.counts_of(article.pk) == threads.recount(article.pk)
    Comment.objects.filter(pk=pending.pk).update(status=Comment.Status.APPROVED)
    assert threads.counts_of(article.pk)["latest"] == pending.pk


@pytest.mark.django_db(transaction=True)
def test_deleting_an_article_with_its_thread_commits():
    """The triggers run while the article's comments are deleted with it: with a foreign
    key to the article, the row they write would stop the delete at commit."""
    article = make_article()
    make_comment(make_article())
    make_comment(article, parent=make_comment(article))
    with transaction.atomic():
        article.delete()
    assert not Comment.objects.filter(article_id=article.pk).exists()
    assert threads.counts_of(article.pk)["approved"] == 0


@pytest.mark.django_db
def test_the_page_reads_the_counts_in_one_primary_key_read(django_assert_num_queries):
    article = make_article()
    for _ in range(30):
        make_comment(article)
    with django_assert_num_queries(1) as context:
        assert threads.counts_of(article.pk)["approved"] == 30
    sql = context.captured_queries[0]["sql"]
    assert "comments_threadcount" in sql and "COUNT(" not in sql.upper()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent writers are PostgreSQL's; SQLite writes one at a time",
)
@pytest.mark.django_db(transaction=True)
def test_two_approvals_at_once_are_both_counted():
    """Each transaction's trigger counts after taking the article's row: the second waits
    for the first to commit, then counts both (counted before waiting, it would write back
    a number missing the first)."""
    article = make_article()
    first = make_comment(article, status=Comment.Status.PENDING)
    second = make_comment(article, status=Comment.Status.PENDING)
    holding, release, errors = threading.Event(), threading.Event(), []

    def approve(comment, *, hold: bool) -> None:
        try:
            with transaction.atomic():
                Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.APPROVED)
                if hold:
                    holding.set()
                    release.wait(timeout=10)
        except Exception as error:  # noqa: BLE001 - reported below, in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    one = threading.Thread(target=approve, args=(first,), kwargs={"hold": True})
    one.start()
    assert holding.wait(timeout=10)
    two = threading.Thread(target=approve, args=(second,), kwargs={"hold": False})
    two.start()
    two.join(timeout=0.5)  # waits on the first transaction's lock
    release.set()
    one.join(timeout=10)
    two.join(timeout=10)
    assert not errors
    assert kept(article) == {"approved": 2, "roots": 2, "featured": 0, "latest": second.pk}
