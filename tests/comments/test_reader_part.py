"""A guest's own part of a cached article page: the page is shared, their details and
pending comments come from a small per-reader request that nothing caches."""

import re

import pytest
from django.core import signing
from django.http import HttpResponse
from django.urls import reverse

from comments.models import Comment
from comments.reader import DETAILS_COOKIE, DETAILS_SALT, HINT_COOKIE
from tests.comments.helpers import form_data, post_url
from tests.core.test_pagecache import STATE, _no_race_margin  # noqa: F401 (autouse)
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db


def give_saved_details(client, **details) -> None:
    value = signing.dumps({"name": "Saved Sam", "email": "sam@example.com", "url": ""} | details)
    signed = HttpResponse()
    signed.set_signed_cookie(DETAILS_COOKIE, value, salt=DETAILS_SALT)
    client.cookies[DETAILS_COOKIE] = signed.cookies[DETAILS_COOKIE].value


def part(client, article) -> dict:
    """The reader's part without its fresh form token (tests/comments/test_fresh_token.py)."""
    response = client.get(reverse("comments:reader", args=[article.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert STATE not in response
    found = response.json()
    assert found.pop("token")
    return found


def consume_flash(client, article) -> None:
    """The redirect after a post shows a flash message once; that page is personal."""
    response = client.get(article.get_absolute_url())
    assert STATE not in response


def test_page_rendered_for_a_guest_with_saved_details_is_shared_without_them(client):
    article = make_article()
    give_saved_details(client)
    mine = client.get(article.get_absolute_url())
    assert mine[STATE] == "MISS"
    assert "sam@example.com" not in mine.content.decode()
    assert 'value="Saved Sam"' not in mine.content.decode()
    assert client.get(article.get_absolute_url())[STATE] == "HIT"
    client.cookies.clear()
    theirs = client.get(article.get_absolute_url())
    assert theirs[STATE] == "HIT"
    assert "Saved Sam" not in theirs.content.decode()


def test_reader_part_gives_the_saved_details(client):
    article = make_article()
    give_saved_details(client, url="https://sam.example")
    assert part(client, article) == {
        "details": {"name": "Saved Sam", "email": "sam@example.com", "url": "https://sam.example"},
        "own": "",
        "liked": [],
    }


def test_reader_part_is_empty_for_a_reader_with_nothing_saved(client):
    assert part(client, make_article()) == {"details": {}, "own": "", "liked": []}


def test_reader_part_ignores_a_forged_details_cookie(client):
    article = make_article()
    client.cookies[DETAILS_COOKIE] = signing.dumps({"name": "Forged", "email": "f@example.com"})
    assert part(client, article)["details"] == {}


def test_reader_part_of_an_unpublished_article_is_404(client):
    draft = make_article(status="draft")
    assert client.get(reverse("comments:reader", args=[draft.pk])).status_code == 404


def test_guest_who_posted_gets_the_cached_page_and_their_pending_comment_apart(client):
    article = make_article()
    client.get(article.get_absolute_url())  # stored for everyone
    body = "My pending thought about the council."
    response = client.post(post_url(article), form_data(article, body=body, save_details="on"))
    assert response.status_code == 302
    assert Comment.objects.get(body=body).status == Comment.Status.PENDING
    assert client.cookies[HINT_COOKIE].value == "1"
    consume_flash(client, article)
    page = client.get(article.get_absolute_url())
    assert page[STATE] == "HIT"
    assert body not in page.content.decode()
    found = part(client, article)
    assert body in found["own"] and "awaiting moderation" in found["own"]
    assert found["details"]["name"] == "Guest Reader"


def test_flash_message_after_a_post_shows_the_pending_comment_without_javascript(client):
    article = make_article()
    body = "Seen right after posting, with or without scripts."
    client.post(post_url(article), form_data(article, body=body))
    html = client.get(article.get_absolute_url()).content.decode()
    assert body in html and "Your comment is awaiting moderation." in html


def test_reader_part_never_shows_someone_elses_pending_comment(client):
    article = make_article()
    other = make_user()
    Comment.objects.create(
        article=article, user=other, body="Someone else's", status=Comment.Status.PENDING
    )
    give_saved_details(client)
    assert part(client, article)["own"] == ""


def test_logged_in_reader_still_bypasses_the_cache(client):
    article = make_article()
    client.get(article.get_absolute_url())
    client.force_login(make_user())
    response = client.get(article.get_absolute_url())
    assert STATE not in response
    assert "csrfmiddlewaretoken" in response.content.decode()


def test_guest_posts_from_the_cached_page(client, settings):
    settings.COMMENTS_MIN_SECONDS = 0  # the token of the cached page is seconds old here
    article = make_article()
    client.get(article.get_absolute_url())
    give_saved_details(client)
    cached = client.get(article.get_absolute_url())
    assert cached[STATE] == "HIT"
    token = re.search(r'name="token" value="([^"]+)"', cached.content.decode()).group(1)
    data = form_data(article, body="Posted from a cached page.", token=token)
    response = client.post(post_url(article), data)
    assert response.status_code == 302
    assert Comment.objects.filter(body="Posted from a cached page.").exists()
