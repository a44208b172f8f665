"""System checks (``manage.py check``) for the shared layer's settings."""

from django.core import checks

from core import cdn


@checks.register()
def edge_purge_settings(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """An unknown purge backend is an error; a CDN without its id or token, a warning: every
    purge would fail (and /healthz say so) while the edge keeps the old pages."""
    chosen = cdn.backend()
    if chosen not in cdn.BACKENDS:
        return [
            checks.Error(
                f"EDGE_PURGE_BACKEND={chosen!r} is not an edge Newsroom can purge.",
                hint=f"Use one of {', '.join(sorted(cdn.BACKENDS))}, or leave it empty.",
                id="core.E001",
            )
        ]
    if chosen not in cdn.APIS or not (missing := cdn.missing_credentials()):
        return []
    return [
        checks.Warning(
            f"Edge purges go to {chosen.title()}, but {' and '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} not set: every purge will fail.",
            hint="Set EDGE_PURGE_SERVICE_ID (Fastly's service id, Cloudflare's zone id) and "
            "EDGE_PURGE_TOKEN (an API token allowed to purge) in the environment.",
            id="core.W001",
        )
    ]
