"""PostgreSQL reads the public pages and the moderation queue through indexes: no sequential
scan of the articles or comments table at a realistic size (bench/generate.py's data)."""

import json
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.comments.helpers import make_moderator

pytestmark = pytest.mark.django_db(transaction=True)
BIG_TABLES = {"articles_article", "comments_comment"}
ARTICLES, COMMENTS = 3_000, 30_000


@pytest.fixture
def bench_data(settings):
    if connection.vendor != "postgresql":
        pytest.skip(reason="EXPLAIN plans are PostgreSQL's: run with DATABASE_URL=postgres://...")
    from bench import generate

    settings.PAGECACHE_ENABLED = False  # the views' own queries, not a cache hit's
    rng = random.Random(6)
    people, desks = generate.make_people_and_sections(20, 8)
    hot = generate.make_articles(rng, ARTICLES, people, desks)
    generate.make_comments(rng, COMMENTS, hot, 2_000)
    with connection.cursor() as cursor:
        for table in BIG_TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")  # as autovacuum would after a load
    return hot


def plan_nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from plan_nodes(child)


def sequential_scans(client, url: str) -> list[str]:
    """Each query of ``url`` that reads a big table sequentially, with the scanned table."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    found = []
    for query in captured.captured_queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith("SELECT") or not any(t in sql for t in BIG_TABLES):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
            (plan,) = cursor.fetchone()
        plan = json.loads(plan) if isinstance(plan, str) else plan
        for node in plan_nodes(plan[0]["Plan"]):
            if node["Node Type"] == "Seq Scan" and node.get("Relation Name") in BIG_TABLES:
                found.append(f"{node['Relation Name']}: {sql[sql.find(' FROM ') :][:600]}")
    return found


def test_article_page_uses_indexes(client, bench_data):
    assert sequential_scans(client, bench_data.get_absolute_url()) == []


def test_front_page_uses_indexes(client, bench_data):
    assert sequential_scans(client, reverse("articles:front")) == []
    assert sequential_scans(client, reverse("articles:front") + "?page=40") == []


def test_section_page_uses_indexes(client, bench_data):
    assert sequential_scans(client, bench_data.section.get_absolute_url()) == []


@pytest.mark.parametrize("query", ["", "?queue=all&status__exact=pending"])
def test_moderation_queue_uses_indexes(client, bench_data, query):
    """The queue as moderators open it (the pending tab, with its tab counts) and the held
    comments among all. (Not the pending tab with ?status__exact=pending on top: PostgreSQL,
    asked for `pending AND (pending OR held edit)`, hashes the 3,000 articles at this size
    rather than probe them 77 times; nobody opens that address since the tabs came.)"""
    client.force_login(make_moderator())
    url = reverse("admin:comments_comment_changelist") + query
    assert sequential_scans(client, url) == []


@pytest.mark.parametrize("name", ["articles:feed-rss", "articles:feed-atom"])
def test_feeds_use_indexes(client, bench_data, name):
    """The newest items only: a GROUP BY for the latest correction had read every article."""
    assert sequential_scans(client, reverse(name)) == []
