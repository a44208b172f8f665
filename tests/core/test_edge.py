"""The headers that tell an edge (Varnish, a CDN) what it may keep and under which tags."""

import re
import time

import pytest
from django.http import HttpResponse

from articles.caching import FRONT, article_scope
from core import edge, pagecache
from tests.factories import guest_cookie, make_article, make_user

pytestmark = pytest.mark.django_db
TAG = re.compile(r"^[0-9a-f]{16}$")


@pytest.fixture(autouse=True)
def _no_race_margin(settings):
    settings.PAGECACHE_RACE_MARGIN = 0
    pagecache.forget_local()


@pytest.mark.parametrize(
    ("header", "separator"), [("xkey", " "), ("Surrogate-Key", " "), ("Cache-Tag", ",")]
)
def test_a_shared_page_names_its_scopes_in_the_chosen_header(client, settings, header, separator):
    settings.EDGE_TAG_HEADER = header
    article = make_article()
    for _ in range(2):  # built, then served from the page cache: the same headers
        response = client.get(article.get_absolute_url())
        tags = response[header].split(separator)
        assert edge.edge_tag(article_scope(article.pk)) in tags
        assert all(TAG.match(tag) for tag in tags)


def test_tags_are_short_hashes_the_purge_uses_too():
    long_scope = "author:" + "a.very-long+user@name " * 40
    assert TAG.match(edge.edge_tag(long_scope))
    assert edge.edge_tag(long_scope) == edge.edge_tag(long_scope)
    assert edge.edge_tag(FRONT) != edge.edge_tag(article_scope(1))


def test_a_shared_page_lets_the_edge_keep_it_and_serve_it_stale_through_an_outage(client, settings):
    settings.EDGE_TAG_HEADER = "xkey"
    settings.EDGE_S_MAXAGE, settings.EDGE_STALE_WHILE_REVALIDATE = 3600, 10
    settings.EDGE_STALE_IF_ERROR = 86400
    control = client.get(make_article().get_absolute_url())["Cache-Control"]
    parts = {part.strip() for part in control.split(",")}
    assert {"public", "stale-while-revalidate=10", "stale-if-error=86400"} <= parts
    s_maxage = next(int(p.split("=")[1]) for p in parts if p.startswith("s-maxage="))
    assert settings.PAGECACHE_TTL - 1 <= s_maxage <= settings.PAGECACHE_TTL


def test_the_edge_keeps_a_page_no_longer_than_the_page_cache_does(settings):
    settings.EDGE_TAG_HEADER = "xkey"
    response = HttpResponse()
    edge.mark_shared(response, ["front"], time.time() + 42.7)  # e.g. the next go-live
    assert "s-maxage=42" in response["Cache-Control"]


def test_a_page_about_to_expire_is_not_for_the_edge(settings):
    settings.EDGE_TAG_HEADER = "xkey"
    response = HttpResponse()
    edge.mark_shared(response, ["front"], time.time() + 0.5)
    assert "s-maxage=0" in response["Cache-Control"]
    assert "xkey" not in response


def test_without_an_edge_setting_pages_carry_no_tags_and_no_s_maxage(client, settings):
    settings.EDGE_TAG_HEADER = ""
    response = client.get(make_article().get_absolute_url())
    assert "s-maxage" not in response["Cache-Control"]
    assert not any(name in response for name in ("xkey", "Surrogate-Key", "Cache-Tag"))


def test_personal_pages_are_private_and_carry_no_tags(client, settings):
    settings.EDGE_TAG_HEADER = "xkey"
    article = make_article()
    client.force_login(make_user())
    logged_in = client.get(article.get_absolute_url())
    client.logout()
    client.cookies.load(dict([guest_cookie([1])]))
    reader_part = client.get(f"/comments/reader/{article.pk}/")
    for response in (logged_in, reader_part):
        assert "xkey" not in response
        assert "private" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
        assert "s-maxage" not in response["Cache-Control"]
