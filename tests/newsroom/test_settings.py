"""Settings read the environment: database, cache, email, and the refusal without a key."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({'db': settings.DATABASES['default']['ENGINE'], "
    "'name': settings.DATABASES['default']['NAME'], "
    "'cache': settings.CACHES['default']['BACKEND'], "
    "'mailer': settings.MAILERS['default'], 'debug': settings.DEBUG}))"
)
BASE_ENV = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "newsroom.settings"}


def probe(**env) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**BASE_ENV, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_nothing_set_means_sqlite_locmem_console_and_debug():
    found = probe()
    assert found["db"] == "django.db.backends.sqlite3"
    assert found["name"].endswith("db.sqlite3")
    assert found["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert found["mailer"]["BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert found["debug"] is True


def test_database_url_selects_postgresql():
    found = probe(DATABASE_URL="postgres://newsroom@db.internal:5432/newsroom")
    assert found["db"] == "django.db.backends.postgresql"
    assert found["name"] == "newsroom"


def test_redis_url_selects_djangos_redis_cache_made_resilient():
    found = probe(REDIS_URL="redis://127.0.0.1:6379/3")
    assert found["cache"] == "core.cache.ResilientRedisCache"


def test_email_url_configures_an_smtp_mailer():
    found = probe(EMAIL_URL="smtp://me:secret@127.0.0.1:2525?tls=1")
    assert found["mailer"]["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    options = found["mailer"]["OPTIONS"]
    assert (options["host"], options["port"], options["username"]) == ("127.0.0.1", 2525, "me")
    assert options["use_tls"] is True


def test_debug_off_without_secret_key_refuses_in_one_line():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**BASE_ENV, "DJANGO_DEBUG": "0"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "DJANGO_SECRET_KEY" in lines[0]


def test_debug_off_with_secret_key_starts():
    found = probe(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 60)
    assert found["debug"] is False


def test_site_url_for_email_links_follows_port_unless_set():
    read = "import django; from django.conf import settings as s; django.setup(); print(s.SITE_URL)"

    def site_url(**env) -> str:
        command = [sys.executable, "-c", read]
        done = subprocess.run(command, cwd=ROOT, env={**BASE_ENV, **env}, capture_output=True)
        return done.stdout.decode().strip()

    assert site_url() == "http://127.0.0.1:8000"
    assert site_url(PORT="8177") == "http://127.0.0.1:8177"  # make run, make serve, make worker
    assert site_url(PORT="8177", SITE_URL="https://news.example/") == "https://news.example"
