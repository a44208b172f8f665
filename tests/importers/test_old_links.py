"""Every address the WordPress site had answers 301 to the right page here."""

import pytest
from django.urls import reverse

from articles.models import Article, Redirect
from comments.models import Comment
from core import pagecache

pytestmark = pytest.mark.django_db

FLOODS = "/2024/03/05/floods-in-the-valley/"


@pytest.fixture
def floods(imported) -> Article:
    return Article.objects.get(slug="floods-in-the-valley")


def location(client, url: str) -> tuple[int, str | None]:
    response = client.get(url)
    return response.status_code, response.get("Location")


def test_the_date_permalink_is_the_article_itself(client, floods):
    assert client.get(FLOODS).status_code == 200


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/?p=4", FLOODS),
        ("/?page_id=4", FLOODS),
        ("/index.php?p=4", FLOODS),
        ("/archives/4", FLOODS),
        ("/archives/4/", FLOODS),
        (FLOODS + "comment-page-2/", FLOODS),
        (FLOODS + "trackback/", FLOODS),
        (FLOODS + "flooded-street/", FLOODS),  # attachment pages
        (FLOODS + "old-bridge/", FLOODS),
        ("/?attachment_id=5", FLOODS),
        ("/category/world-news/", "/section/world-news/"),
        ("/category/world-news/europe/", "/section/europe/"),
        ("/category/world-news/europe/feed/", "/section/europe/feed/rss/"),
        ("/tag/climate/feed/", "/tag/climate/feed/rss/"),
        ("/author/alice/feed/", "/author/alice/feed/rss/"),
        ("/feed/", "/feed/rss/"),
        ("/?feed=rss2", "/feed/rss/"),
    ],
)
def test_old_addresses_answer_301(client, floods, old, new):
    assert location(client, old) == (301, new)


def test_a_posts_feed_leads_to_its_comment_feed(client, floods):
    feed = reverse("comments:article-feed", kwargs={"article_id": floods.pk})
    assert location(client, FLOODS + "feed/") == (301, feed)


def test_tag_and_author_pages_keep_their_wordpress_paths(client, imported):
    assert client.get("/tag/climate/").status_code == 200
    assert client.get("/author/alice/").status_code == 200


def test_a_comment_anchor_survives_the_redirect(client, floods):
    # The #comment-ID anchor stays with the browser; the page keeps the comment's id there.
    response = client.get(FLOODS + "comment-page-1/", follow=True)
    comment = Comment.objects.get(article=floods, import_id="2")
    assert response.redirect_chain == [(FLOODS, 301)]
    assert f'id="comment-{comment.pk}"' in response.content.decode()


def test_unpublished_and_unknown_ids_are_404(client, imported):
    draft = Article.objects.get(slug="budget-draft")
    for url in (f"/?p={draft.import_id}", "/?p=123456", "/?p=abc", "/archives/999/"):
        assert client.get(url).status_code == 404, url


def test_a_post_whose_address_moved_keeps_it(client, imported, settings):
    # A post whose old link is not Newsroom's (another permalink structure) gets a row.
    assert Redirect.objects.filter(old_path=FLOODS + "old-bridge/").exists()
    assert not Redirect.objects.filter(old_path=FLOODS).exists()


def test_wordpress_query_on_the_front_page_never_renders_it(
    client, imported, settings, django_assert_max_num_queries
):
    settings.PAGECACHE_ENABLED = True
    settings.PAGECACHE_RACE_MARGIN = 0
    pagecache.forget_local()
    assert client.get("/")["X-Page-Cache"] == "MISS"
    # Random ids cost one indexed lookup and answer 404: no front page is built for them.
    for n in range(3):
        with django_assert_max_num_queries(1):
            response = client.get(f"/?p={900000 + n}")
        assert response.status_code == 404
        assert "X-Page-Cache" not in response
    # The cached front page is untouched and still served.
    assert client.get("/")["X-Page-Cache"] == "HIT"
