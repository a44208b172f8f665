"""Password-reset links are built from the real host, never a forged Host header."""

import re
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

import pytest

from tests.factories import make_user
from tests.security.server import request

pytestmark = pytest.mark.django_db(transaction=True)
RESET = "/accounts/password/reset/"


def reset_password(live_server, email: str, headers: dict) -> int:
    """Ask for a reset link as a browser would; return the status of the POST."""
    url = urlsplit(live_server.url)
    _, got, page = request(url.port, "GET", RESET, headers=headers, host=url.hostname)
    jar = SimpleCookie()
    for value in got.get_all("Set-Cookie") or []:
        jar.load(value)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    status, _, _ = request(
        url.port,
        "POST",
        RESET,
        body=urlencode({"csrfmiddlewaretoken": token, "email": email}),
        headers=headers
        | {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={jar['csrftoken'].value}",
        },
        host=url.hostname,
    )
    return status


def test_forwarded_host_header_does_not_reach_the_reset_link(live_server, smtp_mailbox):
    make_user(email="victim@example.org")
    status = reset_password(live_server, "victim@example.org", {"X-Forwarded-Host": "evil.example"})
    assert status == 302
    message = smtp_mailbox.wait_for(lambda m: m["To"] == "victim@example.org")
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "evil.example" not in body
    assert f"{live_server.url}/accounts/password/reset/key/" in body


def test_a_forged_host_header_sends_no_mail(live_server, smtp_mailbox):
    make_user(email="victim@example.org")
    url = urlsplit(live_server.url)
    status, _, page = request(
        url.port,
        "POST",
        RESET,
        body=urlencode({"email": "victim@example.org"}),
        headers={"Host": "evil.example", "Content-Type": "application/x-www-form-urlencoded"},
        host=url.hostname,
    )
    assert status == 400
    assert b"We could not read that request" in page
    assert smtp_mailbox.messages == []
