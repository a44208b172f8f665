"""Give the Moderator and Editor groups the comment permissions (groups created if missing)."""

from django.db import migrations

from comments.roles import grant_comment_roles


def grant(apps, schema_editor):
    grant_comment_roles(apps)


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
