"""Give the Moderator and Editor groups the comment permissions (groups created if missing)."""

from django.db import migrations

# This migration's own copy of the rule (comments/roles.py and the permission plumbing of
# articles/roles.py as of this refactor), so it never changes after the fact.
MODERATOR = ["view_comment", "change_comment", "moderate_comment", "view_moderationlog"]
EDITOR = MODERATOR + ["view_discussionsettings", "change_discussionsettings"]


def create_permissions_for(app_config, apps) -> None:
    """Create app_config's permissions now (they normally come after all migrations)."""
    from django.contrib.auth.management import create_permissions

    # Migration-state app configs have no models module; create_permissions skips those.
    # Set it for the call and restore it, so the global registry is untouched.
    original = getattr(app_config, "models_module", None)
    app_config.models_module = original or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = original


def grant_comment_roles(apps) -> None:
    """get_or_create Moderator and Editor and give them the comment permissions."""
    create_permissions_for(apps.get_app_config("comments"), apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Moderator", MODERATOR), ("Editor", EDITOR)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="comments", codename__in=codenames)
        )


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
