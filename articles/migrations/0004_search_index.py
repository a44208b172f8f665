"""A GIN index over the weighted full-text vector, on PostgreSQL only (SQLite has no GIN)."""

from django.db import migrations

INDEX_NAME = "article_search_gin"


def _index(apps):
    from django.contrib.postgres.indexes import GinIndex

    from articles.search import search_vector

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
