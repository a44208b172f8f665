import pytest
from django.db import connection

from articles.models import Article
from articles.search import article_search
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_search_matches_words_in_headline_standfirst_or_body_on_either_database():
    a = make_article(title="Budget agreed")
    b = make_article(standfirst="The budget vote passed.")
    c = make_article(body="<p>Ministers signed the budget.</p>")
    make_article(title="Nothing to see")
    found = set(article_search(Article.objects.all(), "budget"))
    assert found == {a, b, c}


def test_all_words_must_match():
    both = make_article(title="Budget agreed in Brussels")
    make_article(title="Budget agreed in Paris")
    assert list(article_search(Article.objects.all(), "budget brussels")) == [both]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="ranking and stemming need PostgreSQL"
)
def test_postgres_ranks_headline_over_body_and_stems_words():
    body = make_article(title="Other", body="<p>Talks on budgets.</p>")
    headline = make_article(title="Budgets", body="<p>Other words.</p>")
    assert list(article_search(Article.objects.all(), "budget")) == [headline, body]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the GIN index exists on PostgreSQL only"
)
def test_postgres_has_the_gin_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s", ["article_search_gin"]
        )
        (definition,) = cursor.fetchone()
    assert "gin" in definition.lower() and "to_tsvector" in definition


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the GIN index exists on PostgreSQL only"
)
def test_postgres_search_can_use_the_gin_index():
    make_article(title="Budget agreed")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = article_search(Article.objects.all(), "budget").explain()
    assert "article_search_gin" in plan
