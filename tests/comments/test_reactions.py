"""Likes: one per reader per comment, toggled; counted on the comment (part of the shared
page), the reader's own likes in their private part; rate-limited; never a query per comment."""

import re
import time

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from django.urls import reverse

from comments import caching, reactions
from comments.limits import Reader
from comments.models import Comment, Reaction
from core import pagecache
from tests.comments.helpers import ARTICLE_QUERIES, COMMENT_SECTION_QUERIES, make_comment
from tests.comments.test_thread import bulk_thread
from tests.core.test_pagecache import STATE, _no_race_margin  # noqa: F401 (autouse)
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db
REACT = reverse("comments:react")
SAME_SITE = {"HTTP_ORIGIN": "http://testserver"}
JSON = {"HTTP_ACCEPT": "application/json"}


def like(client, comment, **headers):
    return client.post(REACT, {"comment": comment.pk}, **(SAME_SITE | headers))


def count_in(html: str, comment) -> int:
    found = re.search(rf'value="{comment.pk}">Like (\d+)</button>', html)
    assert found, "no like button for the comment"
    return int(found.group(1))


def test_a_guest_likes_without_javascript_and_is_sent_back_to_the_comment(client):
    comment = make_comment(make_article())
    response = like(client, comment)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    assert "comments_guest" in response.cookies and "comment_reader" in response.cookies
    comment.refresh_from_db()
    assert comment.reaction_count == 1
    [reaction] = Reaction.objects.all()
    assert reaction.user is None and reaction.guest


def test_a_guest_takes_the_like_back_with_the_same_browser(client):
    comment = make_comment(make_article())
    like(client, comment)
    assert like(client, comment, **JSON).json() == {"liked": False, "count": 0}
    assert not Reaction.objects.exists()
    assert like(client, comment, **JSON).json() == {"liked": True, "count": 1}


def test_two_guests_count_twice(client):
    comment = make_comment(make_article())
    like(client, comment)
    assert like(Client(), comment, **JSON).json() == {"liked": True, "count": 2}


def test_an_account_likes_in_place_with_its_csrf_token():
    comment = make_comment(make_article())
    user = make_user()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    assert browser.post(REACT, {"comment": comment.pk}, **JSON).status_code == 403
    page = browser.get(comment.article.get_absolute_url()).content.decode()
    token = re.search(
        r'<form id="react"[^>]*>.*?name="csrfmiddlewaretoken" value="([^"]+)"', page
    ).group(1)
    answer = browser.post(REACT, {"comment": comment.pk}, HTTP_X_CSRFTOKEN=token, **JSON)
    assert answer.json() == {"liked": True, "count": 1}
    assert Reaction.objects.get().user == user
    answer = browser.post(REACT, {"comment": comment.pk}, HTTP_X_CSRFTOKEN=token, **JSON)
    assert answer.json() == {"liked": False, "count": 0}


def test_the_shared_page_carries_no_csrf_token_in_the_like_form(client):
    comment = make_comment(make_article())
    page = client.get(comment.article.get_absolute_url()).content.decode()
    form = re.search(r'<form id="react".*?</form>', page).group(0)
    assert "csrfmiddlewaretoken" not in form


@pytest.mark.parametrize(
    "headers",
    [{}, {"HTTP_ORIGIN": "https://evil.example"}, {"HTTP_REFERER": "https://evil.example/x"}],
)
def test_a_guest_like_from_another_site_is_refused(client, headers):
    comment = make_comment(make_article())
    assert client.post(REACT, {"comment": comment.pk}, **headers).status_code == 403
    assert not Reaction.objects.exists()


def test_a_like_is_a_post(client):
    assert client.get(REACT, {"comment": 1}).status_code == 405


@pytest.mark.parametrize("status", [Comment.Status.PENDING, Comment.Status.REMOVED])
def test_unpublished_comments_cannot_be_liked(client, status):
    comment = make_comment(make_article(), status=status)
    assert like(client, comment).status_code == 404
    assert client.post(REACT, {"comment": "x"}, **SAME_SITE).status_code == 404


def test_comments_on_unpublished_articles_cannot_be_liked(client):
    comment = make_comment(make_article(status="draft"))
    assert like(client, comment).status_code == 404


def test_likes_are_rate_limited_per_address_with_429(client, settings):
    settings.COMMENTS_REACTION_RATE = (2, 60)
    comment = make_comment(make_article())
    like(client, comment)
    like(Client(), comment)
    refused = like(Client(), comment, **JSON)  # new cookies, same address
    assert refused.status_code == 429 and "too quickly" in refused.json()["error"]
    page = like(Client(), comment)
    assert page.status_code == 429 and "too quickly" in page.content.decode()
    comment.refresh_from_db()
    assert comment.reaction_count == 2


def test_likes_are_rate_limited_per_account_across_addresses(settings):
    settings.COMMENTS_REACTION_RATE = (1, 60)
    comment = make_comment(make_article())
    user = make_user()
    reactions.reaction_toggle(comment=comment, reader=Reader(user, "", "10.0.0.1"))
    with pytest.raises(ValidationError) as refused:
        reactions.reaction_toggle(comment=comment, reader=Reader(user, "", "10.0.0.2"))
    assert refused.value.code == "rate"


