"""The accounts app's cache vocabulary: its page-cache scopes and its cached reads (the
mechanism is core/pagecache.py)."""

from collections.abc import Callable

from core import pagecache

SOCIAL_APPS = "socialapps"  # the configured social login providers


def social_apps_changed(**kwargs) -> None:
    """Expire what shows the social logins (a signal receiver: a social app changed)."""
    pagecache.invalidate(SOCIAL_APPS)


def cached_social_logins(build: Callable[[], list]) -> list:
    """``build()`` (the social login entries), cached until a social app changes."""
    return pagecache.fragment("social-logins", [SOCIAL_APPS], build)
