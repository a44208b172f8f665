"""A character XML 1.0 cannot hold (a control, say, stored before the rules refused it, or
typed into the admin) is left out of the feeds; the feed still answers, as well-formed XML."""

from xml.etree import ElementTree

import pytest
from django.urls import reverse

from articles.models import Article, Section, Tag
from comments.models import Comment
from tests.comments.helpers import make_comment
from tests.factories import make_article, make_section, make_tag, make_user

pytestmark = pytest.mark.django_db

# One of each kind XML 1.0 has no place for: C0 controls (but tab, LF, CR) and the two
# noncharacters U+FFFE and U+FFFF. (NUL too, but PostgreSQL cannot even store it.)
BAD = "\x01\x07\x08\x0b\x0c\x1b\x1f\ufffe\uffff"


def well_formed(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    ElementTree.fromstring(response.content)  # noqa: S314 - our own output; raises on bad XML
    return response.content.decode()


@pytest.fixture
def article():
    author = make_user(username="anna")
    article = make_article(authors=[author], section=make_section(slug="europe"))
    article.tags.add(make_tag(slug="nato"))
    # Written past every form and service, as an old row or a direct edit would be.
    Article.objects.filter(pk=article.pk).update(
        title=f"Bell{BAD} title", standfirst=f"Stand{BAD}first", body=f"<p>Body{BAD} text</p>"
    )
    Section.objects.filter(slug="europe").update(name=f"Eu{BAD}rope")
    Tag.objects.filter(slug="nato").update(name=f"NA{BAD}TO")
    type(author).objects.filter(pk=author.pk).update(display_name=f"An{BAD}na")
    return article


@pytest.mark.parametrize("content", ["full", "summary"])
@pytest.mark.parametrize("kind", ["rss", "atom"])
@pytest.mark.parametrize(
    "scope, kwargs",
    [
        ("", {}),
        ("section-", {"slug": "europe"}),
        ("tag-", {"slug": "nato"}),
        ("author-", {"username": "anna"}),
    ],
)
def test_article_feeds_leave_out_what_xml_cannot_hold(
    client, settings, article, content, kind, scope, kwargs
):
    settings.ARTICLES_FEED_CONTENT = content
    xml = well_formed(client, reverse(f"articles:{scope}feed-{kind}", kwargs=kwargs))
    assert "Bell title" in xml and "Anna" in xml
    assert ("Standfirst" if content == "summary" else "Body text") in xml


@pytest.mark.parametrize("feed", ["comments:feed", "comments:article-feed"])
def test_comment_feeds_leave_out_what_xml_cannot_hold(client, article, feed):
    Article.objects.filter(pk=article.pk).update(title="Plain title")
    guest = make_comment(article)
    member = make_comment(article, user=make_user(display_name="Member"), name="")
    Comment.objects.filter(pk=guest.pk).update(body=f"Ring{BAD} ring", name=f"Gu{BAD}est")
    type(member.user).objects.filter(pk=member.user_id).update(display_name=f"Mem{BAD}ber")
    kwargs = {"article_id": article.pk} if feed == "comments:article-feed" else {}
    xml = well_formed(client, reverse(feed, kwargs=kwargs))
    assert "Ring ring" in xml and "Guest on Plain title" in xml and "Member on" in xml
