"""A tiny reverse proxy on loopback that does what the documented nginx does for us:
forward the request and append the connecting address to X-Forwarded-For
(proxy_add_x_forwarded_for). Clients pick their loopback source address (127.0.0.x)."""

import http.client
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length"}


class ForwardingHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # one request per connection, as http.client sends them

    def forward(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        sent = self.headers.get("X-Forwarded-For")
        peer = self.client_address[0]
        headers["X-Forwarded-For"] = f"{sent}, {peer}" if sent else peer
        upstream = http.client.HTTPConnection("127.0.0.1", self.server.upstream_port, timeout=30)
        try:
            upstream.request(self.command, self.path, body=body, headers=headers)
            response = upstream.getresponse()
            data = response.read()
        finally:
            upstream.close()
        self.send_response(response.status, response.reason)
        for name, value in response.getheaders():
            if name.lower() not in HOP_BY_HOP:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_HEAD = forward

    def log_message(self, format, *args) -> None:  # noqa: A002 (the base class's name)
        pass


@contextmanager
def reverse_proxy(upstream_port: int) -> Iterator[int]:
    """Serve the proxy on a free 127.0.0.1 port in front of upstream_port; yield its port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), ForwardingHandler)
    server.upstream_port = upstream_port
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
