"""Read replicas: reads go to a replica, writes and a client's reads just after a write go
to the primary.

``ReplicaPinMiddleware`` decides per request: a safe request (GET, HEAD, OPTIONS) without the
pin cookie may read from one replica, chosen at random for the whole request; anything else,
and all code outside a request (commands, tasks), reads from the primary. After an unsafe
request it sets the pin cookie, so that client reads its own writes from the primary for
``DATABASE_PIN_SECONDS`` while the replicas catch up.
"""

import random
import time
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

PIN_COOKIE = "newsroom_primary"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

_read_alias: ContextVar[str] = ContextVar("newsroom_read_alias", default=DEFAULT_DB_ALIAS)


class PrimaryReplicaRouter:
    """Route reads to the alias the request chose; writes always to the primary."""

    def db_for_read(self, model, **hints) -> str:
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS  # a transaction reads what it writes
        return _read_alias.get()

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # every alias holds the same rows


def is_pinned(request: HttpRequest, now: float) -> bool:
    try:
        return float(request.COOKIES.get(PIN_COOKIE, "0")) > now
    except ValueError:
        return False


def read_alias_for(request: HttpRequest, now: float) -> str:
    replicas = settings.DATABASE_REPLICAS
    if not replicas or request.method not in SAFE_METHODS or is_pinned(request, now):
        return DEFAULT_DB_ALIAS
    return random.choice(replicas)


class ReplicaPinMiddleware:
    """Choose the read database for this request; pin the client to the primary after writes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        now = time.time()
        token = _read_alias.set(read_alias_for(request, now))
        try:
            response = self.get_response(request)
        finally:
            _read_alias.reset(token)
        if settings.DATABASE_REPLICAS and request.method not in SAFE_METHODS:
            seconds = settings.DATABASE_PIN_SECONDS
            response.set_cookie(
                PIN_COOKIE,
                str(int(now + seconds) + 1),
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response
