"""manage.py backup / restore: the database and media come back whole into an empty instance."""

from pathlib import Path

import pytest
import reversion
from django.apps import apps
from django.core import serializers
from django.core.management import CommandError, call_command

from comments.models import Comment
from tests.comments.helpers import make_comment
from tests.factories import make_article, make_image_file, make_member, make_ready_draft, make_user

pytestmark = pytest.mark.django_db(transaction=True)
COMPARED = [
    "accounts.User",
    "auth.Group",
    "articles.Article",
    "articles.Byline",
    "articles.Section",
    "reversion.Revision",
    "reversion.Version",
    "comments.Comment",
    "comments.ModerationLog",
]


def snapshot() -> dict[str, list]:
    """Every row of the compared models, field by field, in primary key order."""
    return {
        label: serializers.serialize(
            "python", apps.get_model(label).objects.order_by("pk"), use_natural_foreign_keys=True
        )
        for label in COMPARED
    }


def media_files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def build_site() -> None:
    reporter = make_member("Reporter", first_name="Zoë", last_name="Ünal")
    make_user(avatar=make_image_file("face.jpg"))
    with reversion.create_revision():
        article = make_ready_draft(authors=[reporter], title="Backed up ✓ 🎉")
        reversion.set_user(reporter)
    with reversion.create_revision():
        article.standfirst = "Second version"
        article.save()
    other = make_article()
    top = make_comment(other, body="Top 👩‍💻", name="Ann")
    reply = make_comment(other, parent=top, body="Reply")
    make_comment(other, parent=reply, status=Comment.Status.PENDING, body="Deep")
    make_comment(other, status=Comment.Status.REMOVED, body="")


def test_backup_then_restore_into_an_empty_instance_gives_back_every_row_and_file(
    tmp_path, settings
):
    build_site()
    before, files = snapshot(), media_files(Path(settings.MEDIA_ROOT))
    assert len(before["reversion.Version"]) >= 2 and len(files) >= 2
    call_command("backup", str(tmp_path / "backup"))

    call_command("flush", interactive=False, verbosity=0)  # an empty instance
    for path in Path(settings.MEDIA_ROOT).rglob("*"):
        if path.is_file():
            path.unlink()
    assert snapshot()["articles.Article"] == [] and not media_files(Path(settings.MEDIA_ROOT))

    call_command("restore", str(tmp_path / "backup"))
    assert snapshot() == before
    assert media_files(Path(settings.MEDIA_ROOT)) == files
    # New rows continue after the restored ones (sequences were reset).
    assert make_article().pk > max(row["pk"] for row in before["articles.Article"])


def test_restore_refuses_an_instance_that_has_content(tmp_path):
    make_article()
    call_command("backup", str(tmp_path / "backup"))
    with pytest.raises(CommandError, match="restore only into an empty one"):
        call_command("restore", str(tmp_path / "backup"))


def test_backup_refuses_a_folder_that_holds_one_and_restore_a_folder_without(tmp_path):
    call_command("backup", str(tmp_path / "b"))
    with pytest.raises(CommandError, match="already holds a backup"):
        call_command("backup", str(tmp_path / "b"))
    with pytest.raises(CommandError, match="holds no backup"):
        call_command("restore", str(tmp_path / "nothing"))
