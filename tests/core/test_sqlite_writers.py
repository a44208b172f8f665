"""SQLite on one host: 8 processes writing articles at once never see "database is locked"."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WRITERS = 8
ARTICLES_EACH = 25
WRITER = """
import os, sys, time
import django
django.setup()
from django.db import transaction
from django.utils import timezone
from accounts.models import User
from articles.models import Article, Byline

number, go = int(sys.argv[1]), sys.argv[2]
for _ in range(1000):  # wait (at most 10 s) for the common start signal
    if os.path.exists(go):
        break
    time.sleep(0.01)
else:
    sys.exit("no start signal")
author = User.objects.create(username=f"writer{number}")
for index in range(ARTICLES_EACH):
    with transaction.atomic():
        # Read, then write in the same transaction: the pattern that fails at once with
        # DEFERRED transactions when another writer commits in between.
        position = Article.objects.filter(slug__startswith=f"w{number}-").count()
        article = Article.objects.create(
            title=f"Writer {number} story {position}",
            slug=f"w{number}-{index}",
            status="published",
            published_at=timezone.now(),
        )
        Byline.objects.create(article=article, author=author)
print("wrote", ARTICLES_EACH)
""".replace("ARTICLES_EACH", str(ARTICLES_EACH))


def test_eight_concurrent_writers_never_see_database_is_locked(tmp_path):
    database = tmp_path / "db.sqlite3"
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    run = {"cwd": ROOT, "env": env, "capture_output": True, "text": True}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], check=True, timeout=300, **run)
    go = tmp_path / "go"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(n), str(go)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(WRITERS)
    ]
    go.touch()
    outcomes = [writer.communicate(timeout=300) for writer in writers]
    errors = [stderr for _, stderr in outcomes if stderr.strip()]
    assert not any("database is locked" in error for error in errors), errors
    assert [writer.returncode for writer in writers] == [0] * WRITERS, errors
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        count = db.execute("SELECT count(*) FROM articles_article").fetchone()[0]
        bylines = db.execute("SELECT count(*) FROM articles_byline").fetchone()[0]
    assert (count, bylines) == (WRITERS * ARTICLES_EACH, WRITERS * ARTICLES_EACH)
