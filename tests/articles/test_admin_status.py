"""The admin shows the status readers see: a scheduled article past its time is published."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.articles.test_admin import LIST_URL, change_url
from tests.factories import make_member, make_ready_draft

pytestmark = pytest.mark.django_db
Status = Article.Status


@pytest.fixture
def went_live():
    return make_ready_draft(
        title="Went live",
        status=Status.SCHEDULED,
        published_at=timezone.now() - timedelta(minutes=5),
    )


@pytest.fixture
def still_waiting():
    return make_ready_draft(
        title="Still waiting",
        status=Status.SCHEDULED,
        published_at=timezone.now() + timedelta(hours=1),
    )


def titles(response) -> list[str]:
    return [article.title for article in response.context["cl"].result_list]


def test_shown_status_is_published_once_the_time_has_passed(went_live, still_waiting):
    assert went_live.shown_status() == Status.PUBLISHED
    assert went_live.get_shown_status_display() == "Published"
    assert still_waiting.shown_status() == Status.SCHEDULED


def test_published_filter_includes_a_scheduled_article_past_its_time(
    client, went_live, still_waiting
):
    client.force_login(make_member("Editor"))
    assert titles(client.get(LIST_URL + "?status__exact=published")) == ["Went live"]
    assert titles(client.get(LIST_URL + "?status__exact=scheduled")) == ["Still waiting"]


def test_status_column_says_published_for_a_scheduled_article_past_its_time(client, went_live):
    client.force_login(make_member("Editor"))
    html = client.get(LIST_URL).content.decode()
    row = html.split(">Went live<")[1].split("</tr>")[0]
    assert '<td class="field-current_status">Published</td>' in row


def test_change_form_shows_published_and_offers_unpublish_only(client, went_live):
    client.force_login(make_member("Editor"))
    response = client.get(change_url(went_live))
    html = response.content.decode()
    field = html.split("field-current_status")[1].split("field-published_at")[0]
    assert re.search(r'<div class="readonly">\s*Published\s*</div>', field)
    assert 'name="_unpublish"' in html and 'name="_publish"' not in html


def test_review_queue_link_still_filters_by_status(client):
    make_ready_draft(title="Waiting", status=Status.REVIEW)
    make_ready_draft(title="Draft")
    client.force_login(make_member("Editor"))
    assert titles(client.get(LIST_URL + "?status__exact=review")) == ["Waiting"]


def test_staff_preview_of_a_live_scheduled_article_does_not_call_it_hidden(client, went_live):
    client.force_login(make_member("Editor"))
    html = client.get(reverse("articles:preview", kwargs={"pk": went_live.pk})).content.decode()
    assert "not visible to readers" not in html
    assert "is published" in html


def test_status_filter_counts_what_readers_see(client, went_live, still_waiting):
    client.force_login(make_member("Editor"))
    html = client.get(LIST_URL + "?_facets=True").content.decode()
    assert "Published (1)" in html and "Scheduled (1)" in html
