"""The client's address as the site counts it: behind NEWSROOM_TRUSTED_PROXIES proxies.

Each trusted proxy appends the address it received the request from to X-Forwarded-For
(nginx: proxy_add_x_forwarded_for), so the entry that many places from the right was
written by our outermost proxy about its client; anything left of it came from the
client and is ignored. With no trusted proxy the header is not read at all."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def parse_ip(value: str) -> str | None:
    """The address in its canonical form, or None (brackets around IPv6 are dropped)."""
    value = value.strip()
    if value.startswith("[") and "]" in value:
        value = value[1 : value.index("]")]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def forwarded_ip(request: HttpRequest, hops: int) -> str | None:
    """The X-Forwarded-For entry `hops` places from the right (the leftmost if fewer)."""
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    entries = [entry for entry in header.split(",") if entry.strip()]
    if hops <= 0 or not entries:
        return None
    return parse_ip(entries[-min(hops, len(entries))])


def client_ip(request: HttpRequest) -> str | None:
    """The address limits and records count: the trusted proxies' entry, else REMOTE_ADDR."""
    return forwarded_ip(request, settings.NEWSROOM_TRUSTED_PROXIES) or parse_ip(
        request.META.get("REMOTE_ADDR", "")
    )
