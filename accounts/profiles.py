"""Where a user's public page is: the app that shows it registers the rule (register_profile_url)
from its AppConfig.ready, so accounts names no other app's URLs."""

from collections.abc import Callable

_profile_url: list[Callable] = []


def register_profile_url(url_for: Callable) -> None:
    """url_for(user) -> the path of the user's public page."""
    _profile_url[:] = [url_for]


def profile_url(user) -> str:
    if not _profile_url:
        raise LookupError("No app registered a user's public page (register_profile_url).")
    return _profile_url[0](user)
