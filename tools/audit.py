"""make audit: Lighthouse 12, the Nu HTML checker and axe-core against a running site.

Builds a throwaway SQLite demo newsroom (production settings, DEBUG off) whose NATO article
has 50 comments, serves it with gunicorn on a free loopback port, audits the front page and
that article, prints the figures and stops the server it started.
"""

import gzip
import http.client
import json
import mimetypes
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = str(ROOT / ".venv" / "bin" / "python")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
ARTICLE = "/2022/01/12/nato-russia-council-step-forward/"
PAGES = {"front": "/", "article (50 comments)": ARTICLE}
COMMENTS = 50
STARTUP_TRIES = 100  # x 0.2 s
ADD_COMMENTS = f"""
from articles.models import Article
from comments.models import Comment
article = Article.objects.get(slug="nato-russia-council-step-forward")
parents = list(article.comments.order_by("pk"))
for n in range(len(parents), {COMMENTS}):
    parent = parents[(n * 5) % len(parents)] if n % 3 else None
    parent = parent if parent and parent.depth < 4 else None
    c = Comment.objects.create_in_thread(article=article, parent=parent, name=f"Reader {{n}}",
        email=f"r{{n}}@example.com", status="approved",
        body="A considered comment on the talks, long enough to read like a real one. " * 3)
    parents.append(c)
"""


HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding"}


