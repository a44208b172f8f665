"""Comment permissions of the newsroom's roles, registered with accounts (accounts.roles) by
CommentsConfig.ready: kept in sync on every post_migrate (so a database flush, as in
transactional tests, restores them too)."""

MODERATOR = [
    "view_comment",
    "change_comment",
    "moderate_comment",
    "view_moderationlog",
    "view_ban",
    "add_ban",
]
EDITOR = MODERATOR + ["view_discussionsettings", "change_discussionsettings"]
