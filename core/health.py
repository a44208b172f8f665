"""``/healthz`` for load balancers: 200 when every database and the cache answer, else 503.

With an edge to purge (Varnish or a CDN, ``edgepurge.enabled``), ``edge_purge`` tells whether
purges go through; a failing one makes the status ``degraded`` but keeps the 200: the edge is
shared by every app server, so a 503 would make the load balancer drop them all while they
serve well."""

import logging
import secrets

from django.core.cache import caches
from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core import edgepurge
from core.cache import ResilientRedisCache

logger = logging.getLogger(__name__)


def check_database(alias: str) -> None:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError(f"database {alias} answered SELECT 1 wrongly")


def check_cache() -> None:
    nonce = secrets.token_hex(8)
    backend = caches["default"]
    if isinstance(backend, ResilientRedisCache):
        # Ask Redis itself: the site's cache hides an outage as misses on purpose.
        backend = super(ResilientRedisCache, backend)
    backend.set("healthz:nonce", nonce, timeout=10)
    if backend.get("healthz:nonce") != nonce:
        raise RuntimeError("cache did not return what was stored")


def health_checks() -> dict:
    """Name -> callable; one entry per database alias (primary and replicas) and the cache."""
    checks = {
        ("database" if alias == "default" else f"database:{alias}"): (
            lambda alias=alias: check_database(alias)
        )
        for alias in connections
    }
    checks["cache"] = check_cache
    return checks


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Each part "ok" or the exception class that stopped it; 503 if any part failed;
    ``degraded`` (200) if only the edge's purges fail."""
    parts = {}
    for name, check in health_checks().items():
        try:
            check()
        except Exception as error:  # any failure of a part means "unhealthy", never a 500
            logger.warning("Health check %s failed: %r", name, error)
            parts[name] = f"failed: {type(error).__name__}"
        else:
            parts[name] = "ok"
    healthy = all(state == "ok" for state in parts.values())
    status = "ok" if healthy else "failed"
    if edgepurge.enabled():
        parts["edge_purge"] = edge_state()
        if healthy and parts["edge_purge"] != "ok":
            status = "degraded"
    body = {"status": status, **parts}
    return JsonResponse(body, status=200 if healthy else 503)


def edge_state() -> str:
    try:
        return edgepurge.purge_state()
    except Exception as error:  # the database check above names the cause
        return f"failed: {type(error).__name__}"