def test_the_label_is_a_setting_and_escaped(client, settings):
    settings.COMMENTS_REACTION_LABEL = "<Respect>"
    comment = make_comment(make_article())
    page = client.get(comment.article.get_absolute_url()).content.decode()
    assert f'value="{comment.pk}">&lt;Respect&gt; 0</button>' in page


def test_counts_are_in_the_page(client):
    article = make_article()
    liked, plain = make_comment(article), make_comment(article)
    for _ in range(3):
        like(Client(), liked)
    page = client.get(article.get_absolute_url()).content.decode()
    assert (count_in(page, liked), count_in(page, plain)) == (3, 0)


def test_the_2000_comment_page_keeps_its_query_count_with_counts(client, django_assert_num_queries):
    article = make_article()
    bulk_thread(article, 2000)
    Comment.objects.filter(article=article).update(reaction_count=7)
    with django_assert_num_queries(ARTICLE_QUERIES + COMMENT_SECTION_QUERIES):
        page = client.get(article.get_absolute_url()).content.decode()
    assert page.count(">Like 7</button>") > 100


def test_the_readers_part_lists_their_own_likes_only(client):
    article = make_article()
    mine, theirs = make_comment(article), make_comment(article)
    elsewhere = make_comment(make_article())
    like(client, mine)
    like(client, elsewhere)
    like(Client(), theirs)
    part = client.get(reverse("comments:reader", args=[article.pk])).json()
    assert part["liked"] == [mine.pk]
    stranger = Client().get(reverse("comments:reader", args=[article.pk])).json()
    assert stranger["liked"] == []


def test_the_readers_part_lists_an_accounts_likes(client):
    comment = make_comment(make_article())
    user = make_user()
    reactions.reaction_toggle(comment=comment, reader=Reader(user, "", "10.0.0.1"))
    client.force_login(user)
    assert client.get(reverse("comments:reader", args=[comment.article_id])).json()["liked"] == [
        comment.pk
    ]


def cached_thread():
    """A comment on an article whose page a reader has in the page cache."""
    comment = make_comment(make_article())
    url = comment.article.get_absolute_url()
    reader = Client()
    reader.get(url)
    assert reader.get(url)[STATE] == "HIT"
    return comment, url, reader


def test_the_first_like_expires_the_page_later_ones_wait_for_the_window(client, settings):
    settings.COMMENTS_REACTION_REFRESH = 60
    comment, url, reader = cached_thread()
    like(client, comment)
    first = reader.get(url)
    assert first[STATE] == "REBUILT" and count_in(first.content.decode(), comment) == 1
    like(Client(), comment)
    second = reader.get(url)  # throttled: the page rebuilt in the window is served
    assert second[STATE] == "HIT" and count_in(second.content.decode(), comment) == 1
    # ... and it is fresh no later than the window's end, when it shows both likes.
    entry = pagecache.cache.get(pagecache.page_key(RequestFactory().get(url)))
    settle = caching.reactions_settle_at(comment.article_id).timestamp()
    assert entry["fresh_until"] <= settle <= time.time() + 60


def test_with_no_refresh_window_every_like_expires_the_page(client, settings):
    settings.COMMENTS_REACTION_REFRESH = 0
    comment, url, reader = cached_thread()
    like(client, comment)
    reader.get(url)
    like(Client(), comment)
    page = reader.get(url)
    assert page[STATE] == "REBUILT" and count_in(page.content.decode(), comment) == 2


def test_a_pending_comment_keeps_its_likes_out_of_sight(client):
    comment = make_comment(make_article())
    like(client, comment)
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.PENDING)
    assert like(client, comment).status_code == 404
    comment.refresh_from_db()
    assert comment.reaction_count == 1


def test_with_the_cache_down_the_database_still_limits_likes(settings, dead_redis_cache):
    from django.core.cache import cache
    from django.test import override_settings

    settings.COMMENTS_REACTION_RATE = (1, 60)
    article = make_article()
    reader = Reader(user=make_user(), guest="", ip="10.0.0.1")
    with override_settings(CACHES=dead_redis_cache):
        assert cache.add("probe", 1) is False  # the cache cannot count: the database does
        reactions.reaction_toggle(comment=make_comment(article), reader=reader)
        with pytest.raises(ValidationError) as refused:
            reactions.reaction_toggle(comment=make_comment(article), reader=reader)
    assert refused.value.code == "rate"


def test_deleting_an_account_anywhere_takes_its_likes_off_the_counts(client):
    """The admin deletes users with a plain delete(): the likes went by cascade and the
    comment kept counting them, on a cached page too."""
    article = make_article()
    comment = make_comment(article)
    keeps, leaves = make_user(), make_user()
    for user in (keeps, leaves):
        reactions.reaction_toggle(comment=comment, reader=Reader(user, "", "10.0.0.9"))
    assert count_in(client.get(article.get_absolute_url()).content.decode(), comment) == 2
    leaves.delete()
    comment.refresh_from_db()
    assert comment.reaction_count == 1
    assert count_in(client.get(article.get_absolute_url()).content.decode(), comment) == 1
