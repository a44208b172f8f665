"""Read replicas: anonymous reads from a replica, writes and a writer's next reads from the
primary. The replica is a second real PostgreSQL database created (and dropped) here."""

import time

import psycopg
import pytest
from django.apps import apps as django_apps
from django.contrib.sites.models import Site
from django.db import connection, connections, transaction
from django.db.utils import load_backend
from django.test import RequestFactory

from articles.models import Article
from core import dbrouter
from tests.factories import make_article

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs a second PostgreSQL database; run with DATABASE_URL=postgres://...",
)
ALIAS = "replica1"


def replica_models() -> list:
    """Every concrete model: a replica is a full copy of the primary's schema."""
    return [
        model for model in django_apps.get_models() if model._meta.managed and not model._meta.proxy
    ]


def admin_connection(settings_dict):
    return psycopg.connect(
        dbname="postgres",
        host=settings_dict["HOST"] or None,
        port=settings_dict["PORT"] or None,
        user=settings_dict["USER"] or None,
        password=settings_dict["PASSWORD"] or None,
        autocommit=True,
    )


@pytest.fixture(scope="module")
def replica_database(django_db_setup, django_db_blocker):
    """A second real PostgreSQL database with the project's tables, as replica1."""
    primary = connections.settings["default"]
    name = f"{primary['NAME']}_replica"
    with admin_connection(primary) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    # Registered as a live connection only (not in connections.settings): Django's test case
    # allows such dynamically created connections, and the runner never flushes it.
    backend = load_backend(primary["ENGINE"])
    connections[ALIAS] = backend.DatabaseWrapper({**primary, "NAME": name}, ALIAS)
    with django_db_blocker.unblock(), connections[ALIAS].schema_editor() as editor:
        # Foreign keys are added at the end of the block, so the order does not matter.
        for model in replica_models():
            editor.create_model(model)
    yield ALIAS
    connections[ALIAS].close()
    del connections[ALIAS]
    with admin_connection(primary) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def replica(replica_database, transactional_db, settings):
    """replica1 as the only replica, emptied after each test."""
    settings.DATABASE_REPLICAS = [ALIAS]
    settings.PAGECACHE_ENABLED = False  # this test watches the database, not the page cache
    # A real replica streams every row of the primary; copy the site row pages read.
    Site.objects.using(ALIAS).bulk_create(list(Site.objects.all()))
    yield ALIAS
    tables = ", ".join(model._meta.db_table for model in replica_models())
    with connections[ALIAS].cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} CASCADE")


def diverge(article, replica_title):
    """Give the replica a different headline, so a page shows which database it read."""
    Article.objects.using(ALIAS).bulk_create(
        [
            Article(
                pk=article.pk,
                title=replica_title,
                slug=article.slug,
                status=article.status,
                published_at=article.published_at,
            )
        ]
    )


def test_anonymous_get_reads_from_the_replica(client, replica):
    article = make_article(title="Primary headline", authors=[])
    diverge(article, "Replica headline")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Replica headline" in html


def test_reads_after_a_post_come_from_the_primary(client, replica):
    article = make_article(title="Primary headline", authors=[])
    diverge(article, "Replica headline")
    response = client.post("/healthz")  # any write-method request pins the client
    assert dbrouter.PIN_COOKIE in response.cookies
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Primary headline" in html


def test_an_expired_pin_reads_from_the_replica_again(client, replica):
    article = make_article(title="Primary headline", authors=[])
    diverge(article, "Replica headline")
    client.cookies[dbrouter.PIN_COOKIE] = str(int(time.time()) - 1)
    assert "Replica headline" in client.get(article.get_absolute_url()).content.decode()


def test_writes_go_to_the_primary_even_while_reading_from_the_replica(replica):
    token = dbrouter._read_alias.set(ALIAS)
    try:
        written = make_article(title="Written during a replica request", authors=[])
    finally:
        dbrouter._read_alias.reset(token)
    assert Article.objects.using("default").filter(pk=written.pk).exists()
    assert not Article.objects.using(ALIAS).filter(pk=written.pk).exists()


def test_reads_inside_a_transaction_use_the_primary(replica):
    article = make_article(title="Primary headline", authors=[])
    diverge(article, "Replica headline")
    token = dbrouter._read_alias.set(ALIAS)
    try:
        outside = Article.objects.get(pk=article.pk).title
        with transaction.atomic():
            inside = Article.objects.get(pk=article.pk).title
    finally:
        dbrouter._read_alias.reset(token)
    assert (outside, inside) == ("Replica headline", "Primary headline")


def test_code_outside_a_request_reads_from_the_primary(replica):
    article = make_article(title="Primary headline", authors=[])
    diverge(article, "Replica headline")
    assert Article.objects.get(pk=article.pk).title == "Primary headline"


def test_pin_cookie_expires_after_the_configured_seconds(client, replica, settings):
    settings.DATABASE_PIN_SECONDS = 7
    before = time.time()
    cookie = client.post("/healthz").cookies[dbrouter.PIN_COOKIE]
    assert cookie["max-age"] == 7
    assert before + 7 <= float(cookie.value) <= time.time() + 8
    assert cookie["httponly"]


def test_safe_request_does_not_pin(replica):
    request = RequestFactory().get("/")
    assert dbrouter.read_alias_for(request, time.time()) == ALIAS
