import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Transition
from tests.factories import (
    make_article,
    make_image_file,
    make_member,
    make_ready_draft,
    make_section,
)

pytestmark = pytest.mark.django_db
ADD_URL = reverse("admin:articles_article_add")
LIST_URL = reverse("admin:articles_article_changelist")


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def form_data(section=None, **overrides) -> dict:
    data = {
        "title": "Council meets",
        "slug": "council-meets",
        "standfirst": "Allies and Russia meet in Brussels.",
        "dateline": "Brussels",
        "section": section.pk if section else "",
        "body": "<p>Allies met.</p>",
        "lead_image_alt": "The council table",
        "lead_image_caption": "",
        "lead_image_credit": "",
        "comments_open": "on",
        "bylines-TOTAL_FORMS": "0",
        "bylines-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def editor_form_data(article, **overrides) -> dict:
    """The change form as an editor posts it (with the editor-only inlines)."""
    data = form_data(
        section=article.section,
        title=article.title,
        slug=article.slug,
        standfirst=article.standfirst,
        lead_image_alt=article.lead_image_alt,
        edited_version=article.version,  # the version the form was opened at
        **{"preview_links-TOTAL_FORMS": "0", "preview_links-INITIAL_FORMS": "0"},
    )
    data["bylines-TOTAL_FORMS"] = "0"
    data.update(overrides)
    return data


def test_reporter_writes_an_article_with_an_image_and_submits_it(client):
    reporter = make_member("Reporter")
    client.force_login(reporter)
    data = form_data(section=make_section(), lead_image=make_image_file(), _submit_review="1")
    response = client.post(ADD_URL, data, follow=True)
    assert response.status_code == 200
    article = Article.objects.get(slug="council-meets")
    assert article.status == Article.Status.REVIEW
    assert article.created_by == reporter
    assert list(article.authors.all()) == [reporter]
    assert article.lead_image and article.lead_image_width == 64
    assert "was submitted for review" in response.content.decode()


def test_reporter_attempt_to_publish_is_refused_with_a_message(client):
    reporter = make_member("Reporter")
    client.force_login(reporter)
    data = form_data(section=make_section(), lead_image=make_image_file(), _publish="1")
    response = client.post(ADD_URL, data, follow=True)
    article = Article.objects.get(slug="council-meets")
    assert article.status == Article.Status.DRAFT
    assert "Only editors can publish articles." in response.content.decode()
    assert not Transition.objects.exists()


def test_reporter_sees_no_publish_buttons_or_actions(client):
    reporter = make_member("Reporter")
    article = make_ready_draft(authors=[reporter])
    client.force_login(reporter)
    html = client.get(change_url(article)).content.decode()
    assert 'name="_submit_review"' in html and 'name="_publish"' not in html
    listing = client.get(LIST_URL).content.decode()
    assert "submit_selected" in listing and "publish_selected" not in listing


def test_reporter_sees_only_their_own_articles(client):
    reporter = make_member("Reporter")
    make_article(title="Mine", authors=[reporter])
    make_article(title="Someone else’s", authors=[make_member("Reporter")])
    client.force_login(reporter)
    html = client.get(LIST_URL).content.decode()
    assert "Mine" in html and "Someone else’s" not in html


def test_reporter_cannot_change_a_submitted_article(client):
    reporter = make_member("Reporter")
    article = make_ready_draft(authors=[reporter], status=Article.Status.REVIEW)
    client.force_login(reporter)
    response = client.post(change_url(article), form_data(title="Rewritten"))
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title != "Rewritten"


def test_reporter_cannot_open_another_reporters_article(client):
    article = make_ready_draft(authors=[make_member("Reporter")])
    client.force_login(make_member("Reporter"))
    response = client.get(change_url(article))
    assert response.status_code == 302  # the admin's "does not exist" redirect
    assert response.url == reverse("admin:index")


def test_editor_publishes_from_the_change_form(client):
    article = make_ready_draft(status=Article.Status.REVIEW)
    client.force_login(make_member("Editor"))
    response = client.post(
        change_url(article), editor_form_data(article, _publish="1"), follow=True
    )
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert "was published" in response.content.decode()


def test_editor_schedules_at_the_publish_time(client):
    article = make_ready_draft(status=Article.Status.REVIEW)
    when = timezone.localtime(timezone.now() + timedelta(days=1)).replace(microsecond=0)
    client.force_login(make_member("Editor"))
    data = editor_form_data(
        article,
        _schedule="1",
        published_at_0=when.strftime("%d/%m/%Y"),
        published_at_1=when.strftime("%H:%M:%S"),
    )
    client.post(change_url(article), data, follow=True)
    article.refresh_from_db()
    assert article.status == Article.Status.SCHEDULED
    assert article.published_at == when


def test_publish_checklist_refusal_is_shown_and_the_edit_kept(client):
    article = make_ready_draft(status=Article.Status.REVIEW)
    client.force_login(make_member("Editor"))
    data = editor_form_data(article, standfirst="", title="Kept headline", _publish="1")
    html = client.post(change_url(article), data, follow=True).content.decode()
    article.refresh_from_db()
    assert "Cannot publish yet. Missing: a standfirst." in html
    assert article.status == Article.Status.REVIEW and article.title == "Kept headline"


def test_editor_bulk_actions_report_each_refusal(client):
    ready = make_ready_draft(status=Article.Status.REVIEW)
    not_ready = make_ready_draft(status=Article.Status.REVIEW, section=None)
    client.force_login(make_member("Editor"))
    data = {"action": "publish_selected", "_selected_action": [ready.pk, not_ready.pk]}
    html = client.post(LIST_URL, data, follow=True).content.decode()
    ready.refresh_from_db()
    not_ready.refresh_from_db()
    assert ready.status == Article.Status.PUBLISHED
    assert not_ready.status == Article.Status.REVIEW
    assert "Published 1 article." in html and "Missing: a section." in html


def test_admin_index_counts_articles_waiting_for_review_for_editors(client):
    make_ready_draft(status=Article.Status.REVIEW)
    make_ready_draft(status=Article.Status.REVIEW)
    make_ready_draft()
    client.force_login(make_member("Editor"))
    assert "2 articles waiting for review" in client.get(reverse("admin:index")).content.decode()
    client.force_login(make_member("Reporter"))
    assert "waiting for review" not in client.get(reverse("admin:index")).content.decode()


def test_review_queue_lists_submitted_articles_longest_waiting_first(client):
    now = timezone.now()
    make_ready_draft(title="Waiting briefly", status="review", submitted_at=now)
    make_ready_draft(title="Waiting long", status="review", submitted_at=now - timedelta(days=1))
    make_ready_draft(title="Still a draft")
    client.force_login(make_member("Editor"))
    html = client.get(LIST_URL + "?status__exact=review").content.decode()
    assert "Still a draft" not in html
    assert html.index("Waiting long") < html.index("Waiting briefly")


def test_body_is_sanitised_whatever_the_editor_sends(client):
    client.force_login(make_member("Reporter"))
    body = '<p onclick="steal()">Hi<script>alert(1)</script><img src="x" onerror="alert(2)"></p>'
    client.post(ADD_URL, form_data(body=body))
    stored = Article.objects.get(slug="council-meets").body
    assert "script" not in stored and "onerror" not in stored and "onclick" not in stored
    assert stored.startswith("<p>Hi")


def test_change_form_ships_the_prose_editor_from_our_own_static_files(client):
    client.force_login(make_member("Reporter"))
    html = client.get(ADD_URL).content.decode()
    assert "django_prose_editor" in html
    # Every script and stylesheet (and the import map's modules) from this site. The page
    # may name other hosts as data: the embed providers' hosts in the editor's settings.
    assets = re.findall(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"', html)
    importmap = html.split('type="importmap"', 1)[-1].split("</script>")[0]
    assets += re.findall(r'"(?:[^"]*\.js)"', importmap)
    assert assets and all(a.strip('"').startswith("/") for a in assets), assets
    assert not any("cdn" in a.lower() for a in assets)


def test_view_on_site_points_drafts_at_the_staff_preview(client):
    article = make_ready_draft()
    client.force_login(make_member("Editor"))
    html = client.get(change_url(article)).content.decode()
    assert reverse("articles:preview", kwargs={"pk": article.pk}) in html


def test_saving_a_live_article_shows_updated(client):
    article = make_ready_draft(
        status=Article.Status.PUBLISHED, published_at=timezone.now() - timedelta(hours=2)
    )
    client.force_login(make_member("Editor"))
    client.post(
        change_url(article),
        editor_form_data(
            article,
            body="<p>New paragraph.</p>",
            published_at_0=timezone.localtime(article.published_at).strftime("%d/%m/%Y"),
            published_at_1=timezone.localtime(article.published_at).strftime("%H:%M:%S.%f"),
            **{"corrections-TOTAL_FORMS": "0", "corrections-INITIAL_FORMS": "0"},
        ),
    )
    article.refresh_from_db()
    assert article.was_updated()
    assert "Updated" in client.get(article.get_absolute_url()).content.decode()


def test_editor_sends_a_submitted_article_back_to_draft(client):
    article = make_ready_draft(status=Article.Status.REVIEW)
    client.force_login(make_member("Editor"))
    html = client.get(change_url(article)).content.decode()
    assert 'name="_return_to_draft"' in html
    data = editor_form_data(article, _return_to_draft="1", return_note="Needs a source.")
    client.post(change_url(article), data)
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_changing_only_the_byline_expires_the_article_page(client):
    """save_model sees the article's own fields only; a byline edited alone in its inline
    must still expire the cached page that shows it."""
    first, second = make_member("Reporter"), make_member("Reporter")
    article = make_ready_draft(
        status=Article.Status.PUBLISHED,
        published_at=(timezone.now() - timedelta(hours=2)).replace(microsecond=0),
        authors=[first],
        body="<p>Allies met.</p>",
    )
    byline = article.bylines.get()
    url = article.get_absolute_url()
    assert first.get_display_name() in client.get(url).content.decode()  # cached now
    client.force_login(make_member("Editor"))
    response = client.post(
        change_url(article),
        editor_form_data(
            article,
            dateline=article.dateline,
            published_at_0=timezone.localtime(article.published_at).strftime("%d/%m/%Y"),
            published_at_1=timezone.localtime(article.published_at).strftime("%H:%M:%S"),
            **{
                "corrections-TOTAL_FORMS": "0",
                "corrections-INITIAL_FORMS": "0",
                "bylines-TOTAL_FORMS": "1",
                "bylines-INITIAL_FORMS": "1",
                "bylines-0-id": str(byline.pk),
                "bylines-0-article": str(article.pk),
                "bylines-0-author": str(second.pk),
                "bylines-0-position": "0",
            },
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(article.authors.all()) == [second]
    client.logout()
    html = client.get(url).content.decode()
    assert second.get_display_name() in html
    assert first.get_display_name() not in html
