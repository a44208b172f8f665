"""Preview links from the article's change form: one click, a full URL, local times."""

from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from articles import services
from articles.models import PreviewLink
from tests.articles.test_admin import change_url, editor_form_data, form_data
from tests.factories import make_member, make_ready_draft

pytestmark = pytest.mark.django_db


def test_one_click_on_create_preview_link_creates_one(client):
    editor = make_member("Editor")
    article = make_ready_draft()
    client.force_login(editor)
    response = client.post(
        change_url(article), editor_form_data(article, _preview_link="1"), follow=True
    )
    link = PreviewLink.objects.get(article=article)
    assert link.created_by == editor
    html = response.content.decode()
    assert f"{settings.SITE_URL}{link.get_absolute_url()}" in html
    assert "changed successfully" not in html


def test_change_form_has_the_button_and_no_empty_add_row(client):
    client.force_login(make_member("Editor"))
    html = client.get(change_url(make_ready_draft())).content.decode()
    assert 'name="_preview_link"' in html and "Create preview link" in html
    assert 'id="preview_links-empty"' not in html  # the row "Add another" would copy


def test_existing_links_are_listed_as_full_urls(client):
    editor = make_member("Editor")
    article = make_ready_draft()
    link = services.preview_link_create(article=article, by=editor)
    client.force_login(editor)
    html = client.get(change_url(article)).content.decode()
    assert f">{settings.SITE_URL}{link.get_absolute_url()}<" in html
    assert "js/admin-articles.js" in html  # adds the copy buttons


def test_link_expiry_is_shown_in_the_site_time_zone(client, settings):
    settings.TIME_ZONE = "Europe/Brussels"
    editor = make_member("Editor")
    article = make_ready_draft(title="Council meets")
    link = services.preview_link_create(article=article, by=editor)
    link.expires_at = datetime(2026, 1, 15, 23, 30, tzinfo=UTC)  # 00:30 in Brussels
    link.save()
    assert str(link) == "Preview of Council meets until 16 January 2026, 00:30"
    client.force_login(editor)
    html = client.get(change_url(article)).content.decode()
    assert "until 16 January 2026, 00:30" in html and "23:30" not in html


def test_reporter_cannot_create_a_preview_link(client):
    reporter = make_member("Reporter")
    article = make_ready_draft(authors=[reporter])
    client.force_login(reporter)
    data = form_data(
        section=article.section,
        title=article.title,
        slug=article.slug,
        standfirst=article.standfirst,
        edited_version=article.version,
        _preview_link="1",
    )
    html = client.post(change_url(article), data, follow=True).content.decode()
    assert not PreviewLink.objects.exists()
    assert "Only editors can create preview links." in html


def test_preview_link_service_refuses_non_editors():
    with pytest.raises(ValidationError, match="Only editors"):
        services.preview_link_create(article=make_ready_draft(), by=make_member("Reporter"))
    assert not PreviewLink.objects.exists()
