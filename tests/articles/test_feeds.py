from datetime import timedelta
from xml.etree import ElementTree

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.caching import article_pages_changed
from articles.models import Article
from tests.articles.test_views import NEXT_GO_LIVE_QUERY
from tests.factories import make_article, make_member, make_section, make_tag, make_user

pytestmark = pytest.mark.django_db
Status = Article.Status


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def hidden(**overrides):
    for status in (Status.DRAFT, Status.REVIEW, Status.UNPUBLISHED):
        make_article(title=f"Hidden {status}", status=status, **overrides)
    make_article(
        title="Hidden later",
        status=Status.SCHEDULED,
        published_at=timezone.now() + timedelta(minutes=5),
        **overrides,
    )


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_site_feed_parses_and_lists_published_articles_only(client, kind):
    make_article(title="Live <one>", body="<p>Full <b>text</b></p>")
    hidden()
    feed = parse(client, reverse(f"articles:feed-{kind}"))
    assert feed.version == ("rss20" if kind == "rss" else "atom10")
    assert [entry.title for entry in feed.entries] == ["Live <one>"]
    assert "Full" in feed.entries[0].summary


@pytest.mark.parametrize("kind", ["rss", "atom"])
@pytest.mark.parametrize("scope", ["section", "tag", "author"])
def test_section_tag_and_author_feeds_are_scoped(client, kind, scope):
    section, tag, author = make_section(), make_tag(), make_user(username="anna")
    mine = make_article(title="In scope", section=section, authors=[author])
    mine.tags.add(tag)
    make_article(title="Out of scope")
    hidden(section=section, authors=[author])
    kwargs = {"username": "anna"} if scope == "author" else {"slug": locals()[scope].slug}
    feed = parse(client, reverse(f"articles:{scope}-feed-{kind}", kwargs=kwargs))
    assert [entry.title for entry in feed.entries] == ["In scope"]


def test_summary_setting_gives_only_the_standfirst(client, settings):
    settings.ARTICLES_FEED_CONTENT = "summary"
    make_article(standfirst="Short version.", body="<p>The long body.</p>")
    entry = parse(client, reverse("articles:feed-rss")).entries[0]
    assert entry.summary == "Short version." and "long body" not in entry.summary


def test_correction_changes_the_entry_updated_time(client):
    article = make_article(published_at=timezone.now() - timedelta(days=1))
    before = parse(client, reverse("articles:feed-atom")).entries[0].updated_parsed
    services.correction_add(article=article, by=make_member("Editor"), text="Fixed.")
    after = parse(client, reverse("articles:feed-atom")).entries[0].updated_parsed
    assert after > before


def test_scheduled_article_enters_the_feed_at_its_time(client):
    article = make_article(
        status=Status.SCHEDULED, published_at=timezone.now() + timedelta(hours=1)
    )
    assert parse(client, reverse("articles:feed-rss")).entries == []
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    # The clock does not move here: do what the go-live task does at that time (the cached
    # feed is also fresh only until the go-live; tests/core/test_feed_cache.py).
    article_pages_changed(article)
    assert len(parse(client, reverse("articles:feed-rss")).entries) == 1


@pytest.mark.parametrize("count", [2, 12])
def test_feed_query_count_is_fixed(client, django_assert_num_queries, count):
    for _ in range(count):
        make_article(authors=[make_user(), make_user()], section=make_section()).tags.add(
            make_tag()
        )
    # the Site (for absolute links), articles (+section, correction times), tags, authors,
    # and, as the feed is stored in the page cache, the next go-live (cold cache)
    with django_assert_num_queries(4 + NEXT_GO_LIVE_QUERY):
        client.get(reverse("articles:feed-rss"))


def sitemap_locations(client, url) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own output
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    return [loc.text for loc in root.findall("s:url/s:loc", ns)]


def test_sitemap_lists_published_articles_sections_and_tags(client):
    live = make_article(section=make_section(slug="europe"))
    live.tags.add(make_tag(slug="nato"))
    hidden()
    locations = sitemap_locations(client, reverse("articles:sitemap"))
    paths = [loc.split("example.com", 1)[-1] for loc in locations]
    assert live.get_absolute_url() in paths
    assert "/section/europe/" in paths and "/tag/nato/" in paths
    assert not any("hidden" in path for path in paths)


def test_news_sitemap_has_the_last_48_hours_only(client):
    recent = make_article(title="Fresh & new", published_at=timezone.now() - timedelta(hours=47))
    make_article(title="Old", published_at=timezone.now() - timedelta(hours=49))
    hidden()
    response = client.get(reverse("articles:news-sitemap"))
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own output
    ns = {
        "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
        "n": "http://www.google.com/schemas/sitemap-news/0.9",
    }
    titles = [t.text for t in root.findall("s:url/n:news/n:title", ns)]
    assert titles == ["Fresh & new"]
    loc = root.find("s:url/s:loc", ns).text
    assert loc == "http://testserver" + recent.get_absolute_url()
