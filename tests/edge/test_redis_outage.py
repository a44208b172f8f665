"""A change made while Redis is down reaches the edge, and stays there when Redis returns.

The site's cache is a throwaway redis-server (whatever the suite runs on) reached through a
relay: stopping the relay is Redis gone with its data kept, as after a network cut. The
page cache still holds the article as it was, with scope versions the change could not
bump; only the purge's retry, once Redis answers, expires them.
"""

import shutil
import time

import pytest
from django.urls import reverse

from articles import services
from core import edgepurge
from core.models import PendingPurge
from tests.edge.conftest import WAIT_SECONDS, Relay
from tests.factories import make_article, make_user
from tests.faults import servers

pytestmark = pytest.mark.django_db(transaction=True)
FIX = "The vote was on Tuesday."


@pytest.fixture
def relayed_redis(tmp_path, edge_settings):
    if not shutil.which("redis-server"):
        pytest.skip(reason="redis-server is not installed (Debian: apt-get install redis-server)")
    with servers.redis_server(tmp_path) as redis:
        relay = Relay(redis.port)
        edge_settings.CACHES = {
            "default": {
                "BACKEND": "core.cache.ResilientRedisCache",
                "LOCATION": f"redis://127.0.0.1:{relay.port}/0",
                "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            }
        }
        yield relay
        if relay.listener is not None:
            relay.stop()


def retry_until_done() -> None:
    """What the worker does with the retry it was given: run it when due."""
    deadline = time.monotonic() + WAIT_SECONDS
    while PendingPurge.objects.exists() and time.monotonic() < deadline:
        edgepurge.purge_due()
        time.sleep(0.1)


def test_a_purge_sent_while_redis_is_down_still_happens_when_it_returns(
    relayed_redis, edge, client
):
    article = make_article()
    path = article.get_absolute_url()
    edge.wait_for(path, lambda a: a.cache == "HIT")
    relayed_redis.stop()
    services.correction_add(article=article, by=make_user(is_superuser=True), text=FIX)
    # Redis down: the edge was purged and the site renders afresh, but the page cache
    # could not be told, so the purge waits and /healthz says so.
    assert FIX in edge.get(path).body
    assert PendingPurge.objects.filter(last_error__contains="page cache").exists()
    health = client.get(reverse("healthz")).json()
    assert health["status"] == "failed"  # the cache is down too
    assert health["edge_purge"].startswith("failed: ")
    assert "page cache unavailable" in health["edge_purge"]
    relayed_redis.start()
    retry_until_done()
    assert not PendingPurge.objects.exists()
    assert FIX in edge.get(path).body
    kept, _ = edge.wait_for(path, lambda a: a.cache == "HIT")
    assert kept.cache == "HIT" and FIX in kept.body
    assert client.get(reverse("healthz")).json()["edge_purge"] == "ok"
