"""Article search: PostgreSQL full-text with ranking, or a plain icontains elsewhere."""

from django.db import connection
from django.db.models import Q

from articles.models import ArticleQuerySet

# The same expression as the GIN index in migration 0004, so PostgreSQL can use it.
SEARCH_CONFIG = "english"


def search_vector():
    from django.contrib.postgres.search import SearchVector

    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("standfirst", weight="B", config=SEARCH_CONFIG)
        + SearchVector("body", weight="C", config=SEARCH_CONFIG)
    )


def article_search(queryset: ArticleQuerySet, text: str) -> ArticleQuerySet:
    """Published-or-not is the caller's choice; this only matches and orders by relevance."""
    text = text.strip()
    if not text:
        return queryset.none()
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank

        query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
        # "search @@ query" on the indexed expression lets PostgreSQL use the GIN index.
        return (
            queryset.annotate(search=search_vector(), rank=SearchRank(search_vector(), query))
            .filter(search=query)
            .order_by("-rank", "-published_at", "-id")
        )
    words = text.split()[:8]
    match = Q()
    for word in words:
        match &= Q(title__icontains=word) | Q(standfirst__icontains=word) | Q(body__icontains=word)
    return queryset.filter(match).order_by("-published_at", "-id")
