"""Stable URLs: old addresses of renamed articles, sections, tags and authors answer 301
to the current one; editors add manual redirects; redirects are read only on a 404."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles import services
from articles.models import Article, Redirect
from core import pagecache
from tests.articles.test_admin import change_url, editor_form_data
from tests.comments.helpers import COMMENT_SECTION_QUERIES, make_comment
from tests.factories import (
    make_article,
    make_member,
    make_ready_draft,
    make_section,
    make_tag,
    make_user,
)

pytestmark = pytest.mark.django_db
ADD_URL = reverse("admin:articles_redirect_add")


def rename(obj, **fields):
    """Change fields the way every caller does: assign, then save()."""
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()


def assert_redirect(response, url: str, status: int = 301) -> None:
    assert response.status_code == status, response.status_code
    assert response["Location"] == url


def test_slug_change_answers_301_from_the_old_url(client):
    article = make_article(slug="old-slug")
    old = article.get_absolute_url()
    rename(article, slug="new-slug")
    assert_redirect(client.get(old), article.get_absolute_url())
    assert client.get(article.get_absolute_url()).status_code == 200


def test_date_change_answers_301_from_the_old_url(client):
    article = make_article(published_at=timezone.now() - timedelta(days=3))
    old = article.get_absolute_url()
    rename(article, published_at=article.published_at - timedelta(days=30))
    assert article.get_absolute_url() != old
    assert_redirect(client.get(old), article.get_absolute_url())


def test_a_time_change_on_the_same_day_records_nothing():
    article = make_article(published_at=timezone.now() - timedelta(days=3))
    rename(article, published_at=article.published_at.replace(second=7))
    assert not Redirect.objects.exists()


def test_thread_page_and_reply_links_keep_their_query_string(client):
    article = make_article(slug="old-thread")
    old = article.get_absolute_url()
    rename(article, slug="new-thread")
    response = client.get(old, {"cpage": "2", "corder": "newest"})
    assert_redirect(response, f"{article.get_absolute_url()}?cpage=2&corder=newest")
    response = client.get(f"{old}?replytocom=7")
    assert_redirect(response, f"{article.get_absolute_url()}?replytocom=7")


def test_comment_permalink_and_article_comment_feed_lead_to_the_new_url(client):
    """Both are addressed by id, so a rename cannot break them; they must name the new URL."""
    article = make_article(slug="before")
    comment = make_comment(article)
    rename(article, slug="after")
    response = client.get(comment.get_absolute_url())
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    feed = client.get(reverse("comments:article-feed", args=[article.pk])).content.decode()
    assert article.get_absolute_url() in feed and "/before/" not in feed


def test_old_url_with_a_suffix_that_is_no_page_stays_404(client):
    article = make_article(slug="first")
    old = article.get_absolute_url()
    rename(article, slug="second")
    assert client.get(f"{old}nothing-here/").status_code == 404


def test_a_chain_of_renames_redirects_in_one_hop(client):
    article = make_article(slug="a-slug")
    first = article.get_absolute_url()
    rename(article, slug="b-slug")
    second = article.get_absolute_url()
    rename(article, slug="c-slug")
    assert_redirect(client.get(first), article.get_absolute_url())
    assert_redirect(client.get(second), article.get_absolute_url())


def test_renaming_back_leaves_no_redirect_on_the_current_url(client):
    article = make_article(slug="here")
    rename(article, slug="there")
    rename(article, slug="here")
    assert not Redirect.objects.filter(old_path=article.get_absolute_url()).exists()
    assert client.get(article.get_absolute_url()).status_code == 200


def test_an_old_url_taken_by_another_article_shows_that_article(client):
    when = timezone.now() - timedelta(days=2)
    first = make_article(slug="taken", title="First story", published_at=when)
    old = first.get_absolute_url()
    rename(first, slug="moved-away")
    make_article(slug="taken", title="Second story", published_at=when + timedelta(minutes=1))
    response = client.get(old)
    assert response.status_code == 200
    assert "Second story" in response.content.decode()


def test_unpublished_article_redirects_nowhere(client):
    editor = make_member("Editor")
    article = make_ready_draft(slug="gone")
    services.article_publish(article=article, by=editor)
    old = article.get_absolute_url()
    rename(article, slug="gone-renamed")
    services.article_unpublish(article=article, by=editor)
    assert client.get(old).status_code == 404
    assert client.get(article.get_absolute_url()).status_code == 404


def test_renaming_a_draft_records_nothing(client):
    article = make_ready_draft(slug="draft-one")
    rename(article, slug="draft-two")
    assert not Redirect.objects.exists()


def test_renaming_a_scheduled_article_before_its_time_records_nothing():
    article = make_article(
        slug="later",
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(days=1),
    )
    rename(article, slug="later-still")
    assert not Redirect.objects.exists()


def live_form(article, **overrides) -> dict:
    """The change form of a live article as an editor posts it."""
    local = timezone.localtime(article.published_at)
    return editor_form_data(
        article,
        published_at_0=local.strftime("%d/%m/%Y"),
        published_at_1=local.strftime("%H:%M:%S.%f"),
        **{"corrections-TOTAL_FORMS": "0", "corrections-INITIAL_FORMS": "0"},
        **overrides,
    )


def test_slug_changed_in_the_admin_redirects(client):
    editor = make_member("Editor")
    article = make_ready_draft(slug="admin-old")
    services.article_publish(article=article, by=editor)
    old = article.get_absolute_url()
    client.force_login(editor)
    response = client.post(change_url(article), live_form(article, slug="admin-new"))
    assert response.status_code == 302
    article.refresh_from_db()
    client.logout()
    assert_redirect(client.get(old), article.get_absolute_url())


def test_restoring_a_revision_with_another_slug_redirects_the_old_url(client):
    editor = make_member("Editor")
    article = make_ready_draft(slug="restored")
    services.article_publish(article=article, by=editor)
    client.force_login(editor)
    assert client.post(change_url(article), live_form(article)).status_code == 302
    article.refresh_from_db()  # the form states the version it was opened at
    form = live_form(article, slug="current")
    assert client.post(change_url(article), form).status_code == 302
    article.refresh_from_db()
    current = article.get_absolute_url()
    version = Version.objects.get_for_object(article).last()  # the "restored" slug
    url = reverse("admin:articles_article_revision", args=[article.pk, version.pk])
    assert client.post(url, live_form(article, slug="restored")).status_code == 302
    article.refresh_from_db()
    assert article.slug == "restored" and article.status == Article.Status.PUBLISHED
    client.logout()
    assert_redirect(client.get(current), article.get_absolute_url())


def test_a_cached_old_url_is_not_served_after_the_rename(client, settings):
    settings.PAGECACHE_RACE_MARGIN = 0
    pagecache.forget_local()
    article = make_article(slug="cached-old")
    old = article.get_absolute_url()
    assert client.get(old).status_code == 200
    assert client.get(old)["X-Page-Cache"] == "HIT"
    rename(article, slug="cached-new")
    assert_redirect(client.get(old), article.get_absolute_url())


def test_a_kept_article_fragment_does_not_answer_the_old_url(client, fragments_only):
    article = make_article(slug="kept-old")
    old = article.get_absolute_url()
    assert client.get(old).status_code == 200  # kept, and its URL remembered
    rename(article, slug="kept-new")
    assert_redirect(client.get(old), article.get_absolute_url())


@pytest.mark.parametrize("kind", ["section", "tag"])
@pytest.mark.parametrize("suffix", ["", "?page=2", "feed/rss/", "feed/atom/"])
def test_section_and_tag_renames_redirect_listing_and_feeds(client, kind, suffix):
    obj = make_section(slug="old-name") if kind == "section" else make_tag(slug="old-name")
    old = obj.get_absolute_url()
    rename(obj, slug="new-name")
    assert_redirect(client.get(old + suffix), obj.get_absolute_url() + suffix)


@pytest.mark.parametrize("suffix", ["", "?page=2", "feed/rss/", "feed/atom/"])
def test_author_rename_redirects_listing_and_feeds(client, suffix):
    author = make_user(username="oldname")
    make_article(authors=[author])
    old = author.get_absolute_url()
    rename(author, username="newname")
    assert_redirect(client.get(old + suffix), author.get_absolute_url() + suffix)


def test_a_cached_section_page_is_not_served_after_the_rename(client, settings):
    settings.PAGECACHE_RACE_MARGIN = 0
    pagecache.forget_local()
    section = make_section(slug="desk-old")
    old = section.get_absolute_url()
    client.get(old)
    assert client.get(old)["X-Page-Cache"] == "HIT"
    rename(section, slug="desk-new")
    assert_redirect(client.get(old), section.get_absolute_url())


def test_a_reused_section_slug_shows_the_new_section(client):
    section = make_section(slug="reused", name="First desk")
    old = section.get_absolute_url()
    rename(section, slug="elsewhere")
    make_section(slug="reused", name="Second desk")
    response = client.get(old)
    assert response.status_code == 200 and "Second desk" in response.content.decode()


def test_a_reader_changing_username_leaves_no_public_trace():
    reader = make_user(username="private-reader")
    rename(reader, username="other-name")
    assert not Redirect.objects.exists()


# --- Manual redirects in the admin ------------------------------------------------------


@pytest.fixture
def editor_client(client):
    client.force_login(make_member("Editor", is_superuser=False))
    return client


def manual(client, **data):
    form = {"old_path": "", "article": "", "target_url": "", "status_code": "301"} | data
    return client.post(ADD_URL, form, follow=True)


@pytest.mark.parametrize("status", [301, 302])
def test_manual_redirect_to_a_url_answers_and_counts_hits(editor_client, status):
    section = make_section(slug="politics")
    response = manual(
        editor_client, old_path="/elections/", target_url="/section/politics/", status_code=status
    )
    assert response.status_code == 200 and Redirect.objects.count() == 1
    editor_client.logout()
    assert_redirect(
        editor_client.get("/elections/?page=2"), f"{section.get_absolute_url()}?page=2", status
    )
    editor_client.get("/elections/")
    redirect = Redirect.objects.get()
    assert redirect.hits == 2 and redirect.last_hit_at is not None


def test_manual_redirect_to_an_article_follows_its_renames(editor_client):
    article = make_article(slug="target-one")
    manual(editor_client, old_path="/promo/", article=article.pk, status_code="302")
    rename(article, slug="target-two")
    editor_client.logout()
    assert_redirect(editor_client.get("/promo/"), article.get_absolute_url(), 302)


def test_the_admin_list_shows_hits_and_where_each_path_leads(editor_client):
    Redirect.objects.create(old_path="/counted/", target_url="/corrections/", hits=41)
    section = make_section(slug="desk-a", name="Europe desk")
    rename(section, slug="desk-b")
    html = editor_client.get(reverse("admin:articles_redirect_changelist")).content.decode()
    assert "/counted/" in html and ">41<" in html and "/corrections/" in html
    assert "/section/desk-a/" in html and "Europe desk (/section/desk-b/)" in html
    assert editor_client.get(ADD_URL).status_code == 200


def test_an_editor_may_send_a_recorded_path_elsewhere(editor_client):
    section = make_section(slug="desk-c")
    rename(section, slug="desk-d")
    redirect = Redirect.objects.get()
    url = reverse("admin:articles_redirect_change", args=[redirect.pk])
    form = {"old_path": "/section/desk-c/", "article": "", "target_url": "/", "status_code": "302"}
    assert editor_client.post(url, form).status_code == 302
    redirect.refresh_from_db()
    assert (redirect.section, redirect.target_url, redirect.status_code) == (None, "/", 302)


def test_an_absolute_url_to_this_site_is_kept_as_its_path(editor_client, settings):
    settings.SITE_URL = "https://news.example"
    manual(editor_client, old_path="/x/", target_url="https://news.example/corrections/?a=1")
    assert Redirect.objects.get().target_url == "/corrections/?a=1"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "http://evil.example/path/",
        "//evil.example/x",
        "///evil.example/x",
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "/\\evil.example",
        "\\\\evil.example",
        "/ok/\\..\\evil",
        "/tab\there",
        "mailto:a@example.com",
    ],
)
def test_off_site_targets_are_refused_with_a_message(editor_client, target):
    response = manual(editor_client, old_path="/from/", target_url=target)
    html = response.content.decode()
    assert "Only addresses on this site" in html
    assert not Redirect.objects.exists()


@pytest.mark.parametrize("old_path", ["https://evil.example/x/", "//evil/", "no-slash/", "/a?b=1"])
def test_bad_old_paths_are_refused_with_a_message(editor_client, old_path):
    html = manual(editor_client, old_path=old_path, target_url="/").content.decode()
    assert "A path on this site" in html
    assert not Redirect.objects.exists()


def test_a_redirect_to_itself_is_refused(editor_client):
    html = manual(editor_client, old_path="/loop/", target_url="/loop/?x=1").content.decode()
    assert "would loop" in html and not Redirect.objects.exists()


def test_a_redirect_closing_a_cycle_is_refused(editor_client):
    Redirect.objects.create(old_path="/b/", target_url="/c/")
    Redirect.objects.create(old_path="/c/", target_url="/a/")
    html = manual(editor_client, old_path="/a/", target_url="/b/").content.decode()
    assert "would loop" in html
    assert not Redirect.objects.filter(old_path="/a/").exists()


def test_a_redirect_to_an_article_at_the_same_path_is_refused(editor_client):
    article = make_article()
    html = manual(
        editor_client, old_path=article.get_absolute_url(), article=article.pk
    ).content.decode()
    assert "would loop" in html and not Redirect.objects.exists()


def test_article_and_url_together_are_refused(editor_client):
    article = make_article()
    html = manual(editor_client, old_path="/x/", article=article.pk, target_url="/").content
    assert "Choose an article or a URL" in html.decode() and not Redirect.objects.exists()


def test_a_stored_off_site_target_is_never_served(client):
    Redirect.objects.create(old_path="/sneaky/", target_url="//evil.example/")
    assert client.get("/sneaky/").status_code == 404


# --- No extra query on reader pages -----------------------------------------------------


def test_article_page_query_count_is_unchanged_with_redirects(client, django_assert_num_queries):
    article = make_article(section=make_section())
    moved = make_article(slug="moved-from")
    rename(moved, slug="moved-to")
    Redirect.objects.create(old_path="/manual/", target_url="/")
    assert Redirect.objects.count() == 2
    # the same budget as tests/articles/test_views.py: article + section, authors, related
    # (a section; no tag or correction, so no read for them), then the comments section
    with django_assert_num_queries(3 + COMMENT_SECTION_QUERIES):
        assert client.get(article.get_absolute_url()).status_code == 200
