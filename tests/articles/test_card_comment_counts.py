"""Issue 16: comment counts on listing cards (front, section, tag, author), read with the
cards (no query per card) and refreshed when a comment is published or taken down."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from comments import moderation
from tests.articles.test_views import NEXT_GO_LIVE_QUERY
from tests.comments.helpers import make_comment, make_moderator
from tests.factories import make_article, make_section, make_tag, make_user

pytestmark = pytest.mark.django_db


def card_count(html: str, article) -> str:
    """The article's card in a listing page."""
    start = html.index(f'href="{article.get_absolute_url()}"')
    return html[start : html.index("</article>", start)]


@pytest.fixture
def listed():
    section, tag, author = make_section(slug="s"), make_tag(slug="t"), make_user(username="u")
    article = make_article(section=section, authors=[author])
    article.tags.add(tag)
    return article


URLS = {
    "front": lambda: reverse("articles:front"),
    "section": lambda: reverse("articles:section", kwargs={"slug": "s"}),
    "tag": lambda: reverse("articles:tag", kwargs={"slug": "t"}),
    "author": lambda: reverse("articles:author", kwargs={"username": "u"}),
}


@pytest.mark.parametrize("page", URLS)
def test_cards_show_the_published_comment_count_linking_to_the_thread(client, listed, page):
    for _ in range(3):
        make_comment(listed)
    make_comment(listed, status="pending")
    make_comment(listed, status="spam")
    html = client.get(URLS[page]()).content.decode()
    link = f'<a class="card-comments" href="{listed.get_absolute_url()}#comments">3 comments</a>'
    assert link in card_count(html, listed)


def test_a_card_without_comments_says_nothing(client, listed):
    html = client.get(URLS["front"]()).content.decode()
    assert "card-comments" not in card_count(html, listed)


@pytest.mark.parametrize("page", URLS)
def test_a_cached_listing_shows_the_new_count_once_a_comment_is_published(
    client, settings, listed, page
):
    settings.PAGECACHE_RACE_MARGIN = 0
    settings.PAGECACHE_FRAGMENTS = True
    make_comment(listed)
    client.get(URLS[page]())
    assert client.get(URLS[page]())["X-Page-Cache"] == "HIT"
    held = make_comment(listed, status="pending")
    moderation.comment_approve(comment=held, moderator=make_moderator())
    answer = client.get(URLS[page]())
    assert answer["X-Page-Cache"] != "HIT"
    assert ">2 comments</a>" in card_count(answer.content.decode(), listed)
    moderation.comment_moderate(comment=held, moderator=make_moderator(), action="remove")
    assert ">1 comment</a>" in card_count(client.get(URLS[page]()).content.decode(), listed)


@pytest.mark.parametrize("count", [3, 30])
def test_front_page_query_count_stays_fixed_with_comment_counts(
    client, django_assert_num_queries, count
):
    when = timezone.now() - timedelta(minutes=5)
    for n in range(count):
        article = make_article(authors=[make_user()], published_at=when, is_featured=n < 2)
        make_comment(article)
    # featured + their authors, count + latest + their authors (the pin of test_views.py)
    with django_assert_num_queries(5 + NEXT_GO_LIVE_QUERY):
        html = client.get(reverse("articles:front")).content.decode()
    # every card shown (two featured, then up to 20) says "1 comment"
    assert html.count('class="card-comments"') == min(count, 22)
    assert html.count(">1 comment</a>") == min(count, 22)
