"""Whole-page cache for anonymous readers, invalidated by scope instead of by purge.

Views say which scopes (tags) a page shows with ``tag(request, *scopes)``; events that change
content call ``invalidate(*scopes)``. A cached page is valid while every one of its scopes
still has the version it was stored with, so an invalidation rebuilds exactly the pages that
carry that scope. This module is the mechanism only: each app names its scopes and its cached
reads in its own ``caching.py`` (e.g. articles/caching.py). Cache keys are listed in
docs/decisions.md.
"""

import gzip
import hashlib
import logging
import re
import time
from importlib import import_module
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from redis.exceptions import RedisError

from core import edge

logger = logging.getLogger(__name__)

SCOPE_PREFIX = "pagecache:scope:"
PAGE_PREFIX = "pagecache:page:"
LOCK_PREFIX = "pagecache:lock:"
FRAGMENT_PREFIX = "pagecache:fragment:"
STATE_HEADER = "X-Page-Cache"
# Redis down must not take pages down: the middleware then serves straight from the view.
CACHE_ERRORS = (RedisError, OSError)
FIRST_SIGHT_AGE_NS = 3600 * 10**9
# Entries keep only these headers; Set-Cookie and per-request headers never enter the cache.
KEPT_HEADERS = {"content-type", "content-language", "vary", "x-frame-options"}
TRACKING_PARAMS = {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid"}
# A page is stored twice, as is and gzip-compressed once at store time (like WP Super Cache's
# .html.gz): a browser's hit then moves a fifth of the bytes and compresses nothing.
GZIP_SUFFIX = ":gzip"
GZIP_MIN_BYTES = 1024  # below this, the header costs more than compression saves
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


# Per-process memory, never needed for correctness: which scopes a page key carried (so a hit
# fetches entry and versions together) and which pages the view did not tag lately (so
# they skip the lookup; they are still stored if their view starts tagging them).
_known_scopes: dict[str, tuple[str, ...]] = {}
_untagged_until: dict[str, float] = {}
MEMO_LIMIT = 10_000
UNTAGGED_SECONDS = 60


def tag(request: HttpRequest, *scopes: str) -> None:
    """Record that the page answering ``request`` shows content from ``scopes``."""
    current = getattr(request, "_pagecache_scopes", ())
    request._pagecache_scopes = tuple(dict.fromkeys(current + scopes))


def tags_of(request: HttpRequest) -> tuple[str, ...]:
    """The scopes the page answering ``request`` was tagged with so far."""
    return getattr(request, "_pagecache_scopes", ())


def expire_at(request: HttpRequest, when) -> None:
    """Let the page answering ``request`` be fresh no later than ``when()`` (a datetime or
    None), asked only if the page is stored: e.g. a listing expires at the next go-live."""
    request._pagecache_expiry = when


def invalidate(*scopes: str) -> None:
    """Expire every cached page tagged with any of ``scopes``: now, and again after commit;
    the edge in front of the site (if any) purges them too, from the task worker."""
    from core import edgepurge  # it imports this module

    _bump(scopes)
    edgepurge.purge_later(scopes)
    if transaction.get_connection().in_atomic_block:
        # A reader may render the old rows between now and the commit; bump once more then.
        transaction.on_commit(lambda: _bump(scopes))


def _bump(scopes) -> None:
    # A version is the bump time in nanoseconds: pages compare it for equality, and the
    # store step compares it with the request's start to refuse racing renders.
    try:
        cache.set_many({SCOPE_PREFIX + scope: time.time_ns() for scope in scopes}, timeout=None)
    except CACHE_ERRORS:
        # The publish or approval that called us must still succeed; TTL bounds the staleness.
        logger.error("Page cache unavailable; could not invalidate %s", ", ".join(scopes))


def bump_confirmed(scopes) -> bool:
    """Bump ``scopes`` once more (an invalidation replayed by the edge purge); False when
    the cache did not store it (Redis down: the caller tries again later)."""
    try:
        failed = cache.set_many({SCOPE_PREFIX + scope: time.time_ns() for scope in scopes}, None)
    except CACHE_ERRORS:
        return False
    return not failed


def scope_versions(scopes) -> dict[str, int]:
    """Current version of each scope; a scope never bumped (or evicted) gets a new one."""
    keys = [SCOPE_PREFIX + scope for scope in scopes]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            # Unique like a bump, but dated an hour back: first sight is not a content change.
            cache.add(key, time.time_ns() - FIRST_SIGHT_AGE_NS, timeout=None)
            found[key] = cache.get(key)
    return {key.removeprefix(SCOPE_PREFIX): found[key] for key in keys}


def fragment(name: str, scopes, build, expiry=None):
    """``build()``'s value, kept in the cache while each of ``scopes`` keeps its version (the
    invalidation pages use), for at most PAGECACHE_TTL and, like expire_at, no later than
    ``expiry()`` (a datetime or None, e.g. the next go-live): a page the page cache cannot
    serve (a logged-in reader, a thread page past the first) still reuses its costly part.
    One round trip reads the value with its scopes' versions; Redis down means build()."""
    if not settings.PAGECACHE_FRAGMENTS:
        return build()
    key = FRAGMENT_PREFIX + name
    scope_keys = [SCOPE_PREFIX + scope for scope in scopes]
    started_ns = time.time_ns()
    racing_after = started_ns - int(settings.PAGECACHE_RACE_MARGIN * 1e9)
    try:
        found = cache.get_many([key, *scope_keys])
    except CACHE_ERRORS:
        return build()
    versions = tuple(found.get(scope_key) for scope_key in scope_keys)
    entry = found.get(key)
    if entry is not None and None not in versions and entry[0] == versions:
        return entry[1]
    value = build()
    try:
        if None in versions:  # first sight of a scope: dated an hour back, or a racing bump
            versions = tuple(scope_versions(scopes).values())
        timeout = settings.PAGECACHE_TTL
        if expiry is not None and (moment := expiry()) is not None:
            # Whole seconds, rounded down: gone before the moment, never after it.
            timeout = min(timeout, int(moment.timestamp() - time.time()))
        if None not in versions and max(versions) < racing_after and timeout > 0:
            # A scope bumped this close to the build may be racing its rows: not stored.
            cache.set(key, (versions, value), timeout)
    except CACHE_ERRORS:
        logger.warning("Page cache unavailable; fragment %s not stored", name)
    return value


def page_key(request: HttpRequest) -> str:
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return PAGE_PREFIX + hashlib.sha256(url.encode()).hexdigest()


def accepts_gzip(request: HttpRequest) -> bool:
    """Whether the client takes gzip (as Django's GZipMiddleware reads Accept-Encoding)."""
    return settings.PAGECACHE_GZIP and bool(
        ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    )


def is_tracking(name: str) -> bool:
    return name.startswith("utm_") or name in TRACKING_PARAMS


def normalise_query(request: HttpRequest) -> bool:
    """Drop tracking parameters from ``request``; False if another parameter outside
    PAGECACHE_QUERY_PARAMS is left, or one with a value outside PAGECACHE_QUERY_VALUES
    (each value would be a new cache entry: a flood)."""
    pairs = parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)
    kept = [(name, value) for name, value in pairs if not is_tracking(name)]
    if any(name not in settings.PAGECACHE_QUERY_PARAMS for name, _ in kept):
        return False
    values = getattr(settings, "PAGECACHE_QUERY_VALUES", {})
    if any(name in values and value not in values[name] for name, value in kept):
        return False
    if len(kept) != len(pairs):
        # Shared links carry utm_* and click ids: the view never reads them, so the page
        # rendered without them is the same page, and one entry serves every variant.
        request.META["QUERY_STRING"] = urlencode(kept)
        request.GET = QueryDict(request.META["QUERY_STRING"])
    return True


