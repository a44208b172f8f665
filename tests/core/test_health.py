"""/healthz: 200 when the database and cache answer, 503 naming the part that does not."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.core.probe import run_probe

HEALTH_PROBE = (
    "import json, django; django.setup(); from django.test import Client; "
    "r = Client().get('/healthz'); print(json.dumps({'status': r.status_code, 'body': r.json()}))"
)


@pytest.mark.django_db
def test_healthy_when_database_and_cache_answer(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_unreachable_redis_gives_503_naming_the_cache(client, dead_redis_cache):
    with override_settings(CACHES=dead_redis_cache):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {
        "status": "failed",
        "database": "ok",
        "cache": "failed: ConnectionError",
    }


def test_unreachable_database_gives_503_naming_the_database(closed_port):
    found = run_probe(
        HEALTH_PROBE, DATABASE_URL=f"postgres://postgres@127.0.0.1:{closed_port}/newsroom"
    )
    assert found["status"] == 503
    assert found["body"] == {
        "status": "failed",
        "database": "failed: OperationalError",
        "cache": "ok",
    }


@pytest.mark.django_db
def test_post_is_refused(client):
    assert client.post(reverse("healthz")).status_code == 405


def test_unreachable_replica_gives_503_naming_the_replica(closed_port, tmp_path):
    found = run_probe(
        HEALTH_PROBE,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DATABASE_REPLICA_URLS=f"postgres://postgres@127.0.0.1:{closed_port}/newsroom",
    )
    assert found["status"] == 503
    assert found["body"] == {
        "status": "failed",
        "database": "ok",
        "database:replica1": "failed: OperationalError",
        "cache": "ok",
    }
