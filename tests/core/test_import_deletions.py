"""Imported rows deleted here (core.models.ImportDeletion): written when an imported row
is deleted, whoever deletes it, and listed in the admin, where deleting one lets a re-run
import the row again (tests/importers/test_wordpress_import.py runs the importer)."""

import pytest
from django.urls import reverse

from articles.models import Article
from core.models import ImportDeletion
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_a_bulk_delete_of_imported_rows_records_each_and_a_row_made_here_none():
    for n in range(3):
        make_article(import_source="wordpress:old.example", import_id=str(n + 1))
    make_article()
    Article.objects.all().delete()
    found = ImportDeletion.objects.values_list("model", "import_source", "import_id")
    source = "wordpress:old.example"
    assert sorted(found) == [("articles.article", source, str(n)) for n in (1, 2, 3)]
    assert Article.deleted_here("wordpress:old.example") == {"1", "2", "3"}
    assert Article.deleted_here("wordpress:other.example") == set()


def test_comments_deleted_with_their_article_leave_no_record_replies_with_theirs_do():
    """A cascade from another model writes no record per row (the rows come back with their
    article); a reply deleted with its comment is recorded (it must not come back alone)."""
    from comments.models import Comment
    from tests.comments.helpers import make_comment

    source = "wordpress:old.example"
    article = make_article(import_source=source, import_id="9")
    first = make_comment(article, import_source=source, import_id="c1")
    make_comment(article, parent=first, import_source=source, import_id="c2")
    other = make_article()
    parent = make_comment(other, import_source=source, import_id="c3")
    make_comment(other, parent=parent, import_source=source, import_id="c4")
    article.delete()
    assert Comment.deleted_here(source) == set()
    assert Article.deleted_here(source) == {"9"}
    parent.delete()
    assert Comment.deleted_here(source) == {"c3", "c4"}


def test_the_admin_lists_them_and_can_forget_one_but_not_add_or_edit(admin_client):
    make_article(import_source="wordpress:old.example", import_id="77").delete()
    record = ImportDeletion.objects.get()
    listing = admin_client.get(reverse("admin:core_importdeletion_changelist"))
    assert listing.status_code == 200 and "wordpress:old.example" in listing.content.decode()
    assert admin_client.get(reverse("admin:core_importdeletion_add")).status_code == 403
    delete = reverse("admin:core_importdeletion_delete", args=[record.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert not ImportDeletion.objects.exists()
