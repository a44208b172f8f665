"""Related articles kept as a fragment: reused while no article changed, expired by any
publish or unpublish (they change which articles are related)."""

import pytest

from articles import services
from articles.models import Article
from tests.factories import make_article, make_member, make_ready_draft, make_section

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fragments_only")]


def related_block(html: str) -> str:
    return html[html.index('class="related') :] if 'class="related' in html else ""


def test_related_articles_are_read_once_then_expired_by_a_publish(
    client, django_assert_num_queries
):
    section = make_section()
    article = make_article(section=section)
    make_article(title="Older neighbour", section=section)
    url = article.get_absolute_url()
    assert "Older neighbour" in related_block(client.get(url).content.decode())
    # No query at all: the article is kept too (test_article_fragment.py), and so are the
    # related list, the thread and the login icons.
    with django_assert_num_queries(0):
        client.get(url)
    editor = make_member("Editor")
    draft = make_ready_draft(title="Fresh neighbour", section=section)
    services.article_publish(article=draft, by=editor)
    html = related_block(client.get(url).content.decode())
    assert "Fresh neighbour" in html
    services.article_unpublish(article=Article.objects.get(pk=draft.pk), by=editor)
    assert "Fresh neighbour" not in related_block(client.get(url).content.decode())


def test_related_articles_read_only_the_columns_the_list_shows(client):
    from articles.views import related_articles

    section = make_section()
    article = make_article(section=section)
    make_article(title="Neighbour", section=section, standfirst="Never shown in the list.")
    [neighbour] = related_articles(article)
    # The body, standfirst, lead image and the rest stay in the database (a cold page's
    # related list built 0.7-1.2 ms faster in-process at benchmark size).
    assert {"body", "standfirst", "lead_image"} <= neighbour.get_deferred_fields()
    assert (neighbour.title, neighbour.section.name) == ("Neighbour", section.name)
    assert neighbour.get_absolute_url() in related_block(
        client.get(article.get_absolute_url()).content.decode()
    )
