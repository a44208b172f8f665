"""Production settings under gunicorn: DEBUG off, WhiteNoise static, HTTPS redirect, healthz.

Starts the real thing on a loopback port: migrate, collectstatic, gunicorn -c gunicorn_conf.py.
"""

import re

import pytest

from tests.core.serving import get, running_gunicorn

HTTPS = {"X-Forwarded-Proto": "https"}


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    """gunicorn with DEBUG off on SQLite (with the demo) in a temp folder; yields its port."""
    with running_gunicorn(tmp_path_factory.mktemp("serve"), setup=[["load_demo"]]) as port:
        yield port


def test_healthz_answers_over_plain_http(production_server):
    response = get(production_server, "/healthz")
    assert response.status == 200
    assert b'"status": "ok"' in response.body


def test_pages_redirect_to_https_behind_a_plain_http_request(production_server):
    response = get(production_server, "/")
    assert response.status == 301
    assert response.getheader("Location").startswith("https://")


def test_front_page_links_fingerprinted_static_files(production_server):
    response = get(production_server, "/", HTTPS)
    assert response.status == 200
    assert re.search(rb"/static/dist/site\.[0-9a-f]{12}\.css", response.body)


def test_whitenoise_serves_fingerprinted_files_compressed_and_immutable(production_server):
    html = get(production_server, "/", HTTPS).body.decode()
    url = re.search(r'href="(/static/dist/site\.[0-9a-f]{12}\.css)"', html).group(1)
    response = get(production_server, url, {**HTTPS, "Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    assert "immutable" in response.getheader("Cache-Control")


def test_anonymous_front_page_is_served_from_the_page_cache(production_server):
    get(production_server, "/", HTTPS)
    response = get(production_server, "/", HTTPS)
    assert response.getheader("X-Page-Cache") == "HIT"
    assert response.getheader("ETag")


def test_debug_pages_are_off(production_server):
    response = get(production_server, "/no-such-page/", HTTPS)
    assert response.status == 404
    assert b"URLconf" not in response.body


def test_workers_fork_from_a_preloaded_app_with_its_objects_frozen():
    """Shared copy-on-write pages and shorter collections: see newsroom/gunicorn_conf.py."""
    import gc
    import runpy

    conf = runpy.run_path("newsroom/gunicorn_conf.py")
    assert conf["preload_app"] is True
    try:
        conf["pre_fork"](server=None, worker=None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
