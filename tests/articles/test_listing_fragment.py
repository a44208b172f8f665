"""Listing cards kept as a fragment ({% cached_listing %}): a reader past the page cache
(logged in) reuses them until an article on that listing changes or the next go-live."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, Tag
from core import pagecache
from tests.factories import make_article, make_member, make_ready_draft, make_section, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fragments_only")]


def listing_urls(section, tag, author) -> list[str]:
    return [
        reverse("articles:front"),
        section.get_absolute_url(),
        tag.get_absolute_url(),
        author.get_absolute_url(),
    ]


@pytest.fixture
def desk():
    section, tag, author = (
        make_section(slug="europe"),
        Tag.objects.create(name="NATO", slug="nato"),
        make_user(username="anna"),
    )
    for n in range(3):
        make_article(title=f"Story {n}", section=section, authors=[author]).tags.add(tag)
    return section, tag, author


def test_a_listing_reuses_its_cards_and_shows_the_same_page(
    client, desk, django_assert_max_num_queries
):
    for url in listing_urls(*desk):
        first = client.get(url).content.decode()
        # the section, tag or author itself, the front page's featured stories: no cards
        with django_assert_max_num_queries(2):
            second = client.get(url).content.decode()
        assert second == first and "Story 2" in second


def test_a_publish_shows_on_every_listing_of_the_article_at_once(client, desk):
    section, tag, author = desk
    urls = listing_urls(*desk)
    for url in urls:
        client.get(url)
    draft = make_ready_draft(title="Fresh from Brussels", section=section, authors=[author])
    draft.tags.add(tag)
    services.article_publish(article=draft, by=make_member("Editor"))
    for url in urls:
        assert "Fresh from Brussels" in client.get(url).content.decode(), url


def test_an_unpublished_article_leaves_its_listings_at_once(client, desk):
    urls = listing_urls(*desk)
    for url in urls:
        assert "Story 1" in client.get(url).content.decode()
    story = Article.objects.get(title="Story 1")
    services.article_unpublish(article=story, by=make_member("Editor"))
    for url in urls:
        assert "Story 1" not in client.get(url).content.decode(), url


@pytest.mark.parametrize(("seconds", "kept"), [(0.5, False), (3600, True)])
def test_cards_are_not_kept_past_the_next_go_live(client, seconds, kept):
    make_article(title="Already live")
    when = timezone.now() + timedelta(seconds=seconds)
    make_article(title="Goes live", status=Article.Status.SCHEDULED, published_at=when)
    client.get("/")
    assert (cache.get(pagecache.FRAGMENT_PREFIX + "listing:/:1") is not None) is kept


def test_query_strings_share_one_kept_listing_per_page(client, desk, monkeypatch):
    names = []
    keep = pagecache.fragment

    def recording(name, *args, **kwargs):
        names.append(name)
        return keep(name, *args, **kwargs)

    monkeypatch.setattr(pagecache, "fragment", recording)
    for query in ("", "?utm_source=x", "?anything=1", "?page=1&x=2"):
        client.get("/" + query)
    assert {name for name in names if name.startswith("listing:")} == {"listing:/:1"}
    assert cache.get(pagecache.FRAGMENT_PREFIX + "listing:/:1") is not None
