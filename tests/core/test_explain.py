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


def test_thread_page_reads_its_top_level_comments_in_order_from_their_index(bench_data):
    """The 2,000-comment article's first thread page: its 50 top-level comments come in
    order from comment_roots (a LIMIT over the index), not every root read and sorted, in
    the generic plan PostgreSQL keeps for the prepared read (values bound, not known)."""
    from comments import threads

    sql, params = threads._rows("oldest", 0, 50, article_id=bench_data.pk).query.sql_with_params()
    numbered = sql.replace("%s", "{}").format(*(f"${n}" for n in range(1, len(params) + 1)))
    with connection.cursor() as cursor:
        cursor.execute("SET plan_cache_mode = force_generic_plan")
        try:
            types = ", ".join("integer" if isinstance(p, int) else "text" for p in params)
            cursor.execute(f"PREPARE thread_rows ({types}) AS {numbered}")
            values = ", ".join(
                str(p) if isinstance(p, int) else "'" + p.replace("'", "''") + "'" for p in params
            )
            cursor.execute(f"EXPLAIN (FORMAT JSON) EXECUTE thread_rows({values})")
            (plan,) = cursor.fetchone()
        finally:
            cursor.execute("DEALLOCATE ALL")
            cursor.execute("RESET plan_cache_mode")
    plan = json.loads(plan) if isinstance(plan, str) else plan
    limits = [node for node in plan_nodes(plan[0]["Plan"]) if node["Node Type"] == "Limit"]
    assert len(limits) == 1
    below = list(plan_nodes(limits[0]["Plans"][0]))
    assert [node.get("Index Name") for node in below] == ["comment_roots"], below
