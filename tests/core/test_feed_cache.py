"""Feeds come from the page cache and expire with the listing they mirror; sitemaps are
never stored, so a publish shows in them at once."""

from datetime import timedelta

import pytest
from django.urls import reverse

from articles.services import article_publish
from comments.models import Comment
from comments.moderation import comment_approve
from core import pagecache
from tests.comments.helpers import make_comment, make_moderator
from tests.core.test_pagecache import STATE, _no_race_margin  # noqa: F401 (autouse)
from tests.factories import make_article, make_member, make_ready_draft, make_section, make_tag

pytestmark = pytest.mark.django_db


def feed_urls(section, tag, author) -> list[str]:
    urls = []
    for kind in ("rss", "atom"):
        urls += [
            reverse(f"articles:feed-{kind}"),
            reverse(f"articles:section-feed-{kind}", args=[section.slug]),
            reverse(f"articles:tag-feed-{kind}", args=[tag.slug]),
            reverse(f"articles:author-feed-{kind}", args=[author.username]),
        ]
    return urls


def test_article_feeds_are_cached_and_show_a_new_publish_at_once(client):
    editor = make_member("Editor")
    section, tag = make_section(), make_tag()
    old = make_article(section=section)
    old.tags.add(tag)
    author = old.authors.get()
    urls = feed_urls(section, tag, author)
    for url in urls:
        assert client.get(url)[STATE] == "MISS", url
        assert client.get(url)[STATE] == "HIT", url
    fresh = make_ready_draft(authors=[author], section=section, title="Fresh scoop in the feeds")
    fresh.tags.add(tag)
    article_publish(article=fresh, by=editor)
    for url in urls:
        response = client.get(url)
        assert response[STATE] == "REBUILT", url
        assert "Fresh scoop in the feeds" in response.content.decode(), url


def test_section_feed_of_another_section_keeps_its_entry_until_feeds_expire(client):
    """Per-object scopes are exact; the shared ``feeds`` scope is the catch-all of article
    events (docs/decisions.md), so other sections' feeds are rebuilt too, but never stale."""
    editor = make_member("Editor")
    other = make_section()
    make_article(section=other, title="Other desk story")
    url = reverse("articles:section-feed-rss", args=[other.slug])
    client.get(url)
    article_publish(article=make_ready_draft(title="Elsewhere"), by=editor)
    response = client.get(url)
    assert "Elsewhere" not in response.content.decode()
    assert "Other desk story" in response.content.decode()


def test_comment_feeds_are_cached_and_show_an_approved_comment_at_once(client):
    article = make_article()
    make_comment(article, body="Already approved remark")
    pending = make_comment(article, body="Newly approved remark", status=Comment.Status.PENDING)
    urls = [reverse("comments:feed"), reverse("comments:article-feed", args=[article.pk])]
    for url in urls:
        client.get(url)
        response = client.get(url)
        assert response[STATE] == "HIT", url
        assert "Newly approved remark" not in response.content.decode()
    comment_approve(comment=pending, moderator=make_moderator())
    for url in urls:
        response = client.get(url)
        assert response[STATE] == "REBUILT", url
        assert "Newly approved remark" in response.content.decode(), url


def test_cached_feed_is_fresh_only_until_the_next_go_live(client):
    from django.core.cache import cache
    from django.utils import timezone

    from articles.models import Article

    when = timezone.now() + timedelta(minutes=2)
    make_article(status=Article.Status.SCHEDULED, published_at=when)
    response = client.get(reverse("articles:feed-rss"))
    entry = cache.get(pagecache.page_key(response.wsgi_request))
    assert entry["fresh_until"] == pytest.approx(when.timestamp())


@pytest.mark.parametrize("name", ["articles:sitemap", "articles:news-sitemap"])
def test_sitemaps_are_never_stale_after_a_publish(client, name):
    editor = make_member("Editor")
    make_article()
    client.get(reverse(name))
    assert STATE not in client.get(reverse(name))
    fresh = make_ready_draft(title="Just published")
    article_publish(article=fresh, by=editor)
    assert fresh.get_absolute_url() in client.get(reverse(name)).content.decode()
