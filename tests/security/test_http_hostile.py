"""Hostile HTTP gets a 400-range answer, never a 500: on Django's server and on gunicorn.

Raw sockets and http.client against real servers, because the test client builds a
well-formed request itself and would hide what a server does with a broken one.
"""

import re
import socket
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest

from tests.security.server import request

# A syntactically valid CSRF secret (32 letters/digits) sent as both cookie and token.
CSRF_SECRET = "a" * 16 + "B" * 16
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
MAX_RESPONSE = 1 << 20  # bytes read from a raw socket before giving up


@dataclass
class Site:
    host: str
    port: int
    headers: dict = field(default_factory=dict)  # what a proxy in front would add

    def get(self, path: str, headers: dict | None = None):
        headers = self.headers | (headers or {})
        return request(self.port, "GET", path, headers=headers, host=self.host)

    def post(self, path: str, body: bytes, headers: dict | None = None):
        headers = self.headers | FORM | (headers or {})
        return request(self.port, "POST", path, body=body, headers=headers, host=self.host)

    def raw(self, data: bytes) -> bytes:
        """Send bytes as they are; return everything the server answers before closing."""
        with socket.create_connection((self.host, self.port), timeout=30) as sock:
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)  # no further request: the server answers and closes
            chunks, size = [], 0
            while size < MAX_RESPONSE:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            return b"".join(chunks)


def status_of(answer: bytes) -> int:
    """The status code, also from an HTTP/0.9-style answer (a bare error page)."""
    match = re.match(rb"HTTP/1\.[01] (\d{3})", answer) or re.search(rb"Error code: (\d{3})", answer)
    return int(match.group(1))


pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(params=["django", "gunicorn"])
def site(request, live_server) -> Site:
    if request.param == "django":
        url = urlsplit(live_server.url)
        return Site(url.hostname, url.port)
    port = request.getfixturevalue("production_server")
    return Site("127.0.0.1", port, {"X-Forwarded-Proto": "https"})


def with_csrf(site: Site) -> dict:
    """A CSRF cookie, and the Origin a browser sends (checked over HTTPS)."""
    scheme = "https" if site.headers else "http"
    return {"Cookie": f"csrftoken={CSRF_SECRET}", "Origin": f"{scheme}://{site.host}:{site.port}"}


def head(site: Site, request_line: str, *lines: str) -> bytes:
    """A request head; a Host line is added unless lines bring their own."""
    host = (
        []
        if any(line.startswith("Host:") for line in lines)
        else [f"Host: {site.host}:{site.port}"]
    )
    proxy = [f"{name}: {value}" for name, value in site.headers.items()]
    text = "\r\n".join([request_line, *host, *lines, *proxy, "Connection: close"])
    return text.encode("latin-1") + b"\r\n\r\n"


def test_oversized_body_is_refused_with_400(site):
    body = b"csrfmiddlewaretoken=" + CSRF_SECRET.encode() + b"&text=" + b"x" * 3_000_000
    status, _, page = site.post("/accounts/login/", body, with_csrf(site))
    assert status == 400
    assert b"We could not read that request" in page


def test_a_body_under_the_size_limit_is_read(site):
    """The control for the test above: 2 MB of form data reaches the login form."""
    body = b"csrfmiddlewaretoken=" + CSRF_SECRET.encode() + b"&text=" + b"x" * 2_000_000
    status, _, page = site.post("/accounts/login/", body, with_csrf(site))
    assert status == 200
    assert b'id="id_login"' in page


def test_too_many_fields_are_refused_with_400(site):
    body = "&".join([f"csrfmiddlewaretoken={CSRF_SECRET}"] + [f"f{i}=1" for i in range(1001)])
    status, _, page = site.post("/accounts/login/", body.encode(), with_csrf(site))
    assert status == 400
    assert b"We could not read that request" in page


def multipart(parts: list[tuple[str, str | None, bytes]], boundary: str = "nrBOUNDARY") -> bytes:
    """A multipart/form-data body from (field, filename or None, content) parts."""
    lines = []
    for name, filename, content in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        lines += [f"--{boundary}".encode(), f"Content-Disposition: {disposition}".encode()]
        lines += [b"", content]
    return b"\r\n".join([*lines, f"--{boundary}--".encode(), b""])


MULTIPART = {"Content-Type": "multipart/form-data; boundary=nrBOUNDARY"}


