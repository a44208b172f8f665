"""Fault: PostgreSQL drops a worker's persistent connection (restart, failover, idle kill).

gunicorn keeps connections for DATABASE_CONN_MAX_AGE; with health checks on, the next request
notices the dead connection and reconnects instead of answering 500.
"""

import psycopg
import pytest
from django.db import connection

from tests.core.serving import get, running_gunicorn
from tests.factories import make_article

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="kills a PostgreSQL backend; run with DATABASE_URL=postgres://...",
    ),
    pytest.mark.django_db(transaction=True),
]
APP_NAME = "newsroom_fault_test"
HTTPS = {"X-Forwarded-Proto": "https"}


def database_url(settings_dict) -> str:
    password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
    return (
        f"postgres://{settings_dict['USER']}{password}@{settings_dict['HOST']}:"
        f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}?application_name={APP_NAME}"
    )


def kill_server_connections(settings_dict) -> int:
    with psycopg.connect(
        dbname="postgres",
        host=settings_dict["HOST"],
        port=settings_dict["PORT"] or 5432,
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"] or None,
        autocommit=True,
    ) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
            [APP_NAME],
        ).fetchall()
    return len(rows)


def test_page_after_the_database_dropped_the_connection_is_served(tmp_path):
    article = make_article(title="Survives a reconnect")
    with running_gunicorn(tmp_path, DATABASE_URL=database_url(connection.settings_dict)) as port:
        assert get(port, "/healthz").status == 200  # the worker now holds a connection
        assert kill_server_connections(connection.settings_dict) >= 1
        response = get(port, article.get_absolute_url(), HTTPS)
        assert response.status == 200
        assert b"Survives a reconnect" in response.body
