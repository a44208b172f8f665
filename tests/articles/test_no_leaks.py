"""Nothing unpublished or scheduled for later is visible anywhere a reader can look."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_section, make_tag, make_user

pytestmark = pytest.mark.django_db
Status = Article.Status
SECRET = "Zanzibar"  # a word only the hidden article contains
# What would give the article away (the search page echoes the query itself).
MARKERS = ["Zanzibar story", "zanzibar-story", "Zanzibar correction", "<p>Zanzibar</p>"]


def shows(body: str) -> bool:
    return any(marker in body for marker in MARKERS)


@pytest.fixture
def scene():
    """A live article and a hidden one sharing section, tag, author and day."""
    section, tag, author = make_section(slug="europe"), make_tag(slug="nato"), make_user()
    now = timezone.now()
    live = make_article(title="Live story", section=section, authors=[author], published_at=now)
    live.tags.add(tag)
    hidden = make_article(
        title=f"{SECRET} story",
        slug="zanzibar-story",
        body=f"<p>{SECRET}</p>",
        section=section,
        authors=[author],
        published_at=now - timedelta(minutes=1),
    )
    hidden.tags.add(tag)
    hidden.corrections.create(text=f"{SECRET} correction")
    return {"live": live, "hidden": hidden, "section": section, "tag": tag, "author": author}


def reader_urls(scene) -> list[str]:
    local = timezone.localtime(scene["live"].published_at)
    slug, username = {"slug": "europe"}, {"username": scene["author"].username}
    day = {"year": f"{local:%Y}", "month": f"{local:%m}", "day": f"{local:%d}"}
    return [
        reverse("articles:front"),
        reverse("articles:section", kwargs=slug),
        reverse("articles:tag", kwargs={"slug": "nato"}),
        reverse("articles:author", kwargs=username),
        reverse("articles:archive-day", kwargs=day),
        reverse("articles:search") + f"?q={SECRET}",
        reverse("articles:corrections"),
        reverse("articles:feed-rss"),
        reverse("articles:section-feed-atom", kwargs=slug),
        reverse("articles:tag-feed-rss", kwargs={"slug": "nato"}),
        reverse("articles:author-feed-atom", kwargs=username),
        reverse("articles:sitemap"),
        reverse("articles:news-sitemap"),
        scene["live"].get_absolute_url(),  # related articles
    ]


def hide(article: Article, how: str) -> None:
    if how == "scheduled later":
        article.status = Status.SCHEDULED
        article.published_at = timezone.now() + timedelta(hours=1)
    else:
        article.status = how
    article.save()


@pytest.mark.parametrize(
    "how", [Status.DRAFT, Status.REVIEW, Status.UNPUBLISHED, "scheduled later"]
)
def test_hidden_article_appears_nowhere(client, scene, how):
    hide(scene["hidden"], how)
    for url in reader_urls(scene):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not shows(response.content.decode()), url
    assert client.get(scene["hidden"].get_absolute_url()).status_code == 404


def test_the_same_pages_do_show_it_once_published(client, scene):
    """The check above can fail: published, the article is on every one of those pages."""
    urls = reader_urls(scene)
    missing = [url for url in urls if not shows(client.get(url).content.decode())]
    assert missing == []


def test_scheduled_article_is_everywhere_from_its_time(client, scene):
    hide(scene["hidden"], "scheduled later")
    Article.objects.filter(pk=scene["hidden"].pk).update(
        published_at=timezone.now() - timedelta(seconds=1)
    )
    urls = reader_urls(scene)
    missing = [url for url in urls if not shows(client.get(url).content.decode())]
    assert missing == []
