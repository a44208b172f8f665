"""Issue 16, the live thread: a small shared JSON per article (the newest published
comment's id and the count) that comments.js polls, from the cache, expired by the thread."""

import pytest
from django.urls import reverse

from articles.models import Article
from comments import moderation
from tests.comments.helpers import make_comment, make_moderator
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def live(client, article, **headers):
    return client.get(reverse("comments:live", args=[article.pk]), **headers)


def test_live_state_is_the_newest_published_comment_and_the_count(client):
    article = make_article()
    make_comment(article)
    newest = make_comment(article)
    make_comment(article, status="pending")  # not shown: not counted, not the newest
    make_comment(make_article())  # another article's
    answer = live(client, article)
    assert answer.json() == {"latest": newest.pk, "count": 2}


def test_live_state_is_shared_cacheable_for_a_few_seconds_and_sets_no_cookie(client, settings):
    settings.COMMENTS_LIVE_MAX_AGE = 7
    answer = live(client, make_article())
    assert answer["Cache-Control"] == "public, max-age=7"
    assert answer.cookies == {} and "Vary" not in answer
    assert answer.json() == {"latest": 0, "count": 0}


def test_a_reader_who_has_the_state_gets_304(client):
    article = make_article()
    make_comment(article)
    etag = live(client, article)["ETag"]
    assert live(client, article, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_an_unpublished_article_has_no_live_state(client):
    article = make_article(status=Article.Status.DRAFT)
    assert live(client, article).status_code == 404


@pytest.mark.usefixtures("fragments_only")
def test_polls_cost_no_query_until_the_thread_changes(client, django_assert_num_queries):
    article = make_article()
    make_comment(article)
    with django_assert_num_queries(2):  # the article is live, the counts
        live(client, article)
    with django_assert_num_queries(0):
        assert live(client, article).json()["count"] == 1
    held = make_comment(article, status="pending")
    moderation.comment_approve(comment=held, moderator=make_moderator())
    with django_assert_num_queries(2):
        assert live(client, article).json() == {"latest": held.pk, "count": 2}


def test_the_article_page_carries_the_live_attributes_and_no_notice(client, settings):
    settings.COMMENTS_LIVE_POLL_SECONDS = 20
    article = make_article()
    newest = make_comment(article)
    html = client.get(article.get_absolute_url()).content.decode()
    url = reverse("comments:live", args=[article.pk])
    assert f'data-live-url="{url}"' in html
    assert f'data-live-latest="{newest.pk}" data-live-count="1" data-live-every="20"' in html
    assert "new comment" not in html  # the notice is made by comments.js, never in the page


def test_no_live_attributes_when_the_notice_is_off(client, settings):
    article = make_article()
    settings.COMMENTS_LIVE_POLL_SECONDS = 0
    assert "data-live-url" not in client.get(article.get_absolute_url()).content.decode()
