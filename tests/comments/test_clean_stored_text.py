"""Migration 0004 brings comments stored before the character rules in line with them,
using its own copy of the rules (newsroom/text.py as it was then): what it stores, the
service accepts, and a comment the service accepted comes out of it unchanged."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from comments import rules
from comments.models import Comment
from core.text import stored_body, stored_name
from tests.comments.helpers import make_comment
from tests.factories import make_article

migration = importlib.import_module("comments.migrations.0004_clean_stored_text")
PROPERTY = settings(max_examples=300, deadline=None, database=None)
EMOJI = "Café 🎉 👩‍💻 🏴󠁧󠁢󠁳󠁣󠁴󠁿"  # a ZWJ sequence and a tag flag: they stay
# PostgreSQL cannot store NUL at all; SQLite can, so an old SQLite row may hold one.
NUL = "\x00" if connection.vendor == "sqlite" else ""


def run_migration():
    migration.clean_stored_comments(apps, SimpleNamespace(connection=connection))


@pytest.mark.django_db
def test_old_comments_lose_the_characters_the_rules_refuse_and_keep_the_rest(monkeypatch):
    monkeypatch.setattr(migration, "BATCH", 2)  # five rows: three batches
    article = make_article()
    rows = [make_comment(article) for _ in range(5)]
    # Stored past the form and the service, as rows from before the rules are.
    old = {
        "body": f"  Bell\x07 ring{NUL}, escape\x1b[31m red\x7f, next\x85line\x0b.\r\n\tOK  ",
        "name": f"Eve\r\nBcc: x@example.com \u202eevil\u200b {NUL}",
        "in_reply_to_name": "Ma\u2066ri\u2069a",
    }
    Comment.objects.filter(pk=rows[1].pk).update(**old)
    Comment.objects.filter(pk=rows[4].pk).update(body=f"Also\x0c{NUL} old.", name="\ufeffBo")
    kept = {"body": f"{EMOJI}\n\n\u202eright-to-left\tstays", "name": f"Zoë {EMOJI}"}
    Comment.objects.filter(pk=rows[2].pk).update(**kept)
    before = {c.pk: (c.body, c.name) for c in Comment.objects.all()}

    run_migration()

    cleaned = Comment.objects.get(pk=rows[1].pk)
    assert cleaned.body == "Bell ring, escape[31m red, nextline.\r\n\tOK"
    assert cleaned.name == "Eve Bcc: x@example.com evil"
    assert cleaned.in_reply_to_name == "Maria"
    also = Comment.objects.get(pk=rows[4].pk)
    assert (also.body, also.name) == ("Also old.", "Bo")
    for comment in Comment.objects.all():
        assert rules.clean_body(comment.body) == comment.body
        assert rules.clean_name(comment.name) == comment.name
        if comment.pk not in (rows[1].pk, rows[4].pk):
            assert (comment.body, comment.name) == before[comment.pk]


def test_undoing_the_migration_changes_nothing():
    (operation,) = migration.Migration.operations
    assert operation.reversible and operation.reverse_code is operation.noop


# Any text: controls, formats, joiners, tags, separators, astral characters.
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=60)


@pytest.mark.parametrize(
    "stored, service",
    [(stored_body, rules.clean_body), (stored_name, rules.clean_name)],
    ids=["body", "name"],
)
@PROPERTY
@given(text=TEXT)
def test_the_service_accepts_what_is_stored_and_accepted_text_is_stored_unchanged(
    stored, service, text
):
    cleaned = stored(text)
    if cleaned:  # a body may come out empty, which the service refuses from a reader
        assert service(cleaned) == cleaned
    try:
        accepted = service(text)
    except ValidationError:
        return
    assert cleaned == accepted
