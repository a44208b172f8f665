"""The newsroom's roles as Groups, kept in sync on every post_migrate (and after a flush).

accounts knows no app's permissions: each app registers the ones its roles hold, from its
AppConfig.ready (register_role). sync_roles creates the groups and grants what is registered.
"""

# Group name -> [(app_label, codename)], filled by the apps' register_role calls.
ROLES: dict[str, list[tuple[str, str]]] = {}


def register_role(name: str, permissions=()) -> None:
    """Add permissions ((app_label, codename) pairs) to the role called name."""
    granted = ROLES.setdefault(name, [])
    granted.extend(p for p in permissions if p not in granted)


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
    """get_or_create each group and grant its registered permissions (never removes others')."""
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
