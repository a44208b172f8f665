"""A small oEmbed provider on loopback (real HTTP), for the embed tests: the network here
reaches nothing else, and the providers setting says where each oEmbed endpoint is."""

import copy
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from tests.factories import make_image_bytes


class OEmbedServer:
    def __init__(self):
        self.requests: list[str] = []
        self.answer = "ok"  # ok | not-image | not-json | slow
        self.image = make_image_bytes(size=(320, 180))
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                server.requests.append(self.path)
                parts = urlsplit(self.path)
                if server.answer == "slow":
                    time.sleep(2)
                if parts.path == "/oembed":
                    url = parse_qs(parts.query).get("url", [""])[0]
                    if server.answer == "not-json":
                        return self._send(b"<html>nope</html>", "text/html")
                    data = {
                        "type": "video",
                        "title": f"Video at {url[-11:]}",
                        "thumbnail_url": f"{server.base}/thumb.jpg",
                    }
                    return self._send(json.dumps(data).encode(), "application/json")
                if parts.path == "/thumb.jpg":
                    body = b"GIF89a not a picture" if server.answer == "not-image" else server.image
                    return self._send(body, "image/jpeg")
                self.send_error(404)

            def _send(self, body: bytes, content_type: str):
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (the timeout test)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def oembed_serve(settings):
    """For a fixture: the YouTube provider's oEmbed endpoint pointed at a loopback server,
    1 s timeouts; yields the server."""
    server = OEmbedServer()
    providers = copy.deepcopy(settings.EMBED_PROVIDERS)
    providers["youtube"]["oembed"] = f"{server.base}/oembed"
    settings.EMBED_PROVIDERS = providers
    settings.EMBED_FETCH_TIMEOUT = 1
    yield server
    server.close()
