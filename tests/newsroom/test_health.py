"""/healthz: 200 when the database and cache answer, 503 naming the part that does not."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
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
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{closed_port}/newsroom",
    }
    result = subprocess.run(
        [sys.executable, "-c", HEALTH_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["status"] == 503
    assert found["body"] == {
        "status": "failed",
        "database": "failed: OperationalError",
        "cache": "ok",
    }


@pytest.mark.django_db
def test_post_is_refused(client):
    assert client.post(reverse("healthz")).status_code == 405
