"""manage.py import_disqus: Disqus's export format onto imported (or native) articles."""

import pytest
from django.core import mail

from articles.models import Article
from comments.models import Comment
from tests.factories import make_article
from tests.importers.conftest import DISQUS, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def disqus(imported) -> str:
    return run("import_disqus", DISQUS)


def by_name() -> dict:
    return {c.name: c for c in Comment.objects.filter(import_source="disqus:valleycourier")}


def test_threads_matched_by_link_and_by_old_link(disqus):
    comments = by_name()
    assert comments["Dana"].article.slug == "floods-in-the-valley"
    assert comments["Gus"].article.slug == "election-night"  # /archives/8, a WordPress rule


def test_posts_fields_parents_and_statuses(disqus):
    comments = by_name()
    dana, eli = comments["Dana"], comments["Eli"]
    assert dana.body == "Disqus first: the bridge held.\n\nSee photos (https://example.org/photos)"
    assert dana.email == "dana@example.org" and dana.ip_address == "198.51.100.7"
    assert dana.created_at.isoformat() == "2024-03-05T12:00:00+00:00"
    assert dana.status == Comment.Status.APPROVED
    assert (eli.parent, eli.body) == (dana, "Reply from Eli & friends.")
    assert comments["Fay"].parent == eli
    assert comments["Fay"].status == Comment.Status.REMOVED
    assert comments["Spammer"].status == Comment.Status.SPAM
    assert mail.outbox == []


def test_unmatched_threads_are_listed_not_invented(disqus):
    assert (
        "no article for thread: http://wp.example.test/2019/01/01/a-story-that-never-came-over/"
        in disqus
    )
    assert "unmatched    1 threads" in disqus
    assert not Comment.objects.filter(name="Lost").exists()
    assert Article.objects.count() == 6


def test_a_closed_thread_closes_comments(imported):
    election = Article.objects.get(slug="election-night")
    Article.objects.filter(pk=election.pk).update(comments_open=True)
    out = run("import_disqus", DISQUS)
    election.refresh_from_db()
    assert not election.comments_open
    assert "closed       created 0  updated 1" in out


def test_a_thread_matches_by_identifier_when_the_link_is_unknown(db, tmp_path):
    article = make_article(slug="native", import_id="4", import_source="wordpress:x")
    text = DISQUS.read_text().replace(
        "http://wp.example.test/2024/03/05/floods-in-the-valley/", "http://gone.example/x"
    )
    path = tmp_path / "disqus.xml"
    path.write_text(text)
    run("import_disqus", path)
    assert by_name()["Dana"].article == article


def test_a_second_run_changes_nothing_and_dry_run_writes_nothing(imported):
    dry = run("import_disqus", DISQUS, dry_run=True)
    assert "Dry run: nothing was written" in dry and "comments     created 5" in dry
    assert not Comment.objects.filter(import_source__startswith="disqus:").exists()
    run("import_disqus", DISQUS)
    rows = list(Comment.objects.values_list("pk", "status", "body", "parent_id"))
    again = run("import_disqus", DISQUS)
    assert list(Comment.objects.values_list("pk", "status", "body", "parent_id")) == rows
    assert "comments     created 0  updated 0  unchanged 5" in again


def test_a_disqus_member_is_linked_by_email_an_anonymous_one_is_not(imported):
    from django.contrib.auth import get_user_model

    dana = get_user_model().objects.create_user("dana", "dana@example.org", "pw")
    run("import_disqus", DISQUS)
    assert by_name()["Dana"].user == dana
    assert by_name()["Spammer"].user is None


def test_a_thread_linked_as_query_p_is_matched(imported, tmp_path):
    text = DISQUS.read_text().replace(
        "http://wp.example.test/2024/03/05/floods-in-the-valley/", "http://wp.example.test/?p=4"
    )
    text = text.replace("<id>4 http://wp.example.test/?p=4</id>", "<id />")
    path = tmp_path / "disqus.xml"
    path.write_text(text)
    run("import_disqus", path)
    assert by_name()["Dana"].article.slug == "floods-in-the-valley"
