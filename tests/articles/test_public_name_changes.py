"""A person's public name or picture changes: every cached page that shows it expires at
once (their articles' bylines, the listings' cards, their author page, the threads they
commented in), and a save that changes none of it expires nothing."""

import pytest
from django.urls import reverse

from articles import caching
from core import pagecache
from tests.comments.helpers import make_comment
from tests.factories import make_article, make_section, make_user

pytestmark = pytest.mark.django_db


def test_an_authors_new_name_shows_at_once_on_cached_article_front_and_author_pages(client):
    author = make_user(username="ann", display_name="Ann Old")
    article = make_article(authors=[author], section=make_section())
    author_page = reverse("articles:author", kwargs={"username": "ann"})
    pages = [article.get_absolute_url(), reverse("articles:front"), author_page]
    for url in pages:  # cached now
        assert "Ann Old" in client.get(url).content.decode()
    assert "Ann Old" in client.get(pages[0]).content.decode()  # served from the cache
    author.display_name = "Ann New"
    author.save()
    for url in pages:
        html = client.get(url).content.decode()
        assert "Ann New" in html and "Ann Old" not in html, url


@pytest.mark.usefixtures("fragments_only")
def test_the_kept_article_of_a_logged_in_reader_carries_the_new_byline(client):
    author = make_user(display_name="Bo Old")
    article = make_article(authors=[author])
    client.force_login(make_user())
    assert "Bo Old" in client.get(article.get_absolute_url()).content.decode()
    author.display_name = "Bo New"
    author.save(update_fields=["display_name"])
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Bo New" in html and "Bo Old" not in html


def test_a_commenters_new_name_shows_at_once_in_every_cached_thread(client):
    reader = make_user(display_name="Cy Old")
    articles = [make_article(), make_article()]
    for article in articles:
        make_comment(article, user=reader, name="")
        assert "Cy Old" in client.get(article.get_absolute_url()).content.decode()
    reader.display_name = "Cy New"
    reader.save()
    for article in articles:
        html = client.get(article.get_absolute_url()).content.decode()
        assert "Cy New" in html and "Cy Old" not in html


def test_a_save_that_changes_nothing_public_expires_nothing():
    author = make_user(display_name="Di")
    article = make_article(authors=[author])
    make_comment(article, user=author, name="")
    scope = caching.article_scope(article.pk)
    before = pagecache.scope_versions([scope, caching.FRONT])
    author.email = "di@elsewhere.example"
    author.save()
    author.save(update_fields=["last_login"])
    assert pagecache.scope_versions([scope, caching.FRONT]) == before


def test_a_renamed_author_keeps_the_old_url_and_the_save_reads_the_stored_row_once(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    author = make_user(username="eve", display_name="Eve")
    make_article(authors=[author])
    with CaptureQueriesContext(connection) as queries:
        author.username = "eve-renamed"
        author.save()
    table = author._meta.db_table
    by_pk = f'FROM "{table}" WHERE "{table}"."id" = '
    stored_reads = [q["sql"] for q in queries if by_pk in q["sql"]]
    assert len(stored_reads) == 1, stored_reads  # accounts' read, shared through its signal
    old = client.get(reverse("articles:author", kwargs={"username": "eve"}))
    assert old.status_code == 301
    assert old["Location"].endswith(reverse("articles:author", kwargs={"username": "eve-renamed"}))
