"""Comment permissions of the newsroom's roles: kept in sync by a data migration and on
every post_migrate (so a database flush, as in transactional tests, restores them too)."""

MODERATOR = ["view_comment", "change_comment", "moderate_comment", "view_moderationlog"]
EDITOR = MODERATOR + ["view_discussionsettings", "change_discussionsettings"]


def grant_comment_roles(apps) -> None:
    """get_or_create Moderator and Editor and give them the comment permissions."""
    from articles.roles import create_permissions_for

    create_permissions_for(apps.get_app_config("comments"), apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Moderator", MODERATOR), ("Editor", EDITOR)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="comments", codename__in=codenames)
        )
