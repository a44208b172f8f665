"""Edge purges: queued with the change, coalesced, retried, reported on /healthz."""

import re
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.identity import PROVEN_COOKIE
from comments.reader import DETAILS_COOKIE, HINT_COOKIE, MINE_COOKIE
from core import edgepurge, pagecache
from core.dbrouter import PIN_COOKIE
from core.edge import edge_tag
from core.models import PendingPurge
from tools.varnish import VCL

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_edge(settings):
    """An HTTP server on a free loopback port that records the purges it is sent."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_PURGE(self):  # noqa: N802 (the HTTP method's name)
            received.append((self.command, self.headers["xkey-purge"]))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.EDGE_PURGE_URLS = [f"http://127.0.0.1:{server.server_address[1]}/"]
    yield received
    server.shutdown()
    server.server_close()


def test_without_edge_urls_nothing_is_queued(settings):
    settings.EDGE_PURGE_URLS = []
    pagecache.invalidate("front")
    assert not PendingPurge.objects.exists()


def test_invalidations_in_one_transaction_are_one_purge_naming_each_tag_once(
    fake_edge, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pagecache.invalidate("front", "article:1")
        pagecache.invalidate("front", "feeds")
    assert len(fake_edge) == 1
    method, tags = fake_edge[0]
    assert method == "PURGE"
    assert sorted(tags.split()) == sorted(edge_tag(s) for s in ("front", "article:1", "feeds"))
    assert not PendingPurge.objects.exists()


def test_nothing_is_purged_when_the_change_rolls_back(
    fake_edge, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        pagecache.invalidate("front")
        raise RuntimeError("the publish failed")
    assert fake_edge == []
    assert not PendingPurge.objects.exists()


def test_a_dead_edge_never_fails_the_change_and_is_retried_later(
    settings, closed_port, django_capture_on_commit_callbacks
):
    settings.EDGE_PURGE_URLS = [f"http://127.0.0.1:{closed_port}/"]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        pagecache.invalidate("front")
    row = PendingPurge.objects.get()
    assert row.attempts == 1
    assert "Connection refused" in row.last_error
    assert row.next_try_at > timezone.now()
    assert edgepurge.purge_due() == "purged 0"  # not due yet: the backoff holds


def test_a_failing_purge_makes_healthz_degraded_but_200(
    client, settings, closed_port, django_capture_on_commit_callbacks
):
    settings.EDGE_PURGE_URLS = [f"http://127.0.0.1:{closed_port}/"]
    with django_capture_on_commit_callbacks(execute=True):
        pagecache.invalidate("front")
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"] == body["cache"] == "ok"
    assert body["edge_purge"].startswith("failed: 1 waiting since")


def test_the_retry_purges_once_the_edge_answers(
    client, fake_edge, closed_port, settings, django_capture_on_commit_callbacks
):
    working = settings.EDGE_PURGE_URLS
    settings.EDGE_PURGE_URLS = [f"http://127.0.0.1:{closed_port}/"]
    with django_capture_on_commit_callbacks(execute=True):
        pagecache.invalidate("front")
    settings.EDGE_PURGE_URLS = working
    PendingPurge.objects.update(next_try_at=timezone.now())  # the backoff has passed
    assert edgepurge.purge_due() == "purged 1"
    assert fake_edge == [("PURGE", edge_tag("front"))]
    assert client.get(reverse("healthz")).json()["edge_purge"] == "ok"


def test_a_purge_nobody_sends_fails_healthz_after_the_alert_delay(client, settings):
    settings.EDGE_PURGE_URLS = ["http://127.0.0.1:9/"]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    pagecache.invalidate("front")
    assert client.get(reverse("healthz")).json()["edge_purge"] == "ok"
    late = timezone.now() - timedelta(seconds=settings.EDGE_PURGE_ALERT_SECONDS + 1)
    PendingPurge.objects.update(requested_at=late)
    state = client.get(reverse("healthz")).json()["edge_purge"]
    assert "is the task worker running?" in state


def test_a_scope_asked_for_again_during_a_purge_is_purged_again(fake_edge, monkeypatch):
    pagecache.invalidate("front")  # queued; its task would run after the test's commit
    sent = edgepurge._purge

    def purge_while_asked_again(url, tags):
        later = timezone.now() + timedelta(seconds=1)  # as purge_later writes it
        PendingPurge.objects.update(requested_at=later, next_try_at=later)
        return sent(url, tags)

    monkeypatch.setattr(edgepurge, "_purge", purge_while_asked_again)
    edgepurge.purge_due()
    assert PendingPurge.objects.filter(scope="front").exists()


def test_the_vcl_passes_every_cookie_the_site_reads_per_reader():
    passed = re.search(r'req\.http\.Cookie ~ "[^"]*\(([a-z_|]+)\)=', VCL.read_text()).group(1)
    site_cookies = {
        django_settings.SESSION_COOKIE_NAME,
        django_settings.CSRF_COOKIE_NAME,
        "messages",  # django.contrib.messages' cookie storage
        DETAILS_COOKIE,
        HINT_COOKIE,
        MINE_COOKIE,
        PROVEN_COOKIE,
        PIN_COOKIE,
    }
    assert site_cookies <= set(passed.split("|"))
