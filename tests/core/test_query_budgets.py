"""Query budgets of the public pages not pinned next to their apps' tests: the same number
of queries for a little and for a lot of data. The page cache is off: these are the costs
of the views themselves (a cache hit costs none, tests/core/test_pagecache.py)."""

import pytest
from django.urls import reverse

from comments.models import Comment
from tests.comments.helpers import make_comment
from tests.factories import guest_cookie, make_article, make_section, make_tag, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _view_costs_only(settings):
    settings.PAGECACHE_ENABLED = False


def listing_articles(count: int):
    section, tag, author = make_section(slug="desk"), make_tag(slug="topic"), make_user()
    author.username = "writer"
    author.save()
    for _ in range(count):
        article = make_article(section=section, authors=[author, make_user()])
        article.tags.add(tag, make_tag())
    return section, tag, author


@pytest.mark.parametrize("count", [2, 40])
@pytest.mark.parametrize("kind", ["section", "tag", "author"])
@pytest.mark.parametrize("flavour", ["rss", "atom"])
def test_listing_feed_query_count_is_fixed(client, django_assert_num_queries, kind, flavour, count):
    section, tag, author = listing_articles(count)
    arg = {"section": section.slug, "tag": tag.slug, "author": author.username}[kind]
    url = reverse(f"articles:{kind}-feed-{flavour}", args=[arg])
    # the section/tag/author, the Site, articles (+section, correction times), tags, authors
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("count", [2, 60])
def test_comment_feeds_query_count_is_fixed(client, django_assert_num_queries, count):
    article = make_article()
    for _ in range(count):
        make_comment(article, user=make_user() if count % 2 else None)
    # the Site, then the comments with their article and user in one query
    with django_assert_num_queries(2):
        assert client.get(reverse("comments:feed")).status_code == 200
    # the article, then its comments (the Site is remembered by now)
    with django_assert_num_queries(2):
        assert client.get(reverse("comments:article-feed", args=[article.pk])).status_code == 200


@pytest.mark.parametrize("count", [2, 60])
def test_sitemap_query_count_is_fixed(client, django_assert_num_queries, count):
    section = make_section()
    for _ in range(count):
        make_article(section=section).tags.add(make_tag())
    # the Site, then per sitemap (articles, sections, tags): count for paging, then the rows
    with django_assert_num_queries(7):
        assert client.get(reverse("articles:sitemap")).status_code == 200


@pytest.mark.parametrize("own", [0, 1, 10])
def test_reader_part_query_count_is_fixed(client, django_assert_num_queries, own):
    article = make_article()
    ids = [
        make_comment(article, body=f"Mine {n}", status=Comment.Status.PENDING).pk
        for n in range(own)
    ]
    name, value = guest_cookie(ids)
    client.cookies[name] = value
    client.get(reverse("comments:reader", args=[article.pk]))  # the settings into the cache
    # the article, the reader's own comments (none asked for without ids in the cookie)
    with django_assert_num_queries(2 if own else 1):
        response = client.get(reverse("comments:reader", args=[article.pk]))
    assert response.json()["own"].count('class="own-comment') == own


@pytest.mark.parametrize("embeds", [1, 5])
def test_article_page_with_embeds_query_count_is_fixed(client, embeds):
    """Embeds are drawn from the body and the settings: no query of their own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    video = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    figure = f'<figure data-embed="youtube" data-url="{video}" data-title="A song"></figure>'
    plain = make_article(body="<p>Text only.</p>")
    embedded = make_article(body="<p>Watch:</p>" + figure * embeds)
    client.get(plain.get_absolute_url())  # the settings into the cache
    with CaptureQueriesContext(connection) as without:
        assert client.get(plain.get_absolute_url()).status_code == 200
    with CaptureQueriesContext(connection) as with_embeds:
        response = client.get(embedded.get_absolute_url())
    assert response.content.decode().count('class="embed embed-youtube"') == embeds
    assert len(with_embeds) == len(without)
