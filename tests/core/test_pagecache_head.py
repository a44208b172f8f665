"""Page cache: a HEAD carries the headers a GET of the same page would, cold and warm."""

import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from core import pagecache
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db

STATE = "X-Page-Cache"
# Headers a cache or a crawler decides on; Date-like values are compared by presence.
COMPARED = ("Cache-Control", "ETag", "Vary", "Content-Type", STATE, "Content-Encoding")
BROWSER = {"Accept-Encoding": "gzip, deflate, br"}


@pytest.fixture(autouse=True)
def _no_race_margin(settings):
    settings.PAGECACHE_RACE_MARGIN = 0
    pagecache.forget_local()


@pytest.fixture(autouse=True)
def _one_second(monkeypatch):
    """The comment form's token holds the second it was shown, so two cold builds a second
    boundary apart differ in their bytes and ETag: the clock stands still here."""
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now)


def urls() -> dict[str, str]:
    article = make_article(body="<p>" + "Long enough to be compressed. " * 60 + "</p>")
    return {"front": reverse("articles:front"), "article": article.get_absolute_url()}


def seen(response) -> dict:
    kept = {name: response.get(name) for name in COMPARED}
    kept["Last-Modified"] = response.has_header("Last-Modified")
    return kept


def cold_get_then_warm(client, url: str, method: str, headers: dict) -> tuple[dict, dict]:
    """The headers of a first (cold) and second (warm) request, the cache emptied before."""
    pagecache.forget_local()
    cache.clear()
    request = getattr(client, method)
    cold, warm = request(url, headers=headers), request(url, headers=headers)
    assert cold.status_code == warm.status_code == 200
    return seen(cold), seen(warm)


@pytest.mark.parametrize("page", ["front", "article"])
@pytest.mark.parametrize("headers", [{}, BROWSER], ids=["plain", "gzip"])
def test_head_answers_the_headers_of_a_get_cold_and_warm(client, page, headers):
    url = urls()[page]
    get_cold, get_warm = cold_get_then_warm(client, url, "get", headers)
    head_cold, head_warm = cold_get_then_warm(client, url, "head", headers)
    assert get_cold[STATE] == "MISS" and get_warm[STATE] == "HIT"
    assert "public" in get_cold["Cache-Control"] and get_cold["ETag"]
    assert head_cold == get_cold
    assert head_warm == get_warm


def test_head_is_served_from_the_entry_a_get_stored_without_a_body(client):
    url = urls()["article"]
    stored = client.get(url)
    head = client.head(url)
    assert head[STATE] == "HIT"
    assert head["ETag"] == stored["ETag"]
    assert head.content == b""


def test_a_get_after_a_head_is_served_from_the_entry_the_head_stored(client):
    url = urls()["front"]
    assert client.head(url)[STATE] == "MISS"
    assert client.get(url)[STATE] == "HIT"


def test_head_for_a_logged_in_reader_is_as_private_as_their_get(client):
    url = urls()["article"]
    client.force_login(make_user())
    get, head = client.get(url), client.head(url)
    assert head["Cache-Control"] == get["Cache-Control"]
    assert "private" in head["Cache-Control"]
    assert STATE not in head
