"""The production block of settings: persistent connections, replicas, sessions, static, bench."""

from tests.core.probe import run_probe

PROBE = """
import json, django
from django.conf import settings
django.setup()
from django.test import Client
hello = Client().get("/bench/hello/")
print(json.dumps({
    "databases": settings.DATABASES,
    "replicas": settings.DATABASE_REPLICAS,
    "sessions": settings.SESSION_ENGINE,
    "static": settings.STORAGES["staticfiles"]["BACKEND"],
    "bypass": settings.PAGECACHE_BYPASS_HEADER,
    "hello": [hello.status_code, hello.content.decode()[:20]],
}, default=str))
"""


def probe(**env) -> dict:
    return run_probe(PROBE, **env)


def test_postgresql_keeps_connections_open_with_health_checks():
    found = probe(DATABASE_URL="postgres://newsroom@db.internal:5432/newsroom")
    default = found["databases"]["default"]
    assert (default["CONN_MAX_AGE"], default["CONN_HEALTH_CHECKS"]) == (60, True)


def test_replica_urls_become_replica_aliases_mirrored_in_tests():
    found = probe(
        DATABASE_URL="postgres://newsroom@primary.internal:5432/newsroom",
        DATABASE_REPLICA_URLS="postgres://ro@r1.internal/newsroom, postgres://ro@r2.internal/newsroom",
    )
    assert found["replicas"] == ["replica1", "replica2"]
    first = found["databases"]["replica1"]
    assert (first["HOST"], first["USER"], first["NAME"]) == ("r1.internal", "ro", "newsroom")
    assert first["ENGINE"] == "django.db.backends.postgresql"
    assert (first["CONN_MAX_AGE"], first["CONN_HEALTH_CHECKS"]) == (60, True)
    assert first["TEST"]["MIRROR"] == "default"
    assert found["databases"]["replica2"]["HOST"] == "r2.internal"


def test_no_replica_urls_means_no_replicas():
    found = probe()
    assert found["replicas"] == [] and list(found["databases"]) == ["default"]


def test_sessions_live_in_the_database_behind_the_cache():
    assert probe()["sessions"] == "django.contrib.sessions.backends.cached_db"


def test_debug_off_serves_compressed_fingerprinted_static():
    found = probe(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 60)
    assert found["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_hello_view_and_cache_bypass_exist_only_for_the_benchmark():
    assert probe()["hello"][0] == 404
    assert probe()["bypass"] == ""
    found = probe(NEWSROOM_BENCH="1")
    assert found["hello"] == [200, "hello"]
    assert found["bypass"] == "X-Bench-Bypass-Page-Cache"
