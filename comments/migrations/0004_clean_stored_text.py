"""Comments stored before the rules on control, invisible and direction-changing characters
(newsroom/text.py) may still hold them, and one such comment stopped the comment feeds
(XML 1.0 cannot carry controls). Bring body, name and in_reply_to_name (a copy of a name)
in line with the functions the rules use. Email and website are not touched: forms have
always validated them (EmailField, URLField), no feed shows them and no rule here has a
way to repair them.

Batched by primary key (BATCH rows a query, updates only for rows that change), so a
million comments are read a batch at a time and never held in memory; no cursor stays open
while rows are written (SQLite gives no isolation between the two). Undoing it does nothing:
the characters are gone, and nothing needs them back.
"""

from django.db import migrations

from newsroom.text import stored_body, stored_name

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
