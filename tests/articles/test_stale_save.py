"""No silent overwrite: every save states the version it was edited from; a save built on
an old version is refused with both versions shown and the person's text kept."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, StaleArticle
from tests.articles.test_admin import change_url
from tests.articles.test_admin import editor_form_data as editor_form
from tests.factories import make_article, make_member, make_ready_draft

pytestmark = pytest.mark.django_db


def editor_form_data(article, **overrides) -> dict:
    """The change form of a published article (with its corrections inline)."""
    corrections = {"corrections-TOTAL_FORMS": "0", "corrections-INITIAL_FORMS": "0"}
    return editor_form(article, **{**corrections, **overrides})


def test_every_save_moves_the_version_on():
    article = make_article()
    assert article.version == 1
    article.title = "Second"
    article.save()
    assert article.version == 2
    assert Article.objects.get(pk=article.pk).version == 2


def test_a_save_from_an_old_copy_is_refused_and_changes_nothing():
    article = make_article(title="First")
    old_copy = Article.objects.get(pk=article.pk)
    article.title = "Anna's headline"
    article.save()
    old_copy.title = "Bert's headline"
    with pytest.raises(StaleArticle) as refused:
        old_copy.save()
    assert isinstance(refused.value, ValidationError)
    assert Article.objects.get(pk=article.pk).title == "Anna's headline"


def test_a_service_called_with_an_old_copy_is_refused():
    editor = make_member("Editor")
    article = make_ready_draft()
    old_copy = Article.objects.get(pk=article.pk)
    article.title = "Newer"
    article.save()
    with pytest.raises(StaleArticle):
        services.article_publish(article=old_copy, by=editor)
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


def test_a_correction_from_code_on_an_old_copy_is_refused():
    editor = make_member("Editor")
    article = make_article()
    old_copy = Article.objects.get(pk=article.pk)
    article.save()
    with pytest.raises(StaleArticle):
        services.correction_add(article=old_copy, by=editor, text="Fixed the date.")
    assert not article.corrections.exists()


def test_admin_stale_save_is_refused_with_both_versions_and_the_text_kept(client):
    editor, other = make_member("Editor"), make_member("Editor", first_name="Anna")
    article = make_article(title="Original headline")
    stated = article.version
    article.title = "Anna's headline"
    article.save()  # another editor's save lands first
    client.force_login(editor)
    data = editor_form_data(article, title="Bert's headline", edited_version=stated)
    response = client.post(change_url(article), data)
    assert response.status_code == 200  # the form again, not a redirect
    html = response.content.decode()
    assert "saved this article after you opened it" in html
    assert "Anna&#x27;s headline" in html and "Bert&#x27;s headline" in html
    assert 'id="conflict"' in html
    # the person's typed text is still in the form, now stated from the current version
    assert response.context["adminform"].form["title"].value() == "Bert's headline"
    assert f'name="edited_version" value="{article.version}"' in html
    assert Article.objects.get(pk=article.pk).title == "Anna's headline"
    del other


def test_admin_save_after_seeing_the_conflict_goes_through(client):
    editor = make_member("Editor")
    article = make_article(title="Original headline")
    client.force_login(editor)
    data = editor_form_data(article, title="Merged headline", edited_version=article.version)
    response = client.post(change_url(article), data)
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).title == "Merged headline"


@pytest.mark.parametrize("stated", [None, "", "abc"])
def test_admin_save_without_a_usable_version_is_refused_and_says_why(client, stated):
    client.force_login(make_member("Editor"))
    article = make_article(title="Original headline")
    data = editor_form_data(article, title="Blind save", edited_version=stated)
    if stated is None:
        del data["edited_version"]
    response = client.post(change_url(article), data)
    assert response.status_code == 200
    assert 'id="conflict"' in response.content.decode()
    assert Article.objects.get(pk=article.pk).title == "Original headline"


def test_stale_inline_byline_change_is_refused_before_any_inline_is_saved(client):
    editor = make_member("Editor")
    article = make_article(authors=[])
    stated = article.version
    article.save()
    client.force_login(editor)
    data = editor_form_data(
        article,
        edited_version=stated,
        **{"bylines-TOTAL_FORMS": "1", "bylines-0-author": str(editor.pk)},
    )
    response = client.post(change_url(article), data)
    assert response.status_code == 200
    assert not article.bylines.exists()


def test_list_action_reads_the_current_row_and_bumps_the_version(client):
    editor = make_member("Editor")
    article = make_ready_draft()
    client.force_login(editor)
    url = reverse("admin:articles_article_changelist")
    data = {"action": "publish_selected", "_selected_action": [article.pk]}
    client.post(url, data)
    fresh = Article.objects.get(pk=article.pk)
    assert fresh.status == Article.Status.PUBLISHED
    assert fresh.version > article.version


def restore_url(article, version) -> str:
    return reverse("admin:articles_article_revision", args=[article.pk, version.pk])


@pytest.fixture
def two_revisions(client):
    from tests.articles.test_revisions import edit

    editor = make_member("Editor", username="ed")
    article = make_ready_draft(title="First headline", body="<p>Old line.</p>")
    client.force_login(editor)
    edit(client, article, title="First headline")
    edit(client, article, title="Second headline")
    return article


def test_restore_form_states_the_current_version_not_the_revisions(client, two_revisions):
    from reversion.models import Version

    article = two_revisions
    old = Version.objects.get_for_object(article).last()
    form = client.get(restore_url(article, old)).context["adminform"].form
    assert form["title"].value() == "First headline"
    assert form["edited_version"].value() == article.version


def test_restore_over_a_newer_save_is_refused_with_both_shown(client, two_revisions):
    from reversion.models import Version

    article = two_revisions
    shown_at = article.version
    old = Version.objects.get_for_object(article).last()
    article.title = "Saved meanwhile"
    article.save()
    data = editor_form(article, title="First headline", edited_version=shown_at)
    response = client.post(restore_url(article, old), data)
    assert response.status_code == 200
    assert 'id="conflict"' in response.content.decode()
    fresh = Article.objects.get(pk=article.pk)
    assert fresh.title == "Saved meanwhile" and fresh.version == article.version


def test_restore_from_the_current_version_moves_it_on(client, two_revisions):
    from reversion.models import Version

    article = two_revisions
    old = Version.objects.get_for_object(article).last()
    data = editor_form(article, title="First headline")
    assert client.post(restore_url(article, old), data).status_code == 302
    fresh = Article.objects.get(pk=article.pk)
    assert fresh.title == "First headline" and fresh.version == article.version + 1


def test_fields_left_untouched_take_the_newer_saved_value_typed_ones_stay(client):
    """A list action publishes the draft while an editor has it open: their refused save
    keeps their typed headline but now carries the publish time, so saving again cannot
    silently take the article offline."""
    editor = make_member("Editor")
    article = make_ready_draft(title="Draft headline")
    client.force_login(editor)
    form = client.get(change_url(article)).context["adminform"].form
    opened = {"edited_version": article.version, "edited_from": form["edited_from"].value()}
    url = reverse("admin:articles_article_changelist")
    client.post(url, {"action": "publish_selected", "_selected_action": [article.pk]})
    published = Article.objects.get(pk=article.pk)
    assert published.status == Article.Status.PUBLISHED
    data = editor_form(article, title="Typed headline", **opened)
    response = client.post(change_url(article), data)
    assert response.status_code == 200
    refused = response.context["adminform"].form
    assert refused["title"].value() == "Typed headline"
    assert "Publish time" in response.content.decode()  # named as kept from theirs
    again = {key: refused[key].value() for key in ("edited_version", "edited_from")}
    local = timezone.localtime(published.published_at)
    data = editor_form(
        article,
        title="Typed headline",
        published_at_0=refused.data["published_at_0"],
        published_at_1=refused.data["published_at_1"],
        **{**again, "corrections-TOTAL_FORMS": "0", "corrections-INITIAL_FORMS": "0"},
    )
    assert client.post(change_url(article), data).status_code == 302
    fresh = Article.objects.get(pk=article.pk)
    assert fresh.title == "Typed headline" and fresh.is_published()
    assert timezone.localtime(fresh.published_at).replace(microsecond=0) == local.replace(
        microsecond=0
    )
