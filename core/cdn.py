"""Which edge purges go to, and the purge-by-tag call of the two CDNs (Fastly, Cloudflare).

core/edgepurge.py decides when to purge; this module says where: ``backend()`` is
``EDGE_PURGE_BACKEND``, else the edge ``EDGE_TAG_HEADER`` names. Varnish gets its ``PURGE``
from core/edgepurge.py. A CDN gets one ``POST`` per batch of tags:

- Fastly: ``{api}/service/{id}/purge`` with ``{"surrogate_keys": [...]}``, at most 256 keys a
  request, the token in ``Fastly-Key``; 200 answers each key's purge id.
- Cloudflare: ``{api}/zones/{id}/purge_cache`` with ``{"tags": [...]}``, at most 100 tags a
  request, ``Authorization: Bearer <token>``; it answers ``{"success": true, ...}`` or
  ``"success": false`` with ``errors``.

A non-2xx answer, a body saying ``"success": false``, a timeout or a refused connection
raises PurgeFailed, and core/edgepurge.py tries again later. Purges are hard (no
``Fastly-Soft-Purge``): a soft one would show the next reader the page from before the change.
The token travels in its header only, never in a URL, a log line or an error.
"""

import json
from dataclasses import dataclass
from http.client import HTTPConnection, HTTPSConnection
from urllib.parse import quote, urlsplit

from django.conf import settings


class PurgeFailed(Exception):
    """The page cache or an edge did not take the purge; it is tried again later."""


@dataclass(frozen=True)
class Api:
    name: str
    url: str  # the real API, unless EDGE_PURGE_API_URL says otherwise (tests)
    path: str  # below the API's URL; {id} is the service or zone id
    field: str  # the JSON body's list of tags
    batch: int  # most tags one request may name
    token_header: str
    token_prefix: str = ""


APIS = {
    "fastly": Api(
        "fastly", "https://api.fastly.com", "/service/{id}/purge", "surrogate_keys", 256,
        "Fastly-Key",
    ),
    "cloudflare": Api(
        "cloudflare", "https://api.cloudflare.com/client/v4", "/zones/{id}/purge_cache", "tags",
        100, "Authorization", "Bearer ",
    ),
}  # fmt: skip
BACKENDS = {"varnish", *APIS}
BY_TAG_HEADER = {"xkey": "varnish", "surrogate-key": "fastly", "cache-tag": "cloudflare"}
CREDENTIALS = ("EDGE_PURGE_SERVICE_ID", "EDGE_PURGE_TOKEN")


def backend() -> str:
    """``varnish``, ``fastly`` or ``cloudflare`` (or the unknown name a system check reports)."""
    chosen = settings.EDGE_PURGE_BACKEND.strip().lower()
    return chosen or BY_TAG_HEADER.get(settings.EDGE_TAG_HEADER.lower(), "varnish")


def missing_credentials() -> list[str]:
    return [name for name in CREDENTIALS if not getattr(settings, name)]


def purge(tags: list[str]) -> None:
    """Purge ``tags`` at the chosen CDN, a batch per request; PurgeFailed if any batch fails."""
    api = APIS[backend()]
    if missing := missing_credentials():
        raise PurgeFailed(f"{api.name}: {' and '.join(missing)} not set")
    base = (settings.EDGE_PURGE_API_URL or api.url).rstrip("/")
    url = base + api.path.format(id=quote(settings.EDGE_PURGE_SERVICE_ID, safe=""))
    headers = {
        api.token_header: api.token_prefix + settings.EDGE_PURGE_TOKEN,
        "Content-Type": "application/json",
        "Accept": "application/json",
    }
    for start in range(0, len(tags), api.batch):
        body = json.dumps({api.field: tags[start : start + api.batch]}).encode()
        try:
            status, answer = request("POST", url, headers, body)
        except OSError as error:  # refused, timed out, unknown host
            raise PurgeFailed(_without_token(f"{api.name}: {error}")) from error
        if refusal := _refusal(status, answer):
            raise PurgeFailed(_without_token(f"{api.name} answered {refusal}"))


def request(method: str, url: str, headers: dict, body: bytes | None = None) -> tuple[int, bytes]:
    """Send one request to ``url`` within EDGE_PURGE_TIMEOUT; its status and body."""
    parts = urlsplit(url)
    connection_class = {"http": HTTPConnection, "https": HTTPSConnection}.get(parts.scheme)
    if connection_class is None:
        raise PurgeFailed(f"{url}: not an http(s) URL")
    connection = connection_class(parts.netloc, timeout=settings.EDGE_PURGE_TIMEOUT)
    try:
        connection.request(method, parts.path or "/", body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _refusal(status: int, body: bytes) -> str:
    """Empty if the API took the purge, else its status and what it said was wrong."""
    try:
        answer = json.loads(body)
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        answer = {}
    if 200 <= status < 300 and answer.get("success") is not False:
        return ""
    # Cloudflare: {"errors": [{"code": 1134, "message": …}]}; Fastly: {"msg": …, "detail": …}
    said = [str(e.get("message", e)) for e in answer.get("errors") or [] if isinstance(e, dict)]
    said += [str(answer[key]) for key in ("msg", "detail") if answer.get(key)]
    return f"{status}: {'; '.join(said)}"[:200] if said else str(status)


def _without_token(text: str) -> str:
    token = settings.EDGE_PURGE_TOKEN
    return text.replace(token, "[token]") if token else text
