"""Redis stopped under the running site: readers still log in, and login limits still hold,
kept in the database meanwhile (the "ratelimits" cache; settings.py, core/cache.py)."""

from urllib.parse import urlencode

from tests.faults.conftest import HTTPS, READER_PASSWORD
from tests.security.server import request

CSRF_SECRET = "a" * 16 + "B" * 16  # a valid secret, sent as both cookie and token
LIMITED = b"Too many failed login attempts"


def log_in(stack, username: str, password: str, *, ip: str) -> tuple:
    """POST the login form as a reader at ip (the proxy's X-Forwarded-For)."""
    fields = {"csrfmiddlewaretoken": CSRF_SECRET, "login": username, "password": password}
    headers = HTTPS | {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={CSRF_SECRET}",
        "Origin": f"https://127.0.0.1:{stack.port}",
        "X-Forwarded-For": ip,
    }
    return request(stack.port, "POST", "/accounts/login/", body=urlencode(fields), headers=headers)


def cookies_set(headers) -> str:
    return " ".join(headers.get_all("Set-Cookie") or [])


def test_redis_stopped_logins_work_and_their_limit_holds(stack):
    stack.redis.stop()
    try:
        status, headers, _ = log_in(stack, "reader1", READER_PASSWORD, ip="203.0.113.21")
        assert status == 302 and "sessionid=" in cookies_set(headers)

        # Five failures for one account, spread over the workers, then the right password.
        for _ in range(5):
            status, _, body = log_in(stack, "reader2", "wrong", ip="203.0.113.22")
            assert status == 200 and LIMITED not in body
        status, headers, body = log_in(stack, "reader2", READER_PASSWORD, ip="203.0.113.22")
        assert LIMITED in body and "sessionid=" not in cookies_set(headers)
    finally:
        stack.redis.start()
    counts = stack.query("SELECT count(*) FROM accounts_ratelimit_fallback")
    assert counts[0][0] > 0  # the limits were kept in PostgreSQL
