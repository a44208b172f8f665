"""A real varnishd with the project's VCL in front of the live test server.

Between the two sits a TCP relay the test can stop and start: to Varnish, a stopped relay
is the app gone (refused connections), while the live server itself keeps running.
Without varnishd or the xkey vmod the tests are skipped with the reason; in CI they fail.
"""

import http.client
import os
import socket
import threading
import time
from dataclasses import dataclass

import pytest

from tools import varnish

WAIT_SECONDS = 10  # the longest any test polls for the edge to show something


class Relay:
    """Forward 127.0.0.1:``port`` to 127.0.0.1:``target``; stop() refuses connections (and
    cuts the open ones) until start() listens on the same port again."""

    def __init__(self, target: int):
        self.target, self.port = target, varnish.free_port()
        self.listener, self.connections = None, set()
        self.start()

    def start(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", self.port))
        self.listener.settimeout(0.1)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def stop(self) -> None:
        listener, self.listener = self.listener, None
        listener.close()
        for connection in list(self.connections):
            _close(connection)

    def _accept(self, listener) -> None:
        while self.listener is listener:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target), timeout=30)
            self.connections |= {client, upstream}
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source, sink) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                self.connections.discard(end)
                _close(end)


def _close(end: socket.socket) -> None:
    """Shut down, then close: a bare close() leaves the peer waiting while another thread
    still reads from the socket."""
    try:
        end.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    end.close()


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: str

    @property
    def cache(self) -> str:
        return self.headers.get("X-Cache", "")


@dataclass
class Edge:
    port: int
    app: Relay

    def get(self, path: str, **headers) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        answer = Answer(response.status, response.headers, response.read().decode())
        connection.close()
        return answer

    def wait_for(self, path: str, condition, **headers) -> tuple[Answer, float]:
        """GET ``path`` until ``condition(answer)``; the answer and the seconds it took."""
        started = time.monotonic()
        while True:
            answer = self.get(path, **headers)
            took = time.monotonic() - started
            if condition(answer) or took > WAIT_SECONDS:
                return answer, took
            time.sleep(0.02)


def require_varnish() -> None:
    ok, reason = varnish.available()
    if not ok:
        if os.environ.get("CI"):
            pytest.fail(reason + " (CI must run the edge tests)")
        pytest.skip(reason=reason)


@pytest.fixture
def edge_settings(settings):
    """The site as `make serve-edge` runs it: xkey tags, purges to the edge; fragments on."""
    settings.EDGE_TAG_HEADER = "xkey"
    settings.PAGECACHE_FRAGMENTS = True
    return settings


def _edge(live_server, settings, **vcl_options):
    require_varnish()
    relay = Relay(int(live_server.url.rsplit(":", 1)[1]))
    try:
        with varnish.varnishd(relay.port, memory="64m", **vcl_options) as running:
            settings.EDGE_PURGE_URLS = [running.url + "/"]
            yield Edge(port=running.port, app=relay)
    finally:
        if relay.listener is not None:
            relay.stop()


@pytest.fixture
def edge(live_server, edge_settings):
    """Varnish with the shipped VCL in front of the live server."""
    yield from _edge(live_server, edge_settings)


@pytest.fixture
def grace_edge(live_server, edge_settings):
    """Varnish whose objects expire after a second and get no grace while the app is
    healthy, so a stale answer can only come from grace mode for a sick app."""
    edge_settings.EDGE_S_MAXAGE = 1
    yield from _edge(live_server, edge_settings, healthy_grace="0s")
