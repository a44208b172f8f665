"""The article permissions of the newsroom's roles, registered with accounts (accounts.roles)
by ArticlesConfig.ready."""

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
