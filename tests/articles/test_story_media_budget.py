"""The article page with pictures and embeds in its body (issue 15) keeps a fixed number of
queries: the library images in one query, the embeds none (drawn from the body and the
settings), however many the body shows."""

import pytest

from tests.articles.test_media import body_with, upload
from tests.articles.test_views import COMMENT_SECTION_QUERIES
from tests.factories import make_article, make_member, make_section, make_tag

pytestmark = pytest.mark.django_db
VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
EMBED = f'<figure data-embed="youtube" data-url="{VIDEO}" data-title="A song"></figure>'
# article + section, authors, tags, related (tests/articles/test_views.py; no correction)
ARTICLE_QUERIES = 4 + COMMENT_SECTION_QUERIES
BODY_IMAGES_QUERY = 1


@pytest.mark.parametrize(
    ("images", "embeds", "queries"),
    [
        (0, 0, ARTICLE_QUERIES),
        (2, 1, ARTICLE_QUERIES + BODY_IMAGES_QUERY),
        (6, 4, ARTICLE_QUERIES + BODY_IMAGES_QUERY),
    ],
)
def test_article_page_with_body_images_and_embeds_keeps_a_fixed_number_of_queries(
    client, django_assert_num_queries, images, embeds, queries
):
    reporter = make_member("Reporter")
    section, tag = make_section(), make_tag()
    body = body_with(*[upload(reporter) for _ in range(images)]) + "<p>Watch:</p>" + EMBED * embeds
    article = make_article(body=body, section=section)
    article.tags.set([tag])
    make_article(section=section).tags.set([tag])  # something related to show
    url = article.get_absolute_url()
    with django_assert_num_queries(queries):
        html = client.get(url).content.decode()
    assert html.count('class="body-image') == images
    assert html.count('class="embed embed-youtube"') == embeds
