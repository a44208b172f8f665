"""Display names follow the rule commenters' names follow (newsroom/text.py then,
core/text.py now): no control or
invisible formatting characters. Names stored before the rule lose those characters here;
there are as many rows as accounts, read in id order a batch at a time. Undoing it does
nothing: the characters are gone, and nothing needs them back."""

import unicodedata

from django.db import migrations, models

import accounts.validators

# This migration's own copy of the rule it applies (newsroom/text.py as of commit de071ad), so
# a later change to the live rules (core/text.py) never changes what this migration does.
ALLOWED_IN_BODY = frozenset({"\t", "\n", "\r"})
ZWJ = "\u200d"
EMOJI_TAGS = range(0xE0020, 0xE0080)  # subdivision flags (Scotland, Wales) are tag sequences


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


def stored_name(name: str) -> str:
    """One line, without forbidden characters (then one line again)."""
    return one_line(_without(one_line(name), forbidden_in_name))

BATCH = 2000


def clean_display_names(apps, schema_editor) -> None:
    User = apps.get_model("accounts", "User")
    users = User.objects.using(schema_editor.connection.alias).exclude(display_name="")
    last = 0
    while batch := list(
        users.filter(pk__gt=last).order_by("pk").values_list("pk", "display_name")[:BATCH]
    ):
        changed = [
            User(pk=pk, display_name=stored_name(name))
            for pk, name in batch
            if stored_name(name) != name
        ]
        User.objects.using(schema_editor.connection.alias).bulk_update(changed, ["display_name"])
        last = batch[-1][0]


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_group_policy")]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="display_name",
            field=models.CharField(
                blank=True,
                help_text="Shown on bylines and comments. Leave blank to use the full name.",
                max_length=100,
                validators=[accounts.validators.validate_display_name],
            ),
        ),
        migrations.RunPython(clean_display_names, migrations.RunPython.noop),
    ]
