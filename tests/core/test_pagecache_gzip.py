"""Page cache: pages kept gzip-compressed for browsers, as they are for other clients."""

import gzip

import pytest

from core import pagecache
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db

STATE = "X-Page-Cache"
BROWSER = {"Accept-Encoding": "gzip, deflate, br, zstd"}


@pytest.fixture(autouse=True)
def _no_race_margin(settings):
    settings.PAGECACHE_RACE_MARGIN = 0
    pagecache.forget_local()


def test_a_browser_gets_the_page_compressed_and_the_same_page_inside(client):
    article = make_article(title="Brussels correspondent", body="<p>" + "Quote. " * 400 + "</p>")
    plain = client.get(article.get_absolute_url())
    assert "Content-Encoding" not in plain
    packed = client.get(article.get_absolute_url(), headers=BROWSER)
    assert packed[STATE] == "HIT"  # the plain page's MISS stored both
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content) / 3
    for response in (plain, packed):
        assert "Accept-Encoding" in response["Vary"]
        assert "Cookie" in response["Vary"]
    assert packed["ETag"] != plain["ETag"]  # two representations, two validators


def test_the_first_browser_request_is_answered_compressed_too(client):
    article = make_article(body="<p>" + "Words. " * 400 + "</p>")
    first = client.get(article.get_absolute_url(), headers=BROWSER)
    assert first[STATE] == "MISS"
    assert first["Content-Encoding"] == "gzip"
    plain = client.get(article.get_absolute_url(), headers={"Accept-Encoding": "identity"})
    assert plain[STATE] == "HIT"
    assert gzip.decompress(first.content) == plain.content


def test_a_browser_revalidates_its_compressed_copy_with_304(client):
    article = make_article(body="<p>" + "Words. " * 400 + "</p>")
    packed = client.get(article.get_absolute_url(), headers=BROWSER)
    again = client.get(
        article.get_absolute_url(), headers={**BROWSER, "If-None-Match": packed["ETag"]}
    )
    assert again.status_code == 304


def test_an_invalidation_rebuilds_both_variants(client):
    article = make_article(title="Original headline", body="<p>" + "Words. " * 400 + "</p>")
    client.get(article.get_absolute_url(), headers=BROWSER)
    type(article).objects.filter(pk=article.pk).update(title="Corrected headline")
    pagecache.invalidate(f"article:{article.pk}")
    packed = client.get(article.get_absolute_url(), headers=BROWSER)
    assert packed[STATE] == "REBUILT"
    assert b"Corrected headline" in gzip.decompress(packed.content)
    plain = client.get(article.get_absolute_url())
    assert plain[STATE] == "HIT"  # the rebuild stored the plain page as well
    assert b"Corrected headline" in plain.content


def test_a_small_page_is_served_from_the_cache_uncompressed():
    entry = {"headers": [("Content-Type", "text/plain")], "content": b"ok", "etag": '"e"'}
    assert pagecache.gzip_entry(entry) is entry


def test_compression_can_be_turned_off(client, settings):
    settings.PAGECACHE_GZIP = False
    article = make_article(body="<p>" + "Words. " * 400 + "</p>")
    client.get(article.get_absolute_url(), headers=BROWSER)
    response = client.get(article.get_absolute_url(), headers=BROWSER)
    assert response[STATE] == "HIT"
    assert "Content-Encoding" not in response
    assert "Accept-Encoding" not in response.get("Vary", "")


def test_a_logged_in_reader_is_never_sent_a_compressed_shared_page(client):
    """Pages past the cache carry per-reader parts (a CSRF token): compressing them next to
    reflected input is what BREACH reads secrets from, so they are left to the proxy's rules."""
    article = make_article(body="<p>" + "Words. " * 400 + "</p>")
    client.force_login(make_user())
    response = client.get(article.get_absolute_url(), headers=BROWSER)
    assert "Content-Encoding" not in response
    assert STATE not in response
