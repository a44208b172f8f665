"""The newsroom's roles as Groups: created and kept in sync by a data migration."""

REPORTER_PERMISSIONS = [
    ("articles", "add_article"),
    ("articles", "change_article"),
    ("articles", "view_article"),
    ("articles", "add_byline"),
    ("articles", "change_byline"),
    ("articles", "delete_byline"),
    ("articles", "view_byline"),
    ("articles", "view_section"),
    ("articles", "view_tag"),
    # The media library: reporters upload, and edit or delete their own uploads (admin).
    ("articles", "add_image"),
    ("articles", "change_image"),
    ("articles", "delete_image"),
    ("articles", "view_image"),
    # The byline's author autocomplete asks for view rights on users.
    ("accounts", "view_user"),
]
EDITOR_PERMISSIONS = REPORTER_PERMISSIONS + [
    ("articles", "delete_article"),
    ("articles", "publish_article"),
    ("articles", "add_section"),
    ("articles", "change_section"),
    ("articles", "delete_section"),
    ("articles", "add_tag"),
    ("articles", "change_tag"),
    ("articles", "delete_tag"),
    ("articles", "add_correction"),
    ("articles", "change_correction"),
    ("articles", "delete_correction"),
    ("articles", "view_correction"),
    ("articles", "view_transition"),
    ("articles", "add_previewlink"),
    ("articles", "change_previewlink"),
    ("articles", "view_previewlink"),
    ("articles", "view_previewview"),
    ("articles", "add_redirect"),
    ("articles", "change_redirect"),
    ("articles", "delete_redirect"),
    ("articles", "view_redirect"),
]
ROLES = {"Reporter": REPORTER_PERMISSIONS, "Editor": EDITOR_PERMISSIONS, "Moderator": []}


def create_permissions_for(app_config, apps) -> None:
    """Create app_config's permissions now (they normally come after all migrations)."""
    from django.contrib.auth.management import create_permissions

    # Migration-state app configs have no models module; create_permissions skips those.
    # Set it for the call and restore it, so the global registry is untouched.
    original = getattr(app_config, "models_module", None)
    app_config.models_module = original or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = original


def sync_roles(apps, schema_editor=None) -> None:
    """get_or_create each group and grant its article permissions (never removes others')."""
    for app_config in apps.get_app_configs():
        create_permissions_for(app_config, apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in wanted:
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:  # a model a later migration adds: granted then
                group.permissions.add(permission)
