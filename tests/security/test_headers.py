"""Security headers and cookies, as a production server (gunicorn, DEBUG off) sends them."""

import re
from http.cookies import SimpleCookie

import pytest

from tests.security.conftest import ADMIN_PASSWORD, ADMIN_USERNAME
from tests.security.server import HOST, post_form, request

HTTPS = {"X-Forwarded-Proto": "https"}
CSP_DIRECTIVES = [
    "default-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "img-src 'self' data:",
]


def directives(policy: str) -> dict[str, str]:
    return dict(part.strip().partition(" ")[::2] for part in policy.split(";"))


def cookies(headers) -> SimpleCookie:
    jar = SimpleCookie()
    for value in headers.get_all("Set-Cookie") or []:
        jar.load(value)
    return jar


def test_plain_http_is_redirected_to_https(production_server):
    status, headers, _ = request(production_server, "GET", "/")
    assert status == 301
    assert headers["Location"] == f"https://{HOST}:{production_server}/"


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("Strict-Transport-Security", "max-age=31536000; includeSubDomains"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        (
            "Permissions-Policy",
            "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
            "microphone=(), payment=(), usb=()",
        ),
    ],
)
def test_https_page_sends_security_header(production_server, header, value):
    status, headers, _ = request(production_server, "GET", "/", headers=HTTPS)
    assert status == 200
    assert headers[header] == value


@pytest.mark.parametrize("directive", CSP_DIRECTIVES)
def test_https_page_sends_strict_csp_directive(production_server, directive):
    _, headers, _ = request(production_server, "GET", "/", headers=HTTPS)
    name, _, value = directive.partition(" ")
    assert directives(headers["Content-Security-Policy"])[name] == value


def test_csp_allows_no_inline_script_or_eval(production_server):
    _, headers, _ = request(production_server, "GET", "/", headers=HTTPS)
    policy = headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert directives(policy)["script-src"] == "'self'"


def admin_login(port: int) -> tuple:
    """Log the superuser in through the site's login page (the admin has none of its own)."""
    _, headers, body = request(port, "GET", "/accounts/login/", headers=HTTPS)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body.decode()).group(1)
    fields = {"csrfmiddlewaretoken": token, "login": ADMIN_USERNAME, "password": ADMIN_PASSWORD}
    csrf_cookie = cookies(headers)["csrftoken"].value
    return post_form(port, "/accounts/login/?next=/admin/", fields, csrf_cookie=csrf_cookie)


def test_admin_scripts_carry_the_nonce_the_header_names(production_server):
    status, headers, _ = admin_login(production_server)
    assert (status, headers["Location"]) == (302, "/admin/")
    session = {"Cookie": f"sessionid={cookies(headers)['sessionid'].value}"}
    _, headers, body = request(production_server, "GET", "/admin/", headers=HTTPS | session)
    script_src = directives(headers["Content-Security-Policy"])["script-src"]
    nonce = re.fullmatch(r"'self' 'nonce-([\w-]+)'", script_src).group(1)
    html = body.decode()
    assert f'nonce="{nonce}"' in html
    _, headers_again, _ = request(production_server, "GET", "/admin/", headers=HTTPS | session)
    assert nonce not in headers_again["Content-Security-Policy"]


def test_csrf_cookie_is_secure_httponly_and_lax(production_server):
    _, headers, _ = request(production_server, "GET", "/accounts/login/", headers=HTTPS)
    csrf = cookies(headers)["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["httponly"] is True
    assert csrf["samesite"] == "Lax"


def test_session_cookie_is_secure_httponly_and_lax(production_server):
    status, headers, _ = admin_login(production_server)
    assert status == 302
    session = cookies(headers)["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"


def test_head_on_gunicorn_answers_a_gets_headers_without_a_body(production_server):
    """HEAD is served like GET by the page cache; gunicorn sends the headers, not the body."""
    keep = ("Cache-Control", "ETag", "X-Page-Cache", "Content-Type", "Vary")
    request(production_server, "GET", "/", headers=HTTPS)  # stored
    _, got, body = request(production_server, "GET", "/", headers=HTTPS)
    status, head, nothing = request(production_server, "HEAD", "/", headers=HTTPS)
    assert status == 200 and body and nothing == b""
    assert {name: head[name] for name in keep} == {name: got[name] for name in keep}
    assert head["X-Page-Cache"] == "HIT" and "public" in head["Cache-Control"]
