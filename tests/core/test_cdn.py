"""Purging Fastly and Cloudflare by tag through their APIs, against a stand-in API on loopback."""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.checks import run_checks
from django.urls import reverse
from django.utils import timezone

from core import cdn, edgepurge, pagecache
from core.edge import edge_tag
from core.models import PendingPurge

pytestmark = pytest.mark.django_db

TOKEN = "tok-3f9c1d-secret"  # noqa: S105 (a test token)


@dataclass
class Cdn:
    """One CDN's contract: how the site is configured and what its API expects."""

    name: str
    tag_header: str
    service_id: str
    base_path: str  # where its API lives below the host (Cloudflare: /client/v4)
    path: str
    token_header: str
    token_value: str
    field: str
    batch: int
    ok: dict
    refused: tuple[int, dict]  # status and body of a purge the API does not take
    refused_error: str  # what PendingPurge.last_error then says (the token blanked)


CDNS = {
    "fastly": Cdn(
        "fastly", "Surrogate-Key", "svc-7Yq", "", "/service/svc-7Yq/purge", "Fastly-Key", TOKEN,
        "surrogate_keys", 256, {"status": "ok"},
        (403, {"msg": f"Token {TOKEN} may not purge", "detail": "purge_select missing"}),
        "fastly answered 403: Token [token] may not purge; purge_select missing",
    ),
    "cloudflare": Cdn(
        "cloudflare", "Cache-Tag", "zone-0c1", "/client/v4",
        "/client/v4/zones/zone-0c1/purge_cache",
        "Authorization", f"Bearer {TOKEN}", "tags", 100,
        {"success": True, "errors": [], "messages": [], "result": {"id": "zone-0c1"}},
        (200, {"success": False, "errors": [{"code": 1134, "message": f"bad token {TOKEN}"}]}),
        "cloudflare answered 200: bad token [token]",  # a 200 saying it failed is a failure
    ),
}  # fmt: skip


@dataclass
class Received:
    method: str
    path: str
    headers: object  # the request's headers, read case-insensitively
    body: dict


@dataclass
class FakeApi:
    """Records each request; answers as ``answer`` says: ok, refused, error (a 503) or hang
    (nothing until the test ends, far past EDGE_PURGE_TIMEOUT)."""

    cdn: Cdn
    answer: str = "ok"
    requests: list[Received] = field(default_factory=list)
    released: threading.Event = field(default_factory=threading.Event)

    def reply(self, received: Received) -> tuple[int, bytes] | None:
        self.requests.append(received)
        if self.answer == "hang":
            self.released.wait(10)
            return None  # the client gave up long ago
        if self.answer == "error":
            return 503, b"<html>Service Unavailable</html>"
        if self.answer == "refused":
            status, body = self.cdn.refused
            return status, json.dumps(body).encode()
        body = self.cdn.ok
        if self.cdn.name == "fastly":  # each key's purge id
            body = {key: f"1-{index}" for index, key in enumerate(received.body[self.cdn.field])}
        return 200, json.dumps(body).encode()

    def tags(self, request_index: int = 0) -> list[str]:
        return self.requests[request_index].body[self.cdn.field]


