"""Comments stored before the rules on control, invisible and direction-changing characters
(newsroom/text.py then, core/text.py now) may still hold them, and one such comment stopped the comment feeds
(XML 1.0 cannot carry controls). Bring body, name and in_reply_to_name (a copy of a name)
in line with the functions the rules use. Email and website are not touched: forms have
always validated them (EmailField, URLField), no feed shows them and no rule here has a
way to repair them.

Batched by primary key (BATCH rows a query, updates only for rows that change), so a
million comments are read a batch at a time and never held in memory; no cursor stays open
while rows are written (SQLite gives no isolation between the two). Undoing it does nothing:
the characters are gone, and nothing needs them back.
"""

import unicodedata

from django.db import migrations

# This migration's own copy of the rule it applies (newsroom/text.py as of commit de071ad), so
# a later change to the live rules (core/text.py) never changes what this migration does.
ALLOWED_IN_BODY = frozenset({"\t", "\n", "\r"})
ZWJ = "\u200d"
EMOJI_TAGS = range(0xE0020, 0xE0080)  # subdivision flags (Scotland, Wales) are tag sequences


def forbidden_in_body(ch: str) -> bool:
    """Controls (category Cc) but tab, CR and LF."""
    return unicodedata.category(ch) == "Cc" and ch not in ALLOWED_IN_BODY


def forbidden_in_name(ch: str) -> bool:
    """Controls and invisible formatting characters (Cc, Cf) but the joiner and the tags
    of emoji sequences."""
    return unicodedata.category(ch) in {"Cc", "Cf"} and ch != ZWJ and ord(ch) not in EMOJI_TAGS


def one_line(name: str) -> str:
    return " ".join(name.split())


def _without(text: str, forbidden) -> str:
    if text.translate(dict.fromkeys(map(ord, ALLOWED_IN_BODY))).isprintable():
        return text
    return "".join(ch for ch in text if not forbidden(ch))


def stored_body(body: str) -> str:
    """Without forbidden characters, stripped; it may come out empty."""
    return _without(body, forbidden_in_body).strip()


def stored_name(name: str) -> str:
    """One line, without forbidden characters (then one line again)."""
    return one_line(_without(one_line(name), forbidden_in_name))

BATCH = 2000


def clean_stored_comments(apps, schema_editor) -> None:
    Comment = apps.get_model("comments", "Comment")
    comments = Comment.objects.using(schema_editor.connection.alias)  # not a read replica
    fields = ["body", "name", "in_reply_to_name"]
    last = 0
    while batch := list(
        comments.filter(pk__gt=last).order_by("pk").values_list("pk", *fields)[:BATCH]
    ):
        changed = []
        for pk, body, name, in_reply_to_name in batch:
            clean = Comment(
                pk=pk,
                body=stored_body(body),
                name=stored_name(name),
                in_reply_to_name=stored_name(in_reply_to_name),
            )
            if (clean.body, clean.name, clean.in_reply_to_name) != (body, name, in_reply_to_name):
                changed.append(clean)
        comments.bulk_update(changed, fields, batch_size=500)
        last = batch[-1][0]


class Migration(migrations.Migration):
    dependencies = [("comments", "0003_email_upper_index")]

    operations = [migrations.RunPython(clean_stored_comments, migrations.RunPython.noop)]
