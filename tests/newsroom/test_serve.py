"""Production settings under gunicorn: DEBUG off, WhiteNoise static, HTTPS redirect, healthz.

Starts the real thing on a loopback port: migrate, collectstatic, gunicorn -c gunicorn_conf.py.
"""

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
HTTPS = {"X-Forwarded-Proto": "https"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str, headers=None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def wait_until_up(port: int, server: subprocess.Popen) -> None:
    for _ in range(200):  # at most ~20 s
        if server.poll() is not None:
            pytest.fail(f"gunicorn exited: {server.stderr.read()}")
        try:
            get(port, "/healthz")
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail("gunicorn did not answer within 20 s")


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    """gunicorn with DEBUG off on SQLite in a temp folder; yields its port."""
    folder = tmp_path_factory.mktemp("serve")
    port = free_port()
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "test-only-" + "x" * 50,
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "STATIC_ROOT": str(folder / "static"),
        "MEDIA_ROOT": str(folder / "media"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
    }
    run = {"cwd": ROOT, "env": env, "capture_output": True, "text": True, "timeout": 300}
    for command in (["migrate", "-v0"], ["load_demo"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *command], check=True, **run)
    server = subprocess.Popen(
        [str(GUNICORN), "-c", "newsroom/gunicorn_conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_up(port, server)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)


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
    assert re.search(rb"/static/css/newsroom\.[0-9a-f]{12}\.css", response.body)


def test_whitenoise_serves_fingerprinted_files_compressed_and_immutable(production_server):
    html = get(production_server, "/", HTTPS).body.decode()
    url = re.search(r'href="(/static/css/newsroom\.[0-9a-f]{12}\.css)"', html).group(1)
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