def proxy(listen: int, upstream: int, media_root: Path) -> ThreadingHTTPServer:
    """What nginx does in production, in a few lines: serve /media/ from MEDIA_ROOT, pass the
    rest to gunicorn, gzip HTML. Loopback only; stopped by the caller."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            try:
                self.handle_any()
            except (BrokenPipeError, ConnectionResetError):
                pass  # Lighthouse closes connections it no longer needs

        do_POST = do_GET

        def handle_any(self):
            if self.path.startswith("/media/"):
                file = (media_root / self.path.split("?")[0][len("/media/") :]).resolve()
                if media_root.resolve() in file.parents and file.is_file():
                    return self.reply(
                        200,
                        [
                            ("Content-Type", mimetypes.guess_type(file.name)[0]),
                            ("Cache-Control", "max-age=31536000"),
                        ],
                        file.read_bytes(),
                    )
                return self.reply(404, [("Content-Type", "text/plain")], b"not found")
            length = int(self.headers.get("Content-Length") or 0)
            conn = http.client.HTTPConnection("127.0.0.1", upstream, timeout=30)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            conn.request(self.command, self.path, self.rfile.read(length), headers)
            answer = conn.getresponse()
            body = answer.read()
            out = [(k, v) for k, v in answer.getheaders() if k.lower() not in HOP_BY_HOP]
            if answer.getheader("Content-Encoding"):
                out.append(("Content-Encoding", answer.getheader("Content-Encoding")))
            elif "text/html" in (
                answer.getheader("Content-Type") or ""
            ) and "gzip" in self.headers.get("Accept-Encoding", ""):
                body = gzip.compress(body, 6)
                out.append(("Content-Encoding", "gzip"))
            conn.close()
            self.reply(answer.status, out, body)

        def reply(self, status, headers, body):
            self.send_response(status)
            for key, value in headers:
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", listen), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(args, env):
    subprocess.run(args, env=env, cwd=ROOT, check=True)  # noqa: S603 (fixed argv, no shell)


def wait_up(url: str) -> None:
    for _ in range(STARTUP_TRIES):
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (our loopback http URL)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the site did not come up at {url}")


def lighthouse(url: str, out: Path) -> dict:
    from tests.e2e.conftest import CHROMIUM_ARGS

    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    subprocess.run(  # noqa: S603 (fixed argv, no shell)
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            f"--chrome-flags={flags}",
            "--max-wait-for-load=30000",
        ],
        env=env,
        check=True,
        timeout=300,
    )
    report = json.loads(out.read_text())
    items = report["audits"]["network-requests"]["details"]["items"]
    failing = sorted(
        f"{a['id']} ({round(a['score'] * 100)})"
        for cat in report["categories"].values()
        for ref in cat["auditRefs"]
        if ref["weight"]
        and (a := report["audits"][ref["id"]])["score"] is not None
        and a["score"] < 1
    )
    for item in report["audits"]["errors-in-console"]["details"].get("items", [])[:3]:
        print(f"console: {url}: {item.get('url')}: {item.get('description')}")
    return {
        "failing": failing,
        "scores": {k: round(v["score"] * 100) for k, v in report["categories"].items()},
        "requests": len(items),
        "transfer": sum(i.get("transferSize", 0) for i in items),
        "urls": [i["url"].replace(url.split(ARTICLE)[0].rstrip("/"), "") for i in items],
    }


def quality(browser, url: str) -> dict:
    from tests.quality import axe_results, nu_messages

    html = urllib.request.urlopen(url, timeout=10).read()  # noqa: S310 (loopback http)
    messages = nu_messages(html.decode())
    for m in messages[:3]:
        print(f"nu: {url}: {m['type']}: {m['message']}")
    found = {"nu": len(messages), "html_gzip": len(gzip.compress(html, 9))}
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto(url)
        results = axe_results(page)
        found[f"axe_{scheme}"] = len(results["violations"]) + len(results["incomplete"])
        context.close()
    return found


def main() -> None:
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM_ARGS

    port, upstream = free_port(), free_port()
    work = Path(tempfile.mkdtemp(prefix="newsroom-audit-"))
    secret = secrets.token_urlsafe(50)  # a throwaway site: its own key
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secret,
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{work / 'audit.sqlite3'}",
        "STATIC_ROOT": str(work / "static"),
        "MEDIA_ROOT": str(work / "media"),
        "PORT": str(upstream),
        "WEB_CONCURRENCY": "2",
    }
    env.pop("REDIS_URL", None)
    run([PY, "manage.py", "migrate", "--noinput", "-v0"], env)
    run([PY, "manage.py", "load_demo", "--force", "-v0"], env)
    run([PY, "manage.py", "shell", "-c", ADD_COMMENTS], env)
    run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    server = subprocess.Popen(  # noqa: S603 (fixed argv, no shell)
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "newsroom/gunicorn_conf.py"],
        env=env,
        cwd=ROOT,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    front = proxy(port, upstream, work / "media")
    try:
        wait_up(base + "/healthz")
        rows = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name, path in PAGES.items():
                lh = lighthouse(base + path, work / "lighthouse.json")
                rows.append((name, lh, quality(browser, base + path)))
            browser.close()
    finally:
        front.shutdown()
        server.terminate()
        server.wait(timeout=30)
    print(
        f"\nAudit of the demo newsroom ({base}: DEBUG off, gunicorn behind a gzip proxy, "
        "cold load):\n"
    )
    print(
        f"{'page':24} {'perf':>4} {'a11y':>4} {'b.p.':>4} {'seo':>4} {'reqs':>4} "
        f"{'transfer':>9} {'html.gz':>8} {'nu':>3} {'axe light':>9} {'axe dark':>8}"
    )
    for name, lh, q in rows:
        s = lh["scores"]
        print(
            f"{name:24} {s['performance']:>4} {s['accessibility']:>4} {s['best-practices']:>4} "
            f"{s['seo']:>4} {lh['requests']:>4} {lh['transfer'] / 1024:>7.1f}Ki "
            f"{q['html_gzip'] / 1024:>6.1f}Ki {q['nu']:>3} {q['axe_light']:>9} {q['axe_dark']:>8}"
        )
    for name, lh, _ in rows:
        print(f"  {name} requests: {', '.join(lh['urls'])}")
        print(f"  {name} audits below 100: {', '.join(lh['failing']) or 'none'}")
    print(
        "\ntransfer: bytes on the wire, static files pre-compressed by whitenoise, HTML "
        "gzipped by the proxy as nginx would. html.gz: the page's HTML alone, gzip -9."
    )


if __name__ == "__main__":
    main()
