"""The privacy registry: other apps add their part of a person's data here.

accounts never imports the apps that hold a reader's comments or subscriptions; instead they
register, in their AppConfig.ready():

    register_exporter("comments", comment_export_for)  # fn(*, user=None, email=None)
    register_eraser(comments_erase_for)  # fn(*, user=None, email=None, mode) -> None
    register_account_panel("comments/_account_panel.html")  # on the account page

An exporter returns JSON-able data.

Erasers run inside the deletion's transaction and before the user row is deleted, so they
can still find the reader's rows by `user`; guests are identified by `email` only.
`mode` is ERASE_REMOVE ("remove my comments") or ERASE_ANONYMISE ("keep them as anonymous").
"""

from collections.abc import Callable
from typing import Any

ERASE_REMOVE = "remove"
ERASE_ANONYMISE = "anonymise"
ERASE_MODES = {
    ERASE_REMOVE: "Remove my comments",
    ERASE_ANONYMISE: 'Keep my comments, shown as "anonymous"',
}

Exporter = Callable[..., Any]
Eraser = Callable[..., None]

_exporters: dict[str, Exporter] = {}
_erasers: list[Eraser] = []
_panels: list[str] = []


def register_exporter(name: str, fn: Exporter) -> None:
    """Add fn's answer under `name` in every data export."""
    _exporters[name] = fn


def register_eraser(fn: Eraser) -> None:
    """Call fn(user=..., email=..., mode=...) whenever a person's data is erased."""
    if fn not in _erasers:
        _erasers.append(fn)


def register_account_panel(template_name: str) -> None:
    """Include template_name on the reader's account page (context: user, request)."""
    if template_name not in _panels:
        _panels.append(template_name)


def unregister_all(*, exporters=(), erasers=(), panels=()) -> None:
    """Remove registrations (tests use this to clean up after a fake exporter)."""
    for name in exporters:
        _exporters.pop(name, None)
    for fn in erasers:
        if fn in _erasers:
            _erasers.remove(fn)
    for template_name in panels:
        if template_name in _panels:
            _panels.remove(template_name)


def run_exporters(*, user=None, email: str | None = None) -> dict[str, Any]:
    return {name: fn(user=user, email=email) for name, fn in _exporters.items()}


def run_erasers(*, user=None, email: str | None = None, mode: str) -> None:
    for fn in _erasers:
        fn(user=user, email=email, mode=mode)


def account_panels() -> list[str]:
    return list(_panels)