@pytest.fixture(params=sorted(CDNS))
def api(request, settings):
    """The chosen CDN's API on a free loopback port, and the site configured to purge it."""
    fake = FakeApi(CDNS[request.param])

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (the HTTP method's name)
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            reply = fake.reply(Received(self.command, self.path, self.headers, body))
            if reply is None:
                return
            status, answer = reply
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.EDGE_TAG_HEADER = fake.cdn.tag_header
    settings.EDGE_PURGE_URLS = []  # a CDN needs no Varnish list
    settings.EDGE_PURGE_SERVICE_ID = fake.cdn.service_id
    settings.EDGE_PURGE_TOKEN = TOKEN
    settings.EDGE_PURGE_API_URL = f"http://127.0.0.1:{server.server_address[1]}{fake.cdn.base_path}"
    settings.EDGE_PURGE_TIMEOUT = 0.3
    yield fake
    fake.released.set()
    server.shutdown()
    server.server_close()


def test_an_invalidation_posts_the_hashed_tags_with_the_token(
    api, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pagecache.invalidate("front", "article:1")
        pagecache.invalidate("front", "feeds")
    [sent] = api.requests
    assert (sent.method, sent.path) == ("POST", api.cdn.path)
    assert sent.headers[api.cdn.token_header] == api.cdn.token_value
    assert sent.headers["Content-Type"] == "application/json"
    assert "Fastly-Soft-Purge" not in sent.headers  # hard: no reader sees the old page
    assert list(sent.body) == [api.cdn.field]
    assert sorted(sent.body[api.cdn.field]) == sorted(
        edge_tag(scope) for scope in ("front", "article:1", "feeds")
    )
    assert not PendingPurge.objects.exists()


def test_tags_go_in_batches_the_api_accepts(api):
    scopes = [f"article:{number}" for number in range(300)]
    edgepurge.send(scopes)
    sizes = [len(api.tags(index)) for index in range(len(api.requests))]
    batch = api.cdn.batch
    assert sizes == [batch] * (300 // batch) + ([300 % batch] if 300 % batch else [])
    sent = [tag for index in range(len(sizes)) for tag in api.tags(index)]
    assert sent == [edge_tag(scope) for scope in scopes]


@pytest.mark.parametrize("answer", ["refused", "error", "hang"])
def test_a_failing_api_keeps_the_purge_and_degrades_healthz(
    api, answer, client, caplog, django_capture_on_commit_callbacks
):
    api.answer = answer
    with django_capture_on_commit_callbacks(execute=True):
        pagecache.invalidate("front")
    row = PendingPurge.objects.get(scope="front")
    assert row.attempts == 1 and row.next_try_at > timezone.now()
    assert (
        row.last_error
        == {
            "refused": api.cdn.refused_error,
            "error": f"{api.cdn.name} answered 503",
            "hang": f"{api.cdn.name}: timed out",
        }[answer]
    )
    assert TOKEN not in row.last_error and TOKEN not in caplog.text
    body = client.get(reverse("healthz")).json()
    assert body["status"] == "degraded"
    assert body["edge_purge"].startswith("failed: 1 waiting since")
    assert TOKEN not in body["edge_purge"]


def test_a_refused_connection_keeps_the_purge(
    api, settings, closed_port, django_capture_on_commit_callbacks
):
    settings.EDGE_PURGE_API_URL = f"http://127.0.0.1:{closed_port}"
    with django_capture_on_commit_callbacks(execute=True):
        pagecache.invalidate("front")
    row = PendingPurge.objects.get()
    assert row.attempts == 1 and "Connection refused" in row.last_error


def test_the_retry_purges_once_the_api_answers(api, client, django_capture_on_commit_callbacks):
    api.answer = "error"
    with django_capture_on_commit_callbacks(execute=True):
        pagecache.invalidate("front")
    api.answer = "ok"
    PendingPurge.objects.update(next_try_at=timezone.now())  # the backoff has passed
    assert edgepurge.purge_due() == "purged 1"
    assert api.tags(1) == [edge_tag("front")]
    assert client.get(reverse("healthz")).json()["edge_purge"] == "ok"


def test_a_cdn_without_its_token_fails_every_purge_and_the_check_warns(
    api, settings, django_capture_on_commit_callbacks
):
    settings.EDGE_PURGE_TOKEN = ""
    with django_capture_on_commit_callbacks(execute=True):
        pagecache.invalidate("front")
    assert api.requests == []
    assert PendingPurge.objects.get().last_error == f"{api.cdn.name}: EDGE_PURGE_TOKEN not set"
    [warning] = [message for message in run_checks() if message.id.startswith("core.")]
    assert warning.id == "core.W001" and "EDGE_PURGE_TOKEN is not set" in warning.msg


def test_a_configured_cdn_passes_the_check(api):
    assert [message for message in run_checks() if message.id.startswith("core.")] == []


@pytest.mark.parametrize(
    ("backend", "header", "chosen"),
    [("", "", "varnish"), ("", "xkey", "varnish"), ("", "Surrogate-Key", "fastly"),
     ("", "Cache-Tag", "cloudflare"), ("Varnish", "Surrogate-Key", "varnish"),
     ("cloudflare", "", "cloudflare")],
)  # fmt: skip
def test_the_backend_is_the_setting_else_the_tag_header_s_edge(settings, backend, header, chosen):
    settings.EDGE_PURGE_BACKEND, settings.EDGE_TAG_HEADER = backend, header
    assert cdn.backend() == chosen


def test_an_unknown_backend_is_a_check_error(settings):
    settings.EDGE_PURGE_BACKEND = "akamai"
    [error] = [message for message in run_checks() if message.id.startswith("core.")]
    assert error.id == "core.E001"


def test_varnish_needs_no_cdn_credentials(settings):
    settings.EDGE_PURGE_BACKEND, settings.EDGE_PURGE_TOKEN = "varnish", ""
    assert [message for message in run_checks() if message.id.startswith("core.")] == []
