"""Feed entry ids are tag: URIs (RFC 4151) that never change with slug, title or date."""

import re
from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from django.urls import reverse

from articles.models import Article
from tests.comments.helpers import make_comment
from tests.factories import make_article

pytestmark = pytest.mark.django_db
# RFC 4151: "tag:" authorityName "," date ":" specific (date as YYYY, YYYY-MM or YYYY-MM-DD).
TAG_URI = re.compile(r"^tag:[A-Za-z0-9.-]+,\d{4}(-\d{2}(-\d{2})?)?:[\w.:/~!$&'()*+,;=@?-]*$")


def entry_ids(client, url) -> list[str]:
    feed = feedparser.parse(client.get(url).content)
    assert not feed.bozo, feed.get("bozo_exception")
    return [entry.id for entry in feed.entries]


def created_on(article, day: datetime) -> Article:
    Article.objects.filter(pk=article.pk).update(created_at=day)
    return article


@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_article_entry_id_is_a_tag_uri(client, settings, kind):
    settings.FEED_TAG_AUTHORITY = "news.example.org"
    article = created_on(make_article(), datetime(2022, 1, 12, 23, 30, tzinfo=UTC))
    [entry_id] = entry_ids(client, reverse(f"articles:feed-{kind}"))
    assert entry_id == f"tag:news.example.org,2022-01-12:article:{article.pk}"
    assert TAG_URI.match(entry_id)


def test_article_entry_id_survives_new_slug_title_and_date(client):
    article = make_article(title="First headline", slug="first")
    before = entry_ids(client, reverse("articles:feed-atom"))
    Article.objects.filter(pk=article.pk).update(
        title="Second headline",
        slug="second",
        published_at=article.published_at - timedelta(days=40),
    )
    assert entry_ids(client, reverse("articles:feed-atom")) == before


def test_default_authority_is_the_site_records_domain(settings):
    from django.contrib.sites.models import Site

    from core.feeds import tag_uri

    settings.FEED_TAG_AUTHORITY = ""
    Site.objects.filter(pk=settings.SITE_ID).update(domain="www.example.net:8443")
    Site.objects.clear_cache()
    moment = datetime(2024, 2, 29, 12, tzinfo=UTC)
    assert tag_uri("article", 7, moment) == "tag:www.example.net,2024-02-29:article:7"
    Site.objects.clear_cache()


@pytest.mark.parametrize("url", ["comments:feed", "comments:article-feed"])
def test_comment_entry_id_is_a_tag_uri(client, settings, url):
    settings.FEED_TAG_AUTHORITY = "news.example.org"
    article = make_article()
    comment = make_comment(article, body="First")
    day = comment.created_at.astimezone(UTC).date()
    args = [article.pk] if url == "comments:article-feed" else []
    [entry_id] = entry_ids(client, reverse(url, args=args))
    assert entry_id == f"tag:news.example.org,{day:%Y-%m-%d}:comment:{comment.pk}"
    assert TAG_URI.match(entry_id)
