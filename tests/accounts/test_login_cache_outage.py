"""With Redis down, logins keep working and their limits are kept in the database.

allauth's rate limiter takes a lock with an atomic cache add; on a cache that reads an
outage as "not added" every login answered 429. Here the default cache is the site's
ResilientRedisCache pointed at a closed port, configured as production is."""

import pytest
from allauth.account.models import EmailAddress
from django.test import override_settings
from django.urls import reverse

from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def dead_redis_with_fallback(dead_redis_cache):
    """CACHES as settings.py builds them with REDIS_URL, Redis unreachable."""
    default = dead_redis_cache["default"] | {
        "FALLBACK": {"CACHE": "ratelimits", "KEY_PREFIXES": ["allauth:rl:"]}
    }
    ratelimits = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "accounts_ratelimit_fallback",
    }
    return {"default": default, "ratelimits": ratelimits}


def reader(username: str):
    user = make_user(username=username)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def log_in(client, username: str, password: str):
    return client.post(reverse("account_login"), {"login": username, "password": password})


def test_login_works_while_redis_is_down(client, dead_redis_with_fallback):
    user = reader("outage-reader")
    with override_settings(CACHES=dead_redis_with_fallback):
        response = log_in(client, user.username, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_failed_login_limit_holds_while_redis_is_down(client, dead_redis_with_fallback):
    user = reader("outage-target")
    with override_settings(CACHES=dead_redis_with_fallback):
        for _ in range(5):
            answer = log_in(client, user.username, "wrong")
            assert answer.status_code == 200
            assert "Too many failed login attempts" not in answer.content.decode()
        blocked = log_in(client, user.username, PASSWORD)  # the 6th, even with the password
    assert "Too many failed login attempts" in blocked.content.decode()
    assert "_auth_user_id" not in client.session