@pytest.mark.parametrize(("count", "status"), [(100, 200), (101, 400)])
def test_files_beyond_the_limit_are_refused_with_400(site, count, status):
    files = [("upload", f"f{i}.txt", b"x") for i in range(count)]
    body = multipart([("csrfmiddlewaretoken", None, CSRF_SECRET.encode()), *files])
    got, _, page = site.post("/accounts/login/", body, with_csrf(site) | MULTIPART)
    assert got == status
    marker = b'id="id_login"' if status == 200 else b"We could not read that request"
    assert marker in page


@pytest.mark.parametrize(
    "content_type",
    [
        "multipart/form-data",  # no boundary
        "multipart/form-data; boundary=",
        "multipart/form-data; boundary=" + "b" * 300,
    ],
)
def test_malformed_multipart_is_refused_with_400(site, content_type):
    body = multipart([("csrfmiddlewaretoken", None, CSRF_SECRET.encode())])
    headers = with_csrf(site) | {"Content-Type": content_type}
    status, _, page = site.post("/accounts/login/", body, headers)
    assert status == 400
    assert b"We could not read that request" in page


def test_a_field_count_under_the_limit_is_read(site):
    """The control for the test above: 900 fields pass parsing and reach the login form."""
    body = "&".join([f"csrfmiddlewaretoken={CSRF_SECRET}"] + [f"f{i}=1" for i in range(900)])
    status, _, page = site.post("/accounts/login/", body.encode(), with_csrf(site))
    assert status == 200
    assert b"errornote" in page or b'id="id_login"' in page


@pytest.mark.parametrize(
    "host", ["evil.example", "127.0.0.1:1@evil.example", "bad host", "a" * 300, "[::1"]
)
def test_a_bad_host_gets_the_sites_400_page(site, host):
    status, _, page = site.get("/", {"Host": host})
    assert status == 400
    assert b"We could not read that request" in page
    assert b'class="navbar-brand' in page  # the site's own layout, not a bare error


def test_two_host_headers_get_a_400_range_answer(site):
    answer = site.raw(
        head(site, "GET / HTTP/1.1", f"Host: {site.host}:{site.port}", "Host: evil.example")
    )
    assert 400 <= status_of(answer) < 500


@pytest.mark.parametrize(
    "lines",
    [
        ["Content-Length: 5", "Content-Length: 0"],
        ["X-Forwarded-For: 1.2.3.4", "X-Forwarded-For: 5.6.7.8"],
        ["Cookie: csrftoken=x", "Cookie: sessionid=y"],
        ["Content-Length: -1"],
        ["Content-Length: 12abc"],
        ["Accept-Language: " + "x-" * 200],
        ["Cookie: " + "=;" * 500],
        ["Referer: \x7f\x80\xff"],
    ],
    ids=[
        "two-lengths",
        "two-forwarded",
        "two-cookies",
        "negative-length",
        "bad-length",
        "long-language",
        "broken-cookie",
        "binary-referer",
    ],
)
def test_malformed_or_duplicated_headers_never_give_500(site, lines):
    answer = site.raw(head(site, "GET / HTTP/1.1", *lines))
    assert status_of(answer) < 500


MALFORMED = [
    b"GARBAGE\r\n\r\n",
    b"GET / HTTP/one\r\n\r\n",
    b"GET /\x00 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nno colon here\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"X-A: b\r\n" * 200 + b"\r\n",
    b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Long: " + b"a" * 70_000 + b"\r\n\r\n",
    b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
]
MALFORMED_IDS = [
    "garbage",
    "bad-version",
    "nul-in-path",
    "no-colon",
    "200-headers",
    "long-header",
    "long-path",
]


@pytest.mark.parametrize("data", MALFORMED, ids=MALFORMED_IDS)
def test_malformed_requests_never_get_a_5xx(site, data):
    assert status_of(site.raw(data)) < 500


@pytest.mark.parametrize("data", MALFORMED, ids=MALFORMED_IDS)
def test_production_server_refuses_malformed_requests_with_400_range(production_server, data):
    """gunicorn is stricter than Django's development server, which reads a header line
    without a colon as no header at all and answers a bare request line HTTP/0.9-style."""
    answer = Site("127.0.0.1", production_server).raw(data)
    assert 400 <= status_of(answer) < 500, answer[:200]


def test_post_without_csrf_cookie_gets_the_friendly_403(site):
    status, _, page = site.post("/accounts/login/", b"username=a&password=b")
    assert status == 403
    assert b"Your form has expired" in page


def test_post_with_a_forged_csrf_token_gets_the_friendly_403(site):
    body = b"csrfmiddlewaretoken=" + b"Z" * 64 + b"&username=a&password=b"
    status, _, page = site.post("/accounts/login/", body, with_csrf(site))
    assert status == 403
    assert b"Your form has expired" in page
