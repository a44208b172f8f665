"""Behind one trusted proxy, login limits count each reader's own address, not the proxy's.

gunicorn (DEBUG off) with NEWSROOM_TRUSTED_PROXIES=1 behind a real forwarding proxy hop
(tests/security/proxy.py, as nginx's proxy_add_x_forwarded_for). Clients connect to the
proxy from different loopback addresses (127.0.0.2, 127.0.0.3)."""

import http.client
from urllib.parse import urlencode

import pytest

from tests.security.proxy import reverse_proxy
from tests.security.server import gunicorn, manage, production_env

CSRF_SECRET = "a" * 16 + "B" * 16  # a valid secret, sent as both cookie and token
PASSWORD = "the victim's own good passphrase"
ATTACKER, VICTIM, FORGER = "127.0.0.2", "127.0.0.3", "127.0.0.4"
IP_LIMIT = 3  # failed logins a minute per address (ACCOUNT_LOGIN_FAILED_LIMIT below)
MAKE_VICTIM = f"""
from allauth.account.models import EmailAddress
from tests.factories import make_user
user = make_user(username="victim", email="victim@example.com", password={PASSWORD!r})
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
"""


@pytest.fixture(scope="module")
def proxied_site(tmp_path_factory):
    """The proxy's port, with gunicorn behind it trusting one proxy hop."""
    env = production_env(
        tmp_path_factory.mktemp("proxied"),
        NEWSROOM_TRUSTED_PROXIES="1",
        ACCOUNT_LOGIN_FAILED_LIMIT=f"{IP_LIMIT}/m/ip,5/5m/key",
    )
    for args in (("collectstatic", "--noinput"), ("migrate", "--noinput")):
        result = manage(env, *args)
        assert result.returncode == 0, result.stderr
    result = manage(env, "shell", "-c", MAKE_VICTIM)
    assert result.returncode == 0, result.stderr
    with gunicorn(env) as port, reverse_proxy(port) as proxy_port:
        yield proxy_port


def log_in(port: int, source: str, login: str, password: str, **headers) -> tuple[int, str]:
    """POST the site's login form from loopback address source; (status, body)."""
    fields = {"csrfmiddlewaretoken": CSRF_SECRET, "login": login, "password": password}
    headers |= {
        "X-Forwarded-Proto": "https",
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={CSRF_SECRET}",
        "Origin": f"https://127.0.0.1:{port}",
    }
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=30, source_address=(source, 0)
    )
    try:
        connection.request("POST", "/accounts/login/", body=urlencode(fields), headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def limited(answer: tuple[int, str]) -> bool:
    status, body = answer
    return status == 429 or "Too many failed login attempts" in body


def test_one_clients_failed_logins_do_not_lock_out_another(proxied_site):
    for number in range(IP_LIMIT):
        answer = log_in(proxied_site, ATTACKER, f"guess{number}", "wrong")
        assert answer[0] == 200 and not limited(answer)
    assert limited(log_in(proxied_site, ATTACKER, "guess-more", "wrong"))
    status, _ = log_in(proxied_site, VICTIM, "victim", PASSWORD)
    assert status == 302  # logged in: the attacker's count is not the victim's


def test_a_forged_forwarded_for_does_not_escape_the_limit(proxied_site):
    """A client naming a new address in every request is still counted by the proxy's entry."""
    answers = [
        log_in(
            proxied_site, FORGER, f"forger{n}", "wrong", **{"X-Forwarded-For": f"198.51.100.{n}"}
        )
        for n in range(IP_LIMIT + 1)
    ]
    assert not any(limited(answer) for answer in answers[:IP_LIMIT])
    assert limited(answers[-1])
