"""Django's Redis cache, made to degrade instead of fail when Redis is unreachable.

Every read becomes a miss and every write a no-op while Redis is down (logged once per
call site at ERROR), so pages are served from the database and the site keeps working;
when Redis answers again, the next call uses it, with no restart.

Keys that must not be lost or read as "refused" during an outage (rate limits: a limiter
whose atomic add fails refuses everyone) go to a fallback cache instead, named in the
cache's FALLBACK setting: {"CACHE": alias, "KEY_PREFIXES": [...]}.
"""

import logging

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)


def _degrade(method_name: str, fallback):
    def method(self, *args, **kwargs):
        try:
            return getattr(RedisCache, method_name)(self, *args, **kwargs)
        except UNAVAILABLE as error:
            logger.error("Redis unavailable (%s in %s): degrading", error, method_name)
            kept = self.fallback_for(args[0] if args else kwargs.get("key"))
            if kept is not None:
                return getattr(kept, method_name)(*args, **kwargs)
            return fallback(*args, **kwargs) if callable(fallback) else fallback

    method.__name__ = method_name
    return method


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's client builds a new redis.Redis for every call, and its constructor sets up
    some 170 response callbacks: a tenth of a millisecond, a quarter of what a cached page
    costs. One redis.Redis per connection pool is kept instead (it is thread-safe: the pool
    hands out the connections)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    """RedisCache whose reads miss and writes do nothing while Redis is unreachable."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        fallback = params.get("FALLBACK") or {}
        self._fallback_alias = fallback.get("CACHE")
        self._fallback_prefixes = tuple(fallback.get("KEY_PREFIXES", ()))

    def fallback_for(self, key):
        """The cache that keeps this key while Redis is down, or None (the key degrades)."""
        if (
            self._fallback_alias
            and isinstance(key, str)
            and key.startswith(self._fallback_prefixes)
        ):
            return caches[self._fallback_alias]
        return None

    get = _degrade("get", lambda key, default=None, version=None: default)
    get_many = _degrade("get_many", {})
    has_key = _degrade("has_key", False)
    set = _degrade("set", None)
    set_many = _degrade("set_many", lambda data, *args, **kwargs: list(data))
    add = _degrade("add", False)
    touch = _degrade("touch", False)
    delete = _degrade("delete", False)
    delete_many = _degrade("delete_many", None)
    clear = _degrade("clear", False)


def is_resilient_cache(backend) -> bool:
    return isinstance(backend, ResilientRedisCache)
