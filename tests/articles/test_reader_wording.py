"""One date format for readers, plain admin messages, and a reporter's read-only body
rendered (sanitised) instead of shown as raw HTML."""

from datetime import UTC, datetime

import pytest

from articles.models import Article
from tests.articles.test_admin import LIST_URL, change_url
from tests.factories import make_article, make_member, make_ready_draft

pytestmark = pytest.mark.django_db


def test_article_header_dates_read_like_every_other_date(client, settings):
    settings.TIME_ZONE = "Europe/Brussels"
    article = make_article(
        published_at=datetime(2022, 1, 12, 9, 0, tzinfo=UTC),
        revised_at=datetime(2022, 1, 13, 13, 5, tzinfo=UTC),
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert ">12 January 2022</time>" in html
    assert ">13 January 2022, 14:05</time>" in html
    assert "12.01.2022" not in html and "13.01.2022" not in html


def test_bulk_article_action_message_is_a_sentence(client):
    drafts = [make_ready_draft(status=Article.Status.REVIEW) for _ in range(2)]
    client.force_login(make_member("Editor"))
    data = {"action": "publish_selected", "_selected_action": [a.pk for a in drafts]}
    html = client.post(LIST_URL, data, follow=True).content.decode()
    assert "Published 2 articles." in html and "(s)" not in html


def test_reporter_sees_a_submitted_body_rendered_not_as_markup(client):
    reporter = make_member("Reporter")
    article = make_ready_draft(authors=[reporter], status=Article.Status.REVIEW)
    # Stored past the sanitiser (as an old row might be): the view must sanitise it itself.
    Article.objects.filter(pk=article.pk).update(
        body='<p>Allies <strong>met</strong>.</p><script>alert("x")</script>'
    )
    client.force_login(reporter)
    response = client.get(change_url(article))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<p>Allies <strong>met</strong>.</p>" in html
    assert "&lt;p&gt;" not in html and 'alert("x")' not in html
    assert 'name="body"' not in html  # still read-only
