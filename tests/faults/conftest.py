"""The production stack on throwaway servers: PostgreSQL, Redis, gunicorn with 4 workers."""

import re
import secrets
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest
from django.core import signing

from comments.tokens import FORM_SALT
from tests.faults import servers
from tests.security.server import ROOT, gunicorn, manage, production_env, request

WORKERS = 4
HTTPS = {"X-Forwarded-Proto": "https"}
READER_PASSWORD = "a reader's own good passphrase"
SETUP = """
from allauth.account.models import EmailAddress
from comments.models import DiscussionSettings
from tests.factories import make_article, make_user
conf = DiscussionSettings.load()
conf.trusted_after, conf.hold_links = 0, 0  # publish at once: the thread is what we check
conf.save()
for name in ("reader1", "reader2"):  # readers who log in (test_login_outage.py)
    user = make_user(username=name, email=name + "@example.com", password={password!r})
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
print(*[make_article().pk for _ in range({count})])
"""


@dataclass
class Stack:
    """The running site and the handles a fault test needs."""

    port: int
    secret: str
    postgres: servers.Postgres
    redis: servers.Redis
    access_log: Path
    articles: list[int] = field(default_factory=list)

    def token(self, article_id: int) -> str:
        """A form token as the site signs it, shown ten seconds ago (not too fast)."""
        payload = {"a": article_id, "t": int(time.time()) - 10}
        return signing.dumps(payload, key=self.secret, salt=FORM_SALT)

    def get(self, path: str, **headers) -> tuple:
        return request(self.port, "GET", path, headers=HTTPS | headers)

    def post_comment(self, article_id: int, *, ip: str, **fields) -> tuple:
        """A guest's post from address ip (the proxy's X-Forwarded-For): (status, headers, body)."""
        data = {
            "body": "A comment.",
            "name": "Guest",
            "email": f"{ip}@example.com",
            "token": self.token(article_id),
            "homepage_url": "",
        } | fields
        headers = HTTPS | {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Forwarded-For": ip,
        }
        path = f"/comments/post/{article_id}/"
        return request(self.port, "POST", path, body=urlencode(data), headers=headers)

    def query(self, sql: str, *params) -> list[tuple]:
        with psycopg.connect(self.postgres.url.replace("postgres://", "postgresql://")) as db:
            return db.execute(sql, params).fetchall()

    def worker_pids(self) -> set[str]:
        """The gunicorn workers that have answered so far (pid in the access log)."""
        return set(re.findall(r"^pid=<(\d+)>", self.access_log.read_text(), re.MULTILINE))


def comment_id(headers) -> int | None:
    """The id in the redirect to an accepted comment (…#comment-<id>)."""
    found = re.search(r"#comment-(\d+)$", headers.get("Location", ""))
    return int(found.group(1)) if found else None


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    ready, why = servers.available()
    if not ready:
        pytest.skip(reason=why)
    folder = tmp_path_factory.mktemp("faults")
    with servers.postgres_server() as postgres, servers.redis_server(folder) as redis:
        secret = secrets.token_urlsafe(50)
        env = production_env(
            folder,
            DATABASE_URL=postgres.url,
            REDIS_URL=redis.url,
            DJANGO_SECRET_KEY=secret,
            NEWSROOM_TRUSTED_PROXIES="1",
        )
        for args in (("collectstatic", "--noinput"), ("migrate", "--noinput")):
            result = manage(env, *args)
            assert result.returncode == 0, result.stderr
        made = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "shell",
                "-c",
                SETUP.format(count=6, password=READER_PASSWORD),
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert made.returncode == 0, made.stderr
        log = folder / "access.log"
        extra = ("--access-logfile", str(log), "--access-logformat", "pid=%(p)s %(s)s %(U)s")
        with gunicorn(env, workers=WORKERS, extra=extra) as port:
            yield Stack(
                port=port,
                secret=secret,
                postgres=postgres,
                redis=redis,
                access_log=log,
                articles=[int(pk) for pk in made.stdout.splitlines()[-1].split()],
            )
