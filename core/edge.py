"""What a shared cache in front of the site (Varnish, a CDN) may keep, and under which tags.

A page the page cache serves to every reader carries, when ``EDGE_TAG_HEADER`` is set, its
scopes as edge tags in that header and a ``Cache-Control`` with ``s-maxage`` (no longer
than the page itself stays fresh, e.g. until the next go-live), ``stale-while-revalidate``
and ``stale-if-error``. Every other response is left as the rest of the stack marks it:
personal ones are ``private`` (core/headers.py), and the shipped VCL keeps nothing that
does not say ``public`` or ``s-maxage``. core/edgepurge.py purges the same tags.

Tags are hashed: a scope such as ``author:<username>`` could hold characters an edge's
header syntax forbids (spaces for xkey and Surrogate-Key, commas for Cache-Tag) and names
nobody needs to see; 16 hex digits stay far below every edge's limits (Fastly: 1 KB a key,
16 KB a header; Cloudflare: 1 KB a tag, 16 KB a header; Varnish: its 8 KB header limit).
"""

import hashlib
import math
import time

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

# Header name -> how the edge that reads it separates tags.
SEPARATORS = {"xkey": " ", "surrogate-key": " ", "cache-tag": ","}
TAG_LENGTH = 16  # hex digits of a scope's SHA-256: 64 bits, no collision in practice
MAX_HEADER_BYTES = 8000  # Varnish's default http_resp_hdr_len is 8 KB, the smallest limit


def enabled() -> bool:
    return bool(settings.EDGE_TAG_HEADER)


def edge_tag(scope: str) -> str:
    """The tag an edge knows ``scope`` by (the same in the header and in a purge)."""
    return hashlib.sha256(scope.encode()).hexdigest()[:TAG_LENGTH]


def tag_header_value(scopes) -> str:
    """The tags of ``scopes`` joined as the configured header expects."""
    separator = SEPARATORS[settings.EDGE_TAG_HEADER.lower()]
    return separator.join(dict.fromkeys(edge_tag(scope) for scope in scopes))


def mark_shared(response: HttpResponse, scopes, fresh_until: float) -> None:
    """Let the edge keep ``response`` (a shared page showing ``scopes``) until
    ``fresh_until`` (a timestamp) at most, tagged so that a purge of any scope drops it.
    A page with less than a second to live, or with more tags than a header holds, is
    left for the edge to fetch again (``s-maxage=0``): never a stale or untaggable copy."""
    if not enabled():
        return
    seconds = min(settings.EDGE_S_MAXAGE, math.floor(fresh_until - time.time()))
    tags = tag_header_value(scopes)
    if seconds < 1 or not tags or len(tags) > MAX_HEADER_BYTES:
        patch_cache_control(response, s_maxage=0)
        return
    response[settings.EDGE_TAG_HEADER] = tags
    patch_cache_control(
        response,
        s_maxage=seconds,
        stale_while_revalidate=settings.EDGE_STALE_WHILE_REVALIDATE,
        stale_if_error=settings.EDGE_STALE_IF_ERROR,
    )
