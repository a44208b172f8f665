"""PostgreSQL parses and plans the article page's reads once per connection: parameters are
bound by the server and a statement run five times is prepared (newsroom/settings.py,
docs/decisions.md: the cold build). DATABASE_PREPARED_STATEMENTS=0 turns it off for a
pooler that cannot keep prepared statements."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.factories import make_article

ROOT = Path(__file__).resolve().parents[2]


def database_options(**env) -> dict:
    """The OPTIONS the settings module gives the default database (and a replica) under
    ``env``, read in a fresh interpreter."""
    code = (
        "import json; from django.conf import settings; "
        "print(json.dumps([settings.DATABASES['default'].get('OPTIONS', {}), "
        "settings.DATABASES.get('replica1', {}).get('OPTIONS', {})]))"
    )
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_REPLICA_URLS": "",
        **env,
    }
    found = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True
    )
    assert found.returncode == 0, found.stderr
    return json.loads(found.stdout)


def test_postgres_binds_on_the_server_and_prepares_by_default():
    url = "postgres://postgres@127.0.0.1:5432/newsroom"
    default, replica = database_options(DATABASE_URL=url, DATABASE_REPLICA_URLS=url)
    for options in (default, replica):
        assert options["server_side_binding"] is True
        assert options["prepare_threshold"] == 5


def test_the_switch_turns_prepared_statements_off():
    url = "postgres://postgres@127.0.0.1:5432/newsroom"
    default, _ = database_options(DATABASE_URL=url, DATABASE_PREPARED_STATEMENTS="0")
    assert "server_side_binding" not in default
    assert "prepare_threshold" not in default


def test_sqlite_is_left_alone():
    default, _ = database_options(DATABASE_URL="sqlite:////tmp/prepared-test.sqlite3")
    assert "server_side_binding" not in default
    assert default["transaction_mode"] == "IMMEDIATE"


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="prepared statements are PostgreSQL's; run with DATABASE_URL=postgres://...",
)
@pytest.mark.django_db
def test_the_article_page_reads_with_prepared_statements(client, settings):
    settings.PAGECACHE_ENABLED = settings.PAGECACHE_FRAGMENTS = False  # built every time
    article = make_article(title="Prepared once", body="<p>Brussels.</p>")
    for _ in range(7):
        assert client.get(article.get_absolute_url()).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('FROM "articles_article"' in sql for sql in prepared), prepared
    assert any('FROM "comments_comment"' in sql for sql in prepared), prepared
