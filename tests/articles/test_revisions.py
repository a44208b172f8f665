import pytest
from django.urls import reverse
from reversion.models import Version

from articles.models import Article
from tests.articles.test_admin import change_url, editor_form_data
from tests.factories import make_member, make_ready_draft

pytestmark = pytest.mark.django_db


def edit(client, article, **changes):
    response = client.post(change_url(article), editor_form_data(article, **changes))
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()


@pytest.fixture
def edited(client):
    """An article saved twice in the admin by an editor: two revisions."""
    editor = make_member("Editor", username="ed")
    article = make_ready_draft(title="First headline", body="<p>Old line.</p>")
    client.force_login(editor)
    edit(client, article, title="First headline", body="<p>Old line.</p>")
    edit(client, article, title="Second headline", body="<p>New line.</p>")
    return article, editor


def test_every_admin_save_keeps_a_revision_with_its_author(edited):
    article, editor = edited
    versions = Version.objects.get_for_object(article)
    assert versions.count() == 2
    assert {v.revision.user for v in versions} == {editor}
    assert versions.first().field_dict["title"] == "Second headline"


def test_history_page_offers_comparison(client, edited):
    article, _ = edited
    html = client.get(reverse("admin:articles_article_history", args=[article.pk])).content.decode()
    assert "Compare two revisions" in html


def test_compare_shows_what_changed_escaped(client, edited):
    article, _ = edited
    new, old = Version.objects.get_for_object(article)
    url = reverse("admin:articles_article_compare", args=[article.pk])
    html = client.get(url, {"from": old.pk, "to": new.pk}).content.decode()
    assert "First headline" in html and "Second headline" in html
    assert "Old line." in html and "New line." in html


def test_compare_with_a_foreign_revision_is_404(client, edited):
    article, _ = edited
    other = make_ready_draft()
    url = reverse("admin:articles_article_compare", args=[other.pk])
    version = Version.objects.get_for_object(article).first()
    assert client.get(url, {"from": version.pk, "to": version.pk}).status_code == 404
    assert client.get(url, {"from": "x", "to": "1"}).status_code == 404


def test_restore_brings_back_the_text_but_not_the_workflow_state(client, edited):
    article, editor = edited
    old = Version.objects.get_for_object(article).last()
    Article.objects.filter(pk=article.pk).update(status=Article.Status.REVIEW)
    url = reverse("admin:articles_article_revision", args=[article.pk, old.pk])
    form = editor_form_data(article, title="First headline", body="<p>Old line.</p>")
    response = client.post(url, form)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "First headline" and article.status == Article.Status.REVIEW


def test_reporter_cannot_read_another_reporters_history(client, edited):
    article, _ = edited
    client.force_login(make_member("Reporter"))
    assert (
        client.get(reverse("admin:articles_article_history", args=[article.pk])).status_code == 404
    )
    url = reverse("admin:articles_article_compare", args=[article.pk])
    assert client.get(url, {"from": 1, "to": 1}).status_code == 404
