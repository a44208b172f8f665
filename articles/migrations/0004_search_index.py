"""A GIN index over the weighted full-text vector, on PostgreSQL only (SQLite has no GIN)."""

from django.db import migrations

INDEX_NAME = "article_search_gin"
# This migration's own copy of articles.search.search_vector (the query must keep using the
# same expression for PostgreSQL to use the index).
SEARCH_CONFIG = "english"


def search_vector():
    from django.contrib.postgres.search import SearchVector

    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("standfirst", weight="B", config=SEARCH_CONFIG)
        + SearchVector("body", weight="C", config=SEARCH_CONFIG)
    )


def _index(apps):
    from django.contrib.postgres.indexes import GinIndex

    return GinIndex(search_vector(), name=INDEX_NAME)


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("articles", "Article"), _index(apps))


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("articles", "Article"), _index(apps))


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_roles")]

    operations = [migrations.RunPython(add_index, remove_index)]
