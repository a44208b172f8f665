"""Display names follow the rule commenters' names follow (newsroom/text.py): no control or
invisible formatting characters. Names stored before the rule lose those characters here;
there are as many rows as accounts, read in id order a batch at a time. Undoing it does
nothing: the characters are gone, and nothing needs them back."""

from django.db import migrations, models

import accounts.validators
from newsroom.text import stored_name

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
