"""The article a page shows is kept as a fragment (articles.caching.cached_live_article): a reader
past the page cache (a logged-in one) skips its four queries until its page changes."""

import re

import pytest
from django.utils import timezone

from articles import services
from articles.models import Article, Tag
from core import pagecache
from tests.factories import make_article, make_member, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fragments_only")]


def without_token(html: str) -> str:
    return re.sub(r'name="token" value="[^"]*"', "", html)


def test_the_second_reader_costs_no_query_and_sees_the_same_page(client, django_assert_num_queries):
    article = make_article(title="Brussels talks", dateline="BRUSSELS")
    url = article.get_absolute_url()
    first = client.get(url).content.decode()
    with django_assert_num_queries(0):
        second = client.get(url).content.decode()
    # The same page but the comment form's signed token, which carries the time.
    assert without_token(second) == without_token(first)
    assert "Brussels talks" in second


def test_what_expires_the_article_page_expires_the_kept_article(client):
    article = make_article()
    url = article.get_absolute_url()
    assert 'id="commentform"' in client.get(url).content.decode()
    Article.objects.filter(pk=article.pk).update(comments_open=False)
    pagecache.invalidate(f"article:{article.pk}")
    assert 'id="commentform"' not in client.get(url).content.decode()


def test_an_edit_of_the_article_shows_at_once(client):
    article = make_article(title="Old headline")
    url = article.get_absolute_url()
    client.get(url)
    Article.objects.filter(pk=article.pk).update(title="New headline")
    services.article_mark_revised(article=Article.objects.get(pk=article.pk))
    assert "New headline" in client.get(url).content.decode()


def test_a_correction_shows_at_once(client):
    article = make_article()
    url = article.get_absolute_url()
    client.get(url)
    services.correction_add(article=article, by=make_member("Editor"), text="A date was wrong.")
    assert "A date was wrong." in client.get(url).content.decode()


def test_an_unpublished_article_is_gone_at_once(client):
    article = make_article()
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200
    services.article_unpublish(article=article, by=make_member("Editor"))
    assert client.get(url).status_code == 404


def test_a_deleted_article_is_gone_at_once(client):
    article = make_article()
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200
    Article.objects.get(pk=article.pk).delete()
    assert client.get(url).status_code == 404


def test_a_missing_article_is_not_kept(client):
    article = make_article(status=Article.Status.DRAFT)
    url = article.get_absolute_url()
    assert client.get(url).status_code == 404
    # Published behind the cache's back (no event): the 404 was not kept.
    Article.objects.filter(pk=article.pk).update(status=Article.Status.PUBLISHED)
    assert client.get(url).status_code == 200


def test_tags_and_bylines_come_with_the_kept_article(client):
    author = make_user(username="anna", display_name="Anna Correspondent")
    article = make_article(authors=[author])
    article.tags.add(Tag.objects.create(name="NATO", slug="nato"))
    url = article.get_absolute_url()
    client.get(url)
    html = client.get(url).content.decode()
    assert "Anna Correspondent" in html
    assert 'rel="tag">NATO</a>' in html


def test_no_password_hash_is_kept_with_the_bylines():
    from django.core.cache import cache

    from articles.caching import cached_article_shape as kept_article_shape
    from articles.views import live_article

    author = make_user(username="anna")
    article = make_article(authors=[author])
    kept = live_article(timezone.localdate(article.published_at), article.slug)
    assert "password" not in kept.authors.all()[0].__dict__
    stored = cache.get(f"pagecache:fragment:article:{article.pk}:{kept_article_shape()}")[1]
    assert stored.authors.all()[0].username == "anna"
    assert "password" not in stored.authors.all()[0].__dict__


def test_a_change_of_columns_names_another_kept_article(monkeypatch):
    from articles import caching as views

    before = views.cached_article_shape()
    views.cached_article_shape.cache_clear()
    monkeypatch.setattr(Article._meta, "concrete_fields", Article._meta.concrete_fields[:-1])
    try:
        assert views.cached_article_shape() != before
    finally:
        views.cached_article_shape.cache_clear()