# Session keys that make a page personal: a login, or flash messages kept in the session.
PERSONAL_SESSION_KEYS = ("_auth_user_id", "_messages")


def personal_session(request: HttpRequest) -> bool:
    """Whether the request's session is a login or holds flash messages. Guests' own comment
    ids are a signed cookie, not session data: comments/reader.py fills those in per reader."""
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return False
    store = import_module(settings.SESSION_ENGINE).SessionStore(key)
    return any(name in store.load() for name in PERSONAL_SESSION_KEYS)


def is_shared(request: HttpRequest) -> bool:
    """Whether the page being rendered may be stored for every reader: per-reader parts
    must then be left out and fetched by the reader's browser."""
    return getattr(request, "_pagecache_shared", False)


# A HEAD is a GET without the body (the WSGI server drops it): same entry, same headers.
CACHED_METHODS = ("GET", "HEAD")


def bypasses_cache(request: HttpRequest) -> bool:
    """Writes, logged-in sessions, flash messages and unknown query parameters reach the view."""
    if not settings.PAGECACHE_ENABLED or request.method not in CACHED_METHODS:
        return True
    personal = {"messages", *settings.PAGECACHE_BYPASS_COOKIES}
    if any(request.COOKIES.get(name) for name in personal):  # an emptied cookie is gone
        return True
    if "HTTP_AUTHORIZATION" in request.META:
        return True
    bypass_header = settings.PAGECACHE_BYPASS_HEADER
    if bypass_header and bypass_header in request.headers:
        return True
    return not normalise_query(request) or personal_session(request)


