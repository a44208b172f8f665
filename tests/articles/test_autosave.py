"""Autosave: a private copy of each person's typed text, saved by their page while they
edit; offered back with a compare when they reopen the article; never a revision, never
published; old ones cleaned up."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, Autosave
from tests.articles.test_stale_save import editor_form_data
from tests.factories import make_article, make_member

pytestmark = pytest.mark.django_db


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def autosave_url(article) -> str:
    return reverse("admin:articles_article_autosave", args=[article.pk])


def autosave(client, article, **fields):
    data = {"version": article.version, "title": article.title, **fields}
    response = client.post(autosave_url(article), data)
    assert response.status_code == 200, response.content
    return response


def test_autosave_keeps_the_text_privately_and_changes_nothing_else(client):
    editor = make_member("Editor")
    article = make_article(title="Saved headline")
    client.force_login(editor)
    autosave(client, article, title="Typed headline", body="<p>Typed<script>x</script></p>")
    saved = Autosave.objects.get(article=article, user=editor)
    assert saved.data["title"] == "Typed headline"
    assert "<script>" not in saved.data["body"]  # the one sanitiser, as on save
    fresh = Article.objects.get(pk=article.pk)
    assert fresh.title == "Saved headline" and fresh.version == article.version
    assert not Version.objects.get_for_object(article).exists()  # not a revision


def test_reopening_offers_the_autosaved_text_with_a_compare(client):
    editor = make_member("Editor")
    article = make_article(title="Saved headline")
    client.force_login(editor)
    autosave(client, article, title="Typed headline")
    when = timezone.localtime(Autosave.objects.get().saved_at)
    html = client.get(change_url(article)).content.decode()
    assert f"Restore the text from {when:%H:%M} (autosaved)" in html
    assert "Saved headline" in html and "Typed headline" in html  # the compare


def test_another_persons_autosave_is_not_offered(client):
    article = make_article()
    client.force_login(make_member("Editor"))
    autosave(client, article, title="Mine")
    client.force_login(make_member("Editor"))
    assert "(autosaved)" not in client.get(change_url(article)).content.decode()


def test_restore_fills_the_form_from_the_autosave_and_its_version(client):
    editor = make_member("Editor")
    article = make_article(title="Saved headline")
    client.force_login(editor)
    autosave(client, article, title="Typed headline")
    response = client.get(change_url(article) + "?restore_autosave=1")
    form = response.context["adminform"].form
    assert form["title"].value() == "Typed headline"
    assert form["edited_version"].value() == article.version


def test_restored_text_typed_on_an_old_version_is_refused_when_saved(client):
    editor = make_member("Editor")
    article = make_article(title="Saved headline")
    client.force_login(editor)
    autosave(client, article, title="Typed headline")
    typed_on = article.version
    article.title = "Someone else's"
    article.save()
    data = editor_form_data(article, title="Typed headline", edited_version=typed_on)
    assert client.post(change_url(article), data).status_code == 200
    assert Article.objects.get(pk=article.pk).title == "Someone else's"


def test_a_save_removes_the_persons_autosave(client):
    editor = make_member("Editor")
    article = make_article()
    client.force_login(editor)
    autosave(client, article, title="Typed headline")
    data = editor_form_data(article, title="Typed headline")
    assert client.post(change_url(article), data).status_code == 302
    assert not Autosave.objects.exists()


def test_discard_removes_it(client):
    editor = make_member("Editor")
    article = make_article()
    client.force_login(editor)
    autosave(client, article, title="Typed headline")
    response = client.post(autosave_url(article), {"action": "discard"})
    assert response.status_code == 302 and not Autosave.objects.exists()


def test_autosave_without_a_version_is_refused(client):
    article = make_article()
    client.force_login(make_member("Editor"))
    response = client.post(autosave_url(article), {"title": "x"})
    assert response.status_code == 400 and not Autosave.objects.exists()


def test_autosave_refuses_those_who_cannot_change_the_article(client):
    article = make_article()  # published
    client.force_login(make_member("Reporter"))
    response = client.post(autosave_url(article), {"version": 1, "title": "x"})
    assert response.status_code in {403, 404} and not Autosave.objects.exists()


def test_old_autosaves_and_those_of_deleted_articles_are_cleaned(client, settings):
    editor = make_member("Editor")
    kept, old, deleted = make_article(), make_article(), make_article()
    client.force_login(editor)
    for article in (kept, old, deleted):
        autosave(client, article, title="Typed")
    too_old = timezone.now() - timedelta(days=settings.ARTICLES_AUTOSAVE_MAX_DAYS + 1)
    Autosave.objects.filter(article=old).update(saved_at=too_old)
    deleted.delete()
    call_command("editing_cleanup")
    assert list(Autosave.objects.values_list("article", flat=True)) == [kept.pk]
