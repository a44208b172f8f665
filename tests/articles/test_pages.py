"""Reader pages beyond the front page: tags, archives, search, corrections, previews, SEO."""

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, PreviewLink, PreviewView
from tests.factories import (
    make_article,
    make_member,
    make_ready_draft,
    make_section,
    make_tag,
    make_user,
)

pytestmark = pytest.mark.django_db
Status = Article.Status


def hidden_articles(**overrides) -> list[Article]:
    """One article in every state a reader must never see."""
    future = timezone.now() + timedelta(hours=1)
    hidden = [
        make_article(title=f"Hidden {status}", status=status, **overrides)
        for status in (Status.DRAFT, Status.REVIEW, Status.UNPUBLISHED)
    ]
    hidden.append(
        make_article(
            title="Hidden later", status=Status.SCHEDULED, published_at=future, **overrides
        )
    )
    return hidden


def test_tag_page_lists_its_published_articles_only(client):
    tag = make_tag(name="NATO", slug="nato")
    make_article(title="Tagged story").tags.add(tag)
    make_article(title="Untagged story")
    for article in hidden_articles():
        article.tags.add(tag)
    html = client.get(tag.get_absolute_url()).content.decode()
    assert "Tagged story" in html and "Untagged" not in html and "Hidden" not in html


def test_author_page_shows_bio_and_hides_unpublished(client):
    anna = make_user(username="anna", first_name="Anna", last_name="V", bio="Brussels <b>desk</b>")
    make_article(title="Anna live", authors=[anna])
    hidden_articles(authors=[anna])
    html = client.get(anna.get_absolute_url()).content.decode()
    assert "Anna live" in html and "Hidden" not in html
    assert "Brussels &lt;b&gt;desk&lt;/b&gt;" in html


def test_front_page_puts_featured_first(client):
    make_article(title="Latest plain", published_at=timezone.now())
    make_article(
        title="Older featured", is_featured=True, published_at=timezone.now() - timedelta(days=3)
    )
    html = client.get("/").content.decode()
    assert html.index("Older featured") < html.index("Latest plain")


def test_front_page_paginates(client):
    for _ in range(25):
        make_article()
    first = client.get("/")
    second = client.get("/?page=2")
    assert len(first.context["articles"]) == 20 and len(second.context["articles"]) == 5
    assert client.get("/?page=9").status_code == 404


@pytest.mark.parametrize("level", ["year", "month", "day"])
def test_date_archives(client, level):
    when = timezone.make_aware(timezone.datetime(2022, 1, 12, 18, 30))
    make_article(title="On the day", published_at=when)
    make_article(title="Next year", published_at=when + timedelta(days=366))
    make_article(title="Draft that day", published_at=when, status=Status.DRAFT)
    kwargs = {"year": "2022", "month": "01", "day": "12"}
    keys = {"year": ["year"], "month": ["year", "month"], "day": ["year", "month", "day"]}[level]
    url = reverse(f"articles:archive-{level}", kwargs={k: kwargs[k] for k in keys})
    html = client.get(url).content.decode()
    assert "On the day" in html and "Next year" not in html and "Draft that day" not in html


def test_impossible_archive_date_is_404(client):
    assert client.get("/2022/02/30/").status_code == 404


def test_search_finds_published_articles_only(client):
    make_article(title="Council meets in Brussels", body="<p>Ambassadors talked.</p>")
    make_article(title="Unrelated")
    hidden_articles(body="<p>Ambassadors hidden.</p>")
    response = client.get(reverse("articles:search"), {"q": "ambassadors"})
    titles = [a.title for a in response.context["articles"]]
    assert titles == ["Council meets in Brussels"]


def test_search_ranks_headline_matches_first_and_paginates(client):
    make_article(title="Other news", body="<p>" + "budget " * 3 + "</p>")
    make_article(
        title="Budget agreed",
        body="<p>Nothing else.</p>",
        published_at=timezone.now() - timedelta(days=5),
    )
    for _ in range(21):
        make_article(body="<p>The budget.</p>")
    response = client.get(reverse("articles:search"), {"q": "budget"})
    assert response.context["paginator"].count == 23
    from django.db import connection

    if connection.vendor == "postgresql":
        assert response.context["articles"][0].title == "Budget agreed"
    assert 'href="?q=budget&amp;page=2"' in response.content.decode()


def test_empty_search_shows_the_form_and_no_results(client):
    response = client.get(reverse("articles:search"), {"q": "   "})
    assert response.status_code == 200 and list(response.context["articles"]) == []


def test_search_query_is_escaped(client):
    html = client.get(reverse("articles:search"), {"q": "<script>x</script>"}).content.decode()
    assert "<script>x" not in html and "&lt;script&gt;x" in html


def test_article_page_shows_tags_corrections_lead_image_and_related(client):
    section = make_section()
    tag = make_tag(name="Security")
    article = make_ready_draft(
        status=Status.PUBLISHED,
        published_at=timezone.now() - timedelta(hours=1),
        section=section,
        lead_image_caption="The table",
        lead_image_credit="NATO",
    )
    article.tags.add(tag)
    make_article(title="Same section", section=section)
    make_article(title="Same tag").tags.add(tag)
    make_article(title="Not related")
    hidden_articles(section=section)
    services.correction_add(article=article, by=make_member("Editor"), text="The date was wrong.")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Security" in html and "The date was wrong." in html
    assert "Same section" in html and "Same tag" in html and "Not related" not in html
    assert "Hidden" not in html
    assert 'alt="A red square"' in html and "Photo: NATO" in html
    img = re.search(r"<img [^>]+>", html).group(0)
    assert 'width="64"' in img and 'height="48"' in img and "srcset=" in img
    assert 'type="image/webp"' in html