def is_storable(response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    control = response.get("Cache-Control", "").lower()
    return not any(word in control for word in ("private", "no-store", "no-cache"))


def lookup(key: str) -> tuple[dict | None, dict]:
    """The entry under ``key`` and its scopes' current versions: one round trip when this
    process has seen the page before, two otherwise."""
    known = _known_scopes.get(key, ())
    found = cache.get_many([key, *(SCOPE_PREFIX + scope for scope in known)])
    entry = found.pop(key, None)
    if entry is not None and tuple(entry["versions"]) != known:
        found = cache.get_many([SCOPE_PREFIX + scope for scope in entry["versions"]])
        remember(_known_scopes, key, tuple(entry["versions"]))
    return entry, found


def entry_state(entry: dict, versions: dict, now: float) -> str:
    """``fresh``, or ``stale`` when past its time or when one of its scopes was bumped."""
    if now >= entry["fresh_until"]:
        return "stale"
    for scope, version in entry["versions"].items():
        if versions.get(SCOPE_PREFIX + scope) != version:
            return "stale"
    return "fresh"


def remember(memo: dict, key, value) -> None:
    """Keep ``key`` in a per-process memo, cleared whole when it reaches MEMO_LIMIT."""
    if len(memo) >= MEMO_LIMIT:
        memo.clear()
    memo[key] = value


def forget_local() -> None:
    """Drop this process's memory of pages (tests; nothing else needs it)."""
    _known_scopes.clear()
    _untagged_until.clear()


def make_entry(response: HttpResponse, scopes, started_ns: int, expiry=None) -> dict | None:
    """The cache entry for ``response``, or None when a scope was bumped while it rendered."""
    versions = scope_versions(scopes)
    margin_ns = int(settings.PAGECACHE_RACE_MARGIN * 1e9)
    if any(version is None or version >= started_ns - margin_ns for version in versions.values()):
        return None
    content = response.content
    now = time.time()
    fresh_until = now + settings.PAGECACHE_TTL
    if expiry is not None and (moment := expiry()) is not None:
        fresh_until = min(fresh_until, moment.timestamp())
    return {
        "status": response.status_code,
        "headers": [(k, v) for k, v in response.items() if k.lower() in KEPT_HEADERS],
        "content": content,
        "versions": versions,
        "etag": '"' + hashlib.sha256(content).hexdigest()[:32] + '"',
        "stored_at": int(now),
        "fresh_until": fresh_until,
    }


def gzip_entry(entry: dict) -> dict:
    """What a client taking gzip is served: the same page compressed, with its own ETag
    (another representation), or the entry as it is when the page is too small."""
    content = entry["content"]
    if len(content) < GZIP_MIN_BYTES:
        return entry
    packed = gzip.compress(content, compresslevel=6, mtime=0)
    return {
        **entry,
        "headers": [*entry["headers"], ("Content-Encoding", "gzip")],
        "content": packed,
        "etag": entry["etag"][:-1] + '-gzip"',
    }


def response_from(entry: dict) -> HttpResponse:
    response = HttpResponse(entry["content"], status=entry["status"])
    for header, value in entry["headers"]:
        response[header] = value
    return response


def add_validators(request: HttpRequest, response: HttpResponse, entry: dict, state: str):
    """Cache-Control, ETag and Last-Modified for a shared page; 304 when the client has it."""
    response[STATE_HEADER] = state
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = http_date(entry["stored_at"])
    patch_cache_control(response, public=True, max_age=settings.PAGECACHE_MAX_AGE)
    # A stale copy (served while another worker rebuilds) is not for the edge to keep.
    edge.mark_shared(response, entry["versions"], 0 if state == "STALE" else entry["fresh_until"])
    return get_conditional_response(
        request, etag=entry["etag"], last_modified=entry["stored_at"], response=response
    )


class PageCacheMiddleware:
    """Serve tagged pages to anonymous GETs (and HEADs) from the cache; one worker rebuilds a
    stale page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if bypasses_cache(request):
            response = self.get_response(request)
            if getattr(request, "_pagecache_scopes", None):
                patch_cache_control(response, private=True, no_cache=True)
            return response
        key, lock, now = page_key(request), None, time.time()
        if _untagged_until.get(key, 0) > now:
            return self.build(request, key, "MISS")
        try:
            entry, versions = lookup(key + GZIP_SUFFIX if accepts_gzip(request) else key)
            if entry is not None:
                if entry_state(entry, versions, now) == "fresh":
                    return add_validators(request, response_from(entry), entry, "HIT")
                lock = LOCK_PREFIX + key
                if not cache.add(lock, 1, timeout=settings.PAGECACHE_LOCK_SECONDS):
                    # Another worker is rebuilding this page: serve our copy meanwhile.
                    return add_validators(request, response_from(entry), entry, "STALE")
        except CACHE_ERRORS:
            logger.warning("Page cache unavailable; serving %s uncached", request.path)
            return self.get_response(request)
        try:
            return self.build(request, key, "MISS" if lock is None else "REBUILT")
        finally:
            if lock is not None:
                _forget(lock)

    def build(self, request: HttpRequest, key: str, state: str) -> HttpResponse:
        started_ns = time.time_ns()
        request._pagecache_shared = True
        response = self.get_response(request)
        scopes = getattr(request, "_pagecache_scopes", None)
        if not scopes:
            remember(_untagged_until, key, time.time() + UNTAGGED_SECONDS)
            return response
        _untagged_until.pop(key, None)
        if not is_storable(response):
            return response
        if settings.PAGECACHE_GZIP:
            patch_vary_headers(response, ("Accept-Encoding",))
        try:
            expiry = getattr(request, "_pagecache_expiry", None)
            entry = make_entry(response, scopes, started_ns, expiry)
            if entry is not None:
                entries = {key: entry}
                if settings.PAGECACHE_GZIP:
                    entries[key + GZIP_SUFFIX] = gzip_entry(entry)
                timeout = settings.PAGECACHE_TTL + settings.PAGECACHE_GRACE
                cache.set_many(entries, timeout=timeout)
                for stored in entries:
                    remember(_known_scopes, stored, tuple(entry["versions"]))
                if accepts_gzip(request):
                    packed = entries[key + GZIP_SUFFIX]
                    return add_validators(request, response_from(packed), packed, state)
        except CACHE_ERRORS:
            logger.warning("Page cache unavailable; %s not stored", request.path)
            return response
        if entry is None:
            response[STATE_HEADER] = "RACE"
            patch_cache_control(response, no_cache=True)
            return response
        return add_validators(request, response, entry, state)


def _forget(key: str) -> None:
    try:
        cache.delete(key)
    except CACHE_ERRORS:
        logger.warning("Page cache unavailable; lock %s expires by itself", key)
