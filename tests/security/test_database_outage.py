"""A database outage answers a friendly 503 with Retry-After, never a 500."""

import pytest
from django.test import Client

from tests.security.server import gunicorn, post_form, production_env, request

HTTPS = {"X-Forwarded-Proto": "https"}
UNREACHABLE = {
    # Nothing listens on port 1 of the loopback: the connection is refused.
    "postgresql": "postgres://postgres@127.0.0.1:1/newsroom",
    # A folder that does not exist: SQLite cannot open the file.
    "sqlite": "sqlite:////nonexistent-newsroom-folder/db.sqlite3",
}


@pytest.fixture(scope="module", params=sorted(UNREACHABLE))
def outage_server(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("outage")
    with gunicorn(production_env(folder, DATABASE_URL=UNREACHABLE[request.param])) as port:
        yield port


@pytest.mark.parametrize(
    "path", ["/", "/section/news/", "/2022/01/12/any-article/", "/accounts/login/"]
)
def test_pages_answer_503_with_retry_after_when_the_database_is_unreachable(outage_server, path):
    status, headers, body = request(outage_server, "GET", path, headers=HTTPS)
    assert status == 503
    assert headers["Retry-After"] == "30"
    assert b"Back in a moment" in body


def test_a_login_post_during_the_outage_answers_503(outage_server):
    secret = "c" * 32
    fields = {"csrfmiddlewaretoken": secret, "login": "boss", "password": "secret"}
    # The site's login (the admin has none of its own: /admin/login/ only redirects to it).
    status, headers, body = post_form(outage_server, "/accounts/login/", fields, csrf_cookie=secret)
    assert status == 503
    assert headers["Retry-After"] == "30"
    assert b"it may not have been saved" in body


def test_the_503_page_keeps_the_security_headers(outage_server):
    _, headers, _ = request(outage_server, "GET", "/", headers=HTTPS)
    assert "object-src 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"


@pytest.fixture
def failing_client(settings):
    settings.ROOT_URLCONF = "tests.security.failing_urls"
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("path", ["/fail/database/", "/fail/wrapped/"])
def test_database_errors_become_503(failing_client, path):
    response = failing_client.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert b"Back in a moment" in response.content


def test_other_errors_stay_500(failing_client):
    response = failing_client.get("/fail/bug/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert b"Something went wrong" in response.content
