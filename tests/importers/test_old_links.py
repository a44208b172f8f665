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


def test_an_old_comment_page_leads_to_the_page_that_reads_its_anchor(client, floods):
    # WordPress's #comment-ID stays with the browser through the 301s and holds WordPress's
    # id, not the comment's id here: a page of its own reads it (static/js/wordpress.js).
    landing = reverse("comments:wordpress", kwargs={"article_id": floods.pk})
    assert location(client, FLOODS + "comment-page-2/") == (301, landing)
    page = client.get(landing).content.decode()
    find = reverse("comments:wordpress-find", args=[floods.pk, 0])
    assert f'data-find="{find}"' in page and f'href="{FLOODS}"' in page  # and without JS
    assert "js/wordpress" in page


def test_wordpress_comment_ids_find_the_imported_comment_at_its_place(client, floods):
    shown = Comment.objects.filter(article=floods, status="approved").order_by("-pk")
    comment = next(c for c in shown if c.import_id != str(c.pk))  # ids differ here
    find = reverse("comments:wordpress-find", args=[floods.pk, int(comment.import_id)])
    permalink = reverse("comments:permalink", args=[comment.pk])
    assert location(client, find) == (302, permalink)
    response = client.get(find, follow=True)
    assert response.redirect_chain[-1][0].endswith(f"#comment-{comment.pk}")
    assert f'id="comment-{comment.pk}"' in response.content.decode()


def test_an_unknown_wordpress_comment_id_leads_to_the_article(client, floods):
    native = Comment.objects.get(article=floods, import_id="2")
    for old_id in (999_999, native.pk + 1000):
        find = reverse("comments:wordpress-find", args=[floods.pk, old_id])
        assert location(client, find) == (302, FLOODS)


def test_the_comment_link_pages_answer_404_for_an_unpublished_article(client, imported):
    draft = Article.objects.get(slug="budget-draft")
    assert client.get(reverse("comments:wordpress", args=[draft.pk])).status_code == 404
    find = reverse("comments:wordpress-find", args=[draft.pk, 1])
    assert client.get(find).status_code == 404


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
