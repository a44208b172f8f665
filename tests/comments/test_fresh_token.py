"""The "too fast" trap on cached pages: the page's own token is as old as the page, so the
per-reader request hands the reader's browser a token issued when it asked (comments.js puts
it in the form); a form without JavaScript keeps the page's token and today's rule."""

import re
import time

import pytest
from django.core import signing
from django.urls import reverse

from comments.models import Comment
from comments.tokens import FORM_SALT
from tests.comments.helpers import form_data, post_url
from tests.core.test_pagecache import STATE, _no_race_margin  # noqa: F401 (autouse)
from tests.factories import make_article

pytestmark = pytest.mark.django_db
TOO_FAST = "quicker than anyone can type"


def fresh_token(client, article) -> str:
    response = client.get(reverse("comments:reader", args=[article.pk]))
    assert response["Cache-Control"] == "private, no-store"
    return response.json()["token"]


def page_token(client, article) -> str:
    html = client.get(article.get_absolute_url()).content.decode()
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def test_reader_part_hands_out_a_token_issued_when_asked(client):
    article = make_article()
    before = int(time.time())
    data = signing.loads(fresh_token(client, article), salt=FORM_SALT)
    assert data["a"] == article.pk
    assert before <= data["t"] <= time.time()


def test_each_request_gets_its_own_issue_time_while_the_cached_page_keeps_its_own(client, settings):
    article = make_article()
    built = page_token(client, article)
    time.sleep(1.1)
    assert client.get(article.get_absolute_url())[STATE] == "HIT"
    assert page_token(client, article) == built  # the page (and its token) is shared
    issued = signing.loads(fresh_token(client, article), salt=FORM_SALT)["t"]
    assert issued > signing.loads(built, salt=FORM_SALT)["t"]


def test_posting_at_once_with_the_fresh_token_is_refused_as_too_fast(client):
    article = make_article()
    client.get(article.get_absolute_url())  # the page is cached for everyone
    token = fresh_token(client, article)
    body = "Posted the instant the form was handed out."
    response = client.post(post_url(article), form_data(article, body=body, token=token))
    assert response.status_code == 400
    html = response.content.decode()
    assert TOO_FAST in html and body in html
    assert not Comment.objects.filter(body=body).exists()


def test_posting_after_the_minimum_with_the_fresh_token_is_stored(client, settings):
    settings.COMMENTS_MIN_SECONDS = 1
    article = make_article()
    token = fresh_token(client, article)
    time.sleep(1.1)
    body = "Written at a human pace."
    response = client.post(post_url(article), form_data(article, body=body, token=token))
    assert response.status_code == 302
    assert Comment.objects.filter(body=body).exists()


def test_form_without_javascript_posts_with_the_cached_pages_token(client, settings):
    settings.COMMENTS_MIN_SECONDS = 1
    article = make_article()
    client.get(article.get_absolute_url())
    time.sleep(1.1)
    token = page_token(client, article)  # a cache hit, built over a second ago
    body = "Sent from a browser without scripts."
    response = client.post(post_url(article), form_data(article, body=body, token=token))
    assert response.status_code == 302
    assert Comment.objects.filter(body=body).exists()


def test_fresh_token_of_another_article_is_refused(client):
    article, other = make_article(), make_article()
    token = fresh_token(client, other)
    response = client.post(post_url(article), form_data(article, token=token))
    assert response.status_code == 400
    assert "belongs to another article" in response.content.decode()
