"""The rendered thread kept as a fragment: reused while nothing changed, expired by every
comment event and article change, never a reason for a page to fail."""

import pytest
from django.core.cache import cache
from django.test import override_settings

from articles.models import Article
from comments import caching, moderation
from comments.models import Comment
from core import pagecache
from tests.comments.helpers import make_comment, make_moderator
from tests.factories import make_article

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fragments_only")]
FRAGMENTS = pagecache.FRAGMENT_PREFIX + "thread:"


def kept(article, page: int = 1) -> bool:
    """Whether the thread page is kept (default settings: oldest first, 50 a page, open)."""
    name = f"{FRAGMENTS}{article.pk}:{page}:oldest:50:0:{caching.thread_shape()}"
    return cache.get(name) is not None


def test_a_warm_thread_costs_no_thread_queries_and_is_the_same_html(
    client, django_assert_num_queries
):
    article = make_article()
    make_comment(article, body="First words")
    first = client.get(article.get_absolute_url()).content.decode()
    assert kept(article)
    # no query: not the counts, the thread rows, the social login apps, nor the article
    # (kept too: tests/articles/test_article_fragment.py)
    with django_assert_num_queries(0):
        second = client.get(article.get_absolute_url()).content.decode()
    thread = slice(first.index('<ol class="comment-list'), first.index('id="respond"'))
    assert "First words" in second and first[thread] == second[thread.start : thread.stop]


def test_approving_a_comment_expires_the_thread(client):
    article = make_article()
    held = make_comment(article, body="Held back", status=Comment.Status.PENDING)
    assert "Held back" not in client.get(article.get_absolute_url()).content.decode()
    moderation.comment_approve(comment=held, moderator=make_moderator())
    assert "Held back" in client.get(article.get_absolute_url()).content.decode()


def test_editing_removing_and_closing_expire_the_thread(client):
    article = make_article()
    comment = make_comment(article, body="Before the edit")
    url = article.get_absolute_url()
    assert "Before the edit" in client.get(url).content.decode()
    moderator = make_moderator()
    moderation.comment_moderator_edit(comment=comment, moderator=moderator, body="After the edit")
    assert "After the edit" in client.get(url).content.decode()
    moderation.comment_moderate(comment=comment, moderator=moderator, action="remove")
    assert "After the edit" not in client.get(url).content.decode()
    make_comment(article, body="Still open")
    pagecache.invalidate(f"article:{article.pk}")
    assert "comment-reply-link" in client.get(url).content.decode()
    Article.objects.filter(pk=article.pk).update(comments_open=False)
    pagecache.invalidate(f"article:{article.pk}")  # what saving the article does
    html = client.get(url).content.decode()
    assert "Still open" in html and "comment-reply-link" not in html


def test_a_build_racing_a_change_is_not_kept(client, settings):
    settings.PAGECACHE_RACE_MARGIN = 60  # any bump in the last minute may be racing
    article = make_article()
    make_comment(article)
    pagecache.invalidate(f"article:{article.pk}")
    client.get(article.get_absolute_url())
    assert not kept(article)


def test_far_thread_pages_are_built_not_kept(client):
    article = make_article()
    make_comment(article)
    client.get(article.get_absolute_url() + "?cpage=51")
    client.get(article.get_absolute_url() + "?cpage=-3")
    assert not kept(article, 51) and not kept(article, -3)
    client.get(article.get_absolute_url() + "?cpage=50")
    assert kept(article, 50)  # the bound is what refused the others


def test_the_page_is_served_when_the_cache_is_down(client, dead_redis_cache):
    article = make_article()
    make_comment(article, body="Served without Redis")
    with override_settings(CACHES=dead_redis_cache):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200 and "Served without Redis" in response.content.decode()


def test_a_thread_kept_by_code_with_other_columns_is_never_read(monkeypatch):
    """After a deploy that adds a column or a field, kept threads get a new name."""
    before = caching.thread_shape()
    monkeypatch.setattr(caching, "THREAD_COLUMNS", (*caching.THREAD_COLUMNS, "new_column"))
    caching.thread_shape.cache_clear()
    try:
        assert caching.thread_shape() != before
    finally:
        monkeypatch.undo()
        caching.thread_shape.cache_clear()
    assert caching.thread_shape() == before
