from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.comments.helpers import COMMENT_SECTION_QUERIES
from tests.factories import make_article, make_section, make_tag, make_user

pytestmark = pytest.mark.django_db

NEXT_GO_LIVE_QUERY = 1  # articles.scheduling.next_go_live on a cold cache


def test_front_page_lists_published_articles_newest_first(client):
    older = make_article(title="Older story", published_at=timezone.now() - timedelta(days=2))
    newer = make_article(title="Newer story", published_at=timezone.now() - timedelta(hours=1))
    html = client.get(reverse("articles:front")).content.decode()
    assert html.index(newer.title) < html.index(older.title)


@pytest.mark.parametrize(
    "status", [Article.Status.DRAFT, Article.Status.REVIEW, Article.Status.UNPUBLISHED]
)
def test_front_page_hides_articles_that_are_not_published(client, status):
    make_article(title="Hidden story", status=status)
    assert "Hidden story" not in client.get(reverse("articles:front")).content.decode()


def test_front_page_hides_articles_scheduled_for_later(client):
    make_article(
        title="Tomorrow's story",
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(hours=1),
    )
    assert "Tomorrow&#x27;s story" not in client.get(reverse("articles:front")).content.decode()


def test_scheduled_article_appears_once_its_time_has_passed(client):
    make_article(
        title="Gone live",
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() - timedelta(seconds=1),
    )
    assert "Gone live" in client.get(reverse("articles:front")).content.decode()


def test_article_page_shows_headline_dateline_byline_date_and_body(client):
    author = make_user(first_name="Anna", last_name="van Densky")
    article = make_article(
        title="Council meets",
        dateline="Brussels",
        body="<p>Allies met.</p>",
        authors=[author],
    )
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in html and "Council meets" in html
    assert "Brussels" in html and "Anna van Densky" in html
    # Whole seconds: HTML's datetime allows at most three digits of a fraction, Python gives six.
    published = timezone.localtime(article.published_at).strftime("%Y-%m-%dT%H:%M:%S%z")
    assert f'datetime="{published}"' in html
    assert "<p>Allies met.</p>" in html


def test_article_url_has_the_local_publication_date(client):
    article = make_article(slug="dated", published_at=timezone.now())
    local = timezone.localtime(article.published_at)
    assert article.get_absolute_url() == f"/{local:%Y}/{local:%m}/{local:%d}/dated/"


def test_article_page_with_wrong_date_is_404(client):
    article = make_article(slug="dated", published_at=timezone.now() - timedelta(days=3))
    response = client.get(
        reverse(
            "articles:detail", kwargs={"year": 2001, "month": "01", "day": "01", "slug": "dated"}
        )
    )
    assert response.status_code == 404
    assert article.title not in response.content.decode()


def test_impossible_date_is_404_not_500(client):
    response = client.get("/2022/13/45/anything/")
    assert response.status_code == 404


@pytest.mark.parametrize(
    "status", [Article.Status.DRAFT, Article.Status.REVIEW, Article.Status.UNPUBLISHED]
)
def test_unpublished_article_page_is_the_sites_own_404(client, status):
    article = make_article(status=status)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_unknown_article_is_404(client):
    assert client.get("/2022/01/12/no-such-story/").status_code == 404


def test_article_body_is_sanitised_on_save():
    article = make_article(body='<p onclick="x()">Hi<script>alert(1)</script></p>')
    article.refresh_from_db()
    assert article.body == "<p>Hi</p>"


def test_section_page_lists_only_its_articles(client):
    europe = make_section(name="Europe", slug="europe")
    make_article(title="In Europe", section=europe)
    make_article(title="Elsewhere")
    html = client.get(europe.get_absolute_url()).content.decode()
    assert "In Europe" in html and "Elsewhere" not in html


def test_author_page_lists_their_articles(client):
    anna = make_user(username="anna", first_name="Anna", last_name="van Densky")
    make_article(title="Anna's report", authors=[anna])
    make_article(title="Someone else")
    html = client.get(anna.get_absolute_url()).content.decode()
    assert "Anna&#x27;s report" in html and "Someone else" not in html


@pytest.mark.parametrize("count", [3, 30])
def test_front_page_query_count_is_fixed(client, django_assert_num_queries, count):
    tags = [make_tag(), make_tag()]
    for n in range(count):
        article = make_article(
            authors=[make_user(), make_user()], section=make_section(), is_featured=n < 2
        )
        article.tags.set(tags)
    # featured + their authors, count (paginator) + latest with sections + their authors
    with django_assert_num_queries(5 + NEXT_GO_LIVE_QUERY):
        assert client.get(reverse("articles:front")).status_code == 200


@pytest.mark.parametrize("count", [1, 6])
def test_article_page_query_count_is_fixed(client, django_assert_num_queries, count):
    section = make_section()
    tags = [make_tag() for _ in range(count)]
    article = make_article(authors=[make_user() for _ in range(count)], section=section)
    article.tags.set(tags)
    for _ in range(count):
        make_article(section=section).tags.set(tags)
        article.corrections.create(text="Fixed a name.")
    # article + section, authors, tags, corrections, related, then the comments section
    # (pinned in tests/comments/test_thread.py)
    with django_assert_num_queries(5 + COMMENT_SECTION_QUERIES):
        assert client.get(article.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("count", [3, 30])
@pytest.mark.parametrize("page", ["section", "tag", "author", "archive", "search"])
def test_list_pages_query_count_is_fixed(client, django_assert_num_queries, page, count):
    section, tag, author = make_section(slug="s"), make_tag(slug="t"), make_user(username="u")
    when = timezone.now() - timedelta(minutes=5)
    for _ in range(count):
        article = make_article(
            section=section, authors=[author, make_user()], published_at=when, body="<p>x y</p>"
        )
        article.tags.add(tag, make_tag())
    local = timezone.localtime(when)
    url = {
        "section": reverse("articles:section", kwargs={"slug": "s"}),
        "tag": reverse("articles:tag", kwargs={"slug": "t"}),
        "author": reverse("articles:author", kwargs={"username": "u"}),
        "archive": reverse("articles:archive-year", kwargs={"year": f"{local:%Y}"}),
        "search": reverse("articles:search") + "?q=Article",
    }[page]
    # the section/tag/author itself (not for archive and search), count, articles, authors
    expected = 3 if page in {"archive", "search"} else 4
    # Listings the page cache stores also ask when the next scheduled article goes live (with
    # a cold cache, as here; afterwards once per go-live). Search pages are never stored.
    expected += 0 if page == "search" else NEXT_GO_LIVE_QUERY
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert len(response.context["articles"]) == min(count, 20)
