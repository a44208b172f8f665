import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles.models import Article, Byline, Section

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "articles": sorted(Article.objects.values_list("slug", "title", "status", "published_at")),
        "sections": sorted(Section.objects.values_list("slug", "name")),
        "bylines": sorted(Byline.objects.values_list("article__slug", "author__username")),
        "users": sorted(get_user_model().objects.values_list("username", "is_staff")),
    }


def test_demo_twice_leaves_the_same_rows():
    call_command("load_demo", force=True)
    first = snapshot()
    call_command("load_demo", force=True)
    assert snapshot() == first


def test_demo_has_the_reference_article_and_one_user_per_role():
    call_command("load_demo", force=True)
    article = Article.objects.get(slug="nato-russia-council-step-forward")
    assert article.title == "NATO-Russia Council step forward"
    assert article.dateline == "Brussels"
    assert article.authors.get().get_display_name() == "Anna van Densky"
    assert article.get_absolute_url() == "/2022/01/12/nato-russia-council-step-forward/"
    usernames = set(get_user_model().objects.values_list("username", flat=True))
    assert {"reader", "reporter", "editor", "moderator", "admin"} <= usernames


def test_demo_never_sets_known_passwords_without_debug(settings):
    settings.DEBUG = False
    call_command("load_demo", force=True)
    assert not get_user_model().objects.get(username="admin").has_usable_password()


def test_demo_sets_the_readme_password_on_the_embedded_development_database(settings):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip(reason="known demo passwords are only set on the embedded SQLite database")
    settings.DEBUG = True
    call_command("load_demo")
    assert get_user_model().objects.get(username="editor").check_password("newsroom-demo")


def test_demo_refuses_a_non_sqlite_database_without_force():
    from django.core.management.base import CommandError
    from django.db import connection

    if connection.vendor == "sqlite":
        pytest.skip(reason="this run is on SQLite; the refusal is checked on the PostgreSQL run")
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo")


def test_demo_articles_use_tags_images_corrections_and_a_review_queue(client):
    call_command("load_demo", force=True)
    call_command("load_demo", force=True)
    article = Article.objects.get(slug="nato-russia-council-step-forward")
    assert {"NATO", "Russia"} <= set(article.tags.values_list("name", flat=True))
    assert article.lead_image and article.lead_image_alt and article.lead_image_renditions["webp"]
    assert article.corrections.count() == 1
    assert Article.objects.awaiting_review().count() == 1
    geneva = Article.objects.get(slug="geneva-opens-security-talks")
    assert [a.username for a in geneva.authors.order_by("byline__position")] == [
        "editor",
        "reporter",
    ]
    html = client.get(article.get_absolute_url()).content.decode()
    assert "The council chamber" in html and "took place on Tuesday" in html
