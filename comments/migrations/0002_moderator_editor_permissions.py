"""Give the Moderator and Editor groups the comment permissions (groups created if missing)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATOR = [
    "view_comment", "change_comment", "moderate_comment", "view_moderationlog",
]
EDITOR = MODERATOR + ["view_discussionsettings", "change_discussionsettings"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; create ours now.
    config = apps.get_app_config("comments")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Moderator", MODERATOR), ("Editor", EDITOR)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="comments", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="comments")
    for group in Group.objects.filter(name__in=["Moderator", "Editor"]):
        group.permissions.remove(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
