"""Rate limits for reports and reactions, keyed like flood control (comments/flood.py): per
reader and per client address, counted in the shared cache. ``cache.add`` starts a window
and ``cache.incr`` counts in it; both are atomic in Redis, so concurrent workers never
count the same request twice. When the cache cannot count (Redis down), the caller's
database check judges instead."""

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ValidationError
from redis.exceptions import RedisError

PREFIX = "comments:rate:"
CACHE_ERRORS = (ValueError, RedisError, OSError)  # ValueError: incr of a key the cache lost


def network(ip: str | None) -> str:
    """The client as limits and report counts see it: an IPv4 address, or the /64 an IPv6
    address is in (one household or phone gets a whole /64 and can pick any address in it)."""
    if not ip:
        return "unknown"
    address = ipaddress.ip_address(ip)
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


@dataclass(frozen=True)
class Reader:
    """Who reports or reacts: an account, or a guest's random browser id (signed cookie);
    and from where (the client address, core.clientip)."""

    user: object | None
    guest: str
    ip: str | None

    @property
    def key(self) -> str:
        return f"user:{self.user.pk}" if self.user else f"guest:{self.guest}"

    @property
    def client(self) -> str:
        return network(self.ip)

    def owner(self) -> dict:
        """The fields that say a row is this reader's (a Report's or a Reaction's)."""
        return {"user": self.user} if self.user else {"user": None, "guest": self.guest}


def refusal(what: str) -> ValidationError:
    return ValidationError(
        f"You are sending {what} too quickly. Wait a few minutes and try again.", code="rate"
    )


def take(
    kind: str, keys: list[str], *, rate: tuple[int, int], over_in_database: Callable[[], bool]
) -> None:
    """Count one request of ``kind`` against each key (e.g. the reader, their address) and
    raise ValidationError(code="rate") when any is over ``rate`` (count, seconds)."""
    count, seconds = rate
    for key in keys:
        name = f"{PREFIX}{kind}:{key}"
        try:
            cache.add(name, 0, seconds)
            used = cache.incr(name)
        except CACHE_ERRORS:
            if over_in_database():
                raise refusal(kind) from None
            return
        if used > count:
            raise refusal(kind)
