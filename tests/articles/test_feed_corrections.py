"""Corrections reach feed readers: in the corrected article's entry and in a feed of their
own; the article page advertises the feeds it belongs to."""

import re

import feedparser
import pytest
from django.conf import settings
from django.urls import reverse

from articles import services
from articles.models import Article
from tests.factories import make_article, make_member, make_section

pytestmark = pytest.mark.django_db


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


@pytest.fixture
def editor():
    return make_member("Editor")


@pytest.mark.parametrize("kind", ["rss", "atom"])
@pytest.mark.parametrize("content", ["full", "summary"])
def test_correction_text_is_in_the_corrected_articles_entry(
    client, editor, settings, kind, content
):
    settings.ARTICLES_FEED_CONTENT = content
    article = make_article(title="Budget vote", body="<p>The vote was 12 to 3.</p>")
    make_article(title="Uncorrected")
    services.correction_add(article=article, by=editor, text="The vote was 13 to 2 & final.")
    entries = {e.title: e for e in parse(client, reverse(f"articles:feed-{kind}")).entries}
    assert "The vote was 13 to 2 &amp; final." in entries["Budget vote"].summary
    assert "Correction" in entries["Budget vote"].summary
    assert "Correction" not in entries["Uncorrected"].summary


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_corrections_feed_lists_corrections_of_live_articles(client, editor, kind):
    live = make_article(title="Budget vote")
    first = services.correction_add(article=live, by=editor, text="First fix.")
    second = services.correction_add(article=live, by=editor, text="Second fix.")
    gone = make_article(title="Withdrawn")
    services.correction_add(article=gone, by=editor, text="Hidden fix.")
    Article.objects.filter(pk=gone.pk).update(status=Article.Status.UNPUBLISHED)
    feed = parse(client, reverse(f"articles:corrections-feed-{kind}"))
    assert [e.title for e in feed.entries] == ["Correction to “Budget vote”"] * 2
    assert "Second fix." in feed.entries[0].summary
    assert "First fix." in feed.entries[1].summary
    assert feed.entries[0].link.endswith(live.get_absolute_url() + "#corrections")
    assert [e.id.rsplit(":", 1)[1] for e in feed.entries] == [str(second.pk), str(first.pk)]
    assert feed.entries[0].id.startswith("tag:")


def test_corrections_page_advertises_its_feed(client):
    html = client.get(reverse("articles:corrections")).content.decode()
    assert f'href="{reverse("articles:corrections-feed-atom")}"' in html


def test_article_page_advertises_site_section_and_comment_feeds(client):
    section = make_section(name="Europe")
    article = make_article(section=section)
    html = client.get(article.get_absolute_url()).content.decode()
    alternate = r'<link rel="alternate" type="([^"]+)" title="([^"]+)" href="([^"]+)">'
    links = re.findall(alternate, html)
    hrefs = {href for _, _, href in links}
    assert reverse("articles:feed-atom") in hrefs
    assert reverse("articles:section-feed-atom", args=[section.slug]) in hrefs
    assert reverse("comments:article-feed", args=[article.pk]) in hrefs
    assert ("application/atom+xml", f"{settings.SITE_NAME} (Atom)") in {
        (kind, title) for kind, title, _ in links
    }


@pytest.mark.parametrize("corrected", [1, 8])
def test_corrections_cost_one_query_for_the_whole_feed(
    client, editor, settings, django_assert_num_queries, corrected
):
    settings.PAGECACHE_ENABLED = False
    for n in range(corrected):
        services.correction_add(article=make_article(), by=editor, text=f"Fix {n}.")
    # the Site, articles (with correction times), tags, authors, then the corrections
    with django_assert_num_queries(5):
        assert client.get(reverse("articles:feed-atom")).status_code == 200