def test_related_articles_are_ranked_among_a_bounded_set_of_newest_candidates(monkeypatch):
    """The same cost at any section size: only the newest few of each kind are ranked."""
    from articles import views

    monkeypatch.setattr(views, "RELATED_CANDIDATES", 3)
    monkeypatch.setattr(views, "RELATED_COUNT", 10)  # room for more: the bound is what cuts
    section, tag = make_section(), make_tag(name="Energy")
    now = timezone.now()
    article = make_article(section=section, published_at=now - timedelta(days=30))
    article.tags.add(tag)
    old_tagged = make_article(title="Old tagged", published_at=now - timedelta(days=40))
    old_tagged.tags.add(tag)
    make_article(title="Old in section", section=section, published_at=now - timedelta(days=50))
    for day in range(1, 4):
        make_article(title=f"New {day}", section=section, published_at=now - timedelta(days=day))
    titles = [related.title for related in views.related_articles(article)]
    assert titles == ["Old tagged", "New 1", "New 2", "New 3"]  # shared tag first
    assert "Old in section" not in titles


def test_an_untagged_article_relates_the_newest_others_of_its_section():
    """No tags to rank by: the newest live articles of the section, itself, drafts, future
    ones and other sections left out (the plain read kept for untagged articles)."""
    from articles import views

    section, now = make_section(), timezone.now()
    article = make_article(section=section, published_at=now - timedelta(days=1))
    newest = [
        make_article(title=f"In section {n}", section=section, published_at=now - timedelta(n))
        for n in (0.1, 2, 3, 4)
    ]
    make_article(title="Oldest", section=section, published_at=now - timedelta(days=9))
    make_article(title="Draft", section=section, status="draft")
    make_article(title="Elsewhere", section=make_section(), published_at=now)
    make_article(
        title="Tomorrow", section=section, status="scheduled", published_at=now + timedelta(1)
    )
    assert views.RELATED_COUNT == len(newest)
    assert [related.pk for related in views.related_articles(article)] == [a.pk for a in newest]
    assert views.related_articles(make_article(section=None)) == []


def test_share_links_carry_the_page_address_encoded(client):
    article = make_article(title="Talks & tariffs: what's next?")
    html = client.get(article.get_absolute_url()).content.decode()
    path = article.get_absolute_url()
    quoted = "http%3A%2F%2Ftestserver" + path  # slashes stay, as the urlencode filter left them
    assert f'href="https://www.facebook.com/sharer/sharer.php?u={quoted}"' in html
    title = "Talks%20%26%20tariffs%3A%20what%27s%20next%3F"
    assert f"mailto:?subject={title}&amp;body={quoted}" in html
    assert f'<meta property="og:url" content="http://testserver{path}">' in html


def test_share_links_load_no_third_party_script(client):
    html = client.get(make_article().get_absolute_url()).content.decode()
    assert "Share:" in html
    scripts = re.findall(r"<script[^>]*>", html)
    # JSON-LD data, or the site's own files (the comment form's enhancement): nothing else
    assert scripts
    assert all(
        'type="application/ld+json"' in tag or re.search(r'src="/static/[^"]+"', tag)
        for tag in scripts
    )


def test_article_page_has_canonical_open_graph_twitter_and_json_ld(client):
    article = make_article(title='Quotes " and </script><script>alert(1)</script>')
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'<link rel="canonical" href="http://testserver{article.get_absolute_url()}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in raw
    data = json.loads(raw)
    assert data["@type"] == "NewsArticle" and data["headline"] == article.title
    assert (
        data["url"] == data["mainEntityOfPage"] == f"http://testserver{article.get_absolute_url()}"
    )
    assert "<script>alert(1)" not in html


def test_corrections_page_lists_corrections_of_live_articles(client):
    editor = make_member("Editor")
    live = make_article(title="Live story")
    services.correction_add(article=live, by=editor, text="A name was misspelt.")
    unpublished = make_article(title="Pulled story")
    services.correction_add(article=unpublished, by=editor, text="Secret fix.")
    services.article_unpublish(article=unpublished, by=editor)
    html = client.get(reverse("articles:corrections")).content.decode()
    assert "A name was misspelt." in html and "Secret fix." not in html


def test_staff_preview_shows_a_draft_to_its_editor_not_to_readers(client):
    article = make_ready_draft(title="Draft preview")
    url = reverse("articles:preview", kwargs={"pk": article.pk})
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(make_user())
    assert client.get(url).status_code == 404
    client.force_login(make_member("Reporter"))  # not theirs
    assert client.get(url).status_code == 404
    client.force_login(make_member("Editor"))
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200 and "Draft preview" in html
    assert 'content="noindex, nofollow"' in html and "not visible to readers" in html


def test_preview_link_works_until_revoked_and_logs_each_view(client):
    article = make_ready_draft(title="Embargoed")
    link = PreviewLink.objects.create(article=article, created_by=make_member("Editor"))
    assert link.expires_at - timezone.now() > timedelta(days=6, hours=23)
    assert "Embargoed" in client.get(link.get_absolute_url()).content.decode()
    client.get(link.get_absolute_url(), HTTP_USER_AGENT="Reviewer/1.0")
    assert list(PreviewView.objects.values_list("user_agent", flat=True)) == ["Reviewer/1.0", ""]
    link.revoked_at = timezone.now()
    link.save()
    assert client.get(link.get_absolute_url()).status_code == 404


def test_expired_preview_link_is_404(client):
    link = PreviewLink.objects.create(
        article=make_ready_draft(), expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert client.get(link.get_absolute_url()).status_code == 404
    assert not PreviewView.objects.exists()


def test_robots_txt_points_at_the_sitemaps(client):
    response = client.get("/robots.txt")
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in text and "Sitemap: http://testserver/sitemap.xml" in text
