"""The benchmark's edge rows: cached pages through Varnish beside nginx serving the same bytes
as a static file (the machine's limit for them), and the time from a comment's approval to
the new page at the edge while the edge is under load.

bench/run.py calls ``run_edge`` for its gunicorn (started with ``edge_env``). Alone,

    .venv/bin/python bench/edge.py

builds a throwaway SQLite demo newsroom (the 50-comment article of `make audit`) with a
redis-server of its own (the processes must share the page cache), serves it
with gunicorn, a task worker and Varnish, and prints the same rows. Loopback only.
"""

import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools import varnish  # noqa: E402 (after the path is set)
from tools.serve_edge import WORKER_INTERVAL, worker_command  # noqa: E402

GZIP = {"Accept-Encoding": "gzip, deflate, br"}
LATENCY_SAMPLES = 30
ROUNDS = 3  # interleaved runs of each edge row
# The benchmark's nginx keeps no access log (NGINX_CONF), so its Varnish keeps none either:
# the shared-memory log (varnishlog, varnishncsa) leaves out the headers, timestamps and VCL
# steps it writes for every request, about a tenth of varnishd's CPU a hit (the demo
# article, median of 7 interleaved 3 s runs: 49,022 requests/s logged, 56,144 without).
# `make serve-edge` and the deploy keep Varnish's full log.
NO_ACCESS_LOG = (
    "vsl_mask=-ReqHeader,-RespHeader,-BereqHeader,-BerespHeader,-VCL_call,-VCL_return,"
    "-ReqUnset,-RespUnset,-Timestamp,-ReqAcct,-VCL_use,-ReqProtocol,-RespProtocol,-RespReason"
)
PROBE_SLUG = "edge-latency-"
NGINX_CONF = """
worker_processes {workers};
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log error;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {folder}/www;
        default_type "text/html; charset=utf-8";
        add_header Content-Encoding gzip;
    }}
}}
"""


def wanted(only: str) -> int | None:
    """A port for Varnish when the edge rows are measured (``--only`` allows them and
    varnishd, nginx and the xkey vmod are installed), else None (said once)."""
    if only not in "through Varnish, nginx static file":
        return None
    ok, reason = varnish.available()
    if ok and not (shutil.which("nginx") or os.access("/usr/sbin/nginx", os.X_OK)):
        ok, reason = False, "nginx is missing (apt-get install nginx-light)"
    if not ok:
        print(f"Edge rows skipped: {reason}", flush=True)
        return None
    return varnish.free_port()


def edge_env(edge_port: int) -> dict[str, str]:
    """What the site needs to know about its edge (as `make serve-edge` sets it)."""
    return {
        "EDGE_TAG_HEADER": "xkey",
        "EDGE_PURGE_URLS": f"http://127.0.0.1:{edge_port}/",
        "NEWSROOM_TRUSTED_PROXIES": "1",
    }


def fetch(port: int, path: str, headers=None) -> tuple[dict, bytes]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 (loopback)
        return dict(answer.headers), answer.read()


@contextmanager
def nginx(pages: dict[str, bytes]):
    """nginx on a free loopback port serving each ``pages`` body (gzip bytes) at its name."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    folder = Path(tempfile.mkdtemp(prefix="newsroom-nginx-"))
    os.chmod(folder, 0o755)  # noqa: S103 (nginx's workers read the pages as nobody)
    (folder / "www").mkdir(mode=0o755)
    for name, body in pages.items():
        (folder / "www" / name).write_bytes(body)
        os.chmod(folder / "www" / name, 0o644)  # noqa: S103 (public pages)
    port = varnish.free_port()
    workers = os.cpu_count() or 1
    conf = folder / "nginx.conf"
    conf.write_text(NGINX_CONF.format(workers=workers, folder=folder, port=port))
    command = [binary, "-c", str(conf), "-e", str(folder / "error.log")]
    process = subprocess.Popen(command, preexec_fn=varnish.die_with_parent)  # noqa: S603, PLW1509
    try:
        for _ in range(varnish.WAIT_ATTEMPTS):
            if varnish.listening(port):
                break
            time.sleep(0.05)
        yield port
    finally:
        varnish.stop(process)
        shutil.rmtree(folder, ignore_errors=True)


def worker(env: dict) -> subprocess.Popen:
    command = [*worker_command(), "--no-startup-delay", "-v0"]
    return subprocess.Popen(command, cwd=ROOT, env=env, preexec_fn=varnish.die_with_parent)  # noqa: S603, PLW1509


def measure_edge(edge_port: int, paths: dict[str, str], args) -> tuple[list, list[str]]:
    """Rows (label, wrk figures, "-") for each of ``paths`` (label -> path) through Varnish
    and from nginx serving the bytes Varnish sent, and a line a page with their ratio.

    ROUNDS rounds of one run each, the two sides back to back, the first side alternating
    (on a shared machine the load drifts within seconds). A row keeps the run with the
    median rate; the ratio is the median of the rounds' own ratios: each compares two runs
    seconds apart, where one side's median against the other's can pair a busy moment with
    a quiet one (nginx's three rounds gave 46,892, 78,127 and 97,082 requests/s in one run)."""
    rows, lines, static = [], [], {}
    for label, path in paths.items():
        fetch(edge_port, path, GZIP)
        headers, body = fetch(edge_port, path, GZIP)
        assert headers.get("X-Cache") == "HIT", f"{path} is not cached at the edge: {headers}"
        assert headers.get("Content-Encoding") == "gzip", headers
        static[label] = (f"page{len(static)}.html", body)
    with nginx(dict(static.values())) as nginx_port:
        for label, path in paths.items():
            targets = [
                (f"{label}, through Varnish", edge_port, path),
                (f"{label}, nginx static file", nginx_port, f"/{static[label][0]}"),
            ]
            runs = {name: [] for name, _, _ in targets}
            for round_number in range(ROUNDS):
                for name, port, url in targets[:: -1 if round_number % 2 else 1]:
                    runs[name].append(measure_plain(port, name, url, GZIP, args)[1])
            varnish_runs, nginx_runs = runs.values()
            kept = [sorted(found, key=lambda f: f["rps"])[ROUNDS // 2] for found in runs.values()]
            rows += [(name, found, "-") for name, found in zip(runs, kept, strict=True)]
            lines.append(ratio_line(label, varnish_runs, nginx_runs))
            print(lines[-1], flush=True)
    return rows, lines


def ratio_line(label: str, varnish_runs: list[dict], nginx_runs: list[dict]) -> str:
    """Varnish / nginx for ``label``: the median of the rounds' ratios, and the rounds'."""
    shares = [v["rps"] / n["rps"] for v, n in zip(varnish_runs, nginx_runs, strict=True)]
    rounds = ", ".join(f"{share:.2f}" for share in shares)
    median = statistics.median(shares)
    return f"{label}: Varnish / nginx = {median:.2f} (median of the rounds' {rounds})"


def approval_latency(edge_port: int, connections: int, load_path: str) -> list:
    """Seconds from each approval's commit to its comment on the article page at the edge
    (a new article each time, cached at the edge first), while wrk loads the edge with
    ``load_path``. A comment not seen within 10 s counts as 10 s."""
    from django.contrib.auth import get_user_model

    from comments.models import Comment
    from comments.moderation import comment_moderate

    moderator = get_user_model().objects.filter(is_superuser=True).first()
    if moderator is None:
        moderator = get_user_model().objects.create_superuser("edge-bench", password=None)
    command = [shutil.which("wrk") or "/usr/bin/wrk", "-t2", f"-c{connections}", "-d600s"]
    load = subprocess.Popen(  # noqa: S603 (fixed argv)
        [*command, "-H", "Accept-Encoding: gzip", f"http://127.0.0.1:{edge_port}{load_path}"],
        stdout=subprocess.DEVNULL,
    )
    latencies = []
    try:
        for n in range(LATENCY_SAMPLES):
            article = probe_article(edge_port)
            marker = f"Edge probe {n} {secrets.token_hex(4)}"
            comment = Comment.objects.create_in_thread(
                article=article, parent=None, name="Probe", email="probe@example.com",
                status=Comment.Status.PENDING, body=marker,
            )  # fmt: skip
            comment_moderate(comment=comment, moderator=moderator, action="approve")
            started = time.monotonic()
            path = article.get_absolute_url()
            while marker.encode() not in fetch(edge_port, path)[1]:
                if time.monotonic() - started > 10:
                    break
                time.sleep(0.005)
            latencies.append(time.monotonic() - started)
    finally:
        load.terminate()
        load.wait()
        drop_probe_articles()  # the bench data stays as generated
    return latencies


def wait_for_purges(seconds: float = 10) -> None:
    """Until the worker has sent every queued purge (at most ``seconds``)."""
    from core.models import PendingPurge

    deadline = time.monotonic() + seconds
    while PendingPurge.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.1)


def drop_probe_articles() -> None:
    from articles.models import Article

    Article.objects.filter(slug__startswith=PROBE_SLUG).delete()


def probe_article(edge_port: int):
    """A new published article whose page the edge has cached."""
    from django.utils import timezone

    from articles.models import Article

    article = Article.objects.create(
        title="Edge latency", slug=f"{PROBE_SLUG}{secrets.token_hex(4)}", body="<p>Probe</p>",
        status=Article.Status.PUBLISHED, published_at=timezone.now() - timezone.timedelta(hours=1),
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while fetch(edge_port, article.get_absolute_url())[0].get("X-Cache") != "HIT":
        if time.monotonic() > deadline:
            break
        time.sleep(0.05)
    return article


def latency_row(latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    slowest = latencies.index(ordered[-1]) + 1
    return (
        f"Approval to new page at the edge, under load ({len(ordered)} approvals): "
        f"p50 {statistics.median(ordered) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, "
        f"max {ordered[-1] * 1000:.0f} ms (approval {slowest}; worker polls every "
        f"{WORKER_INTERVAL} s)"
    )


def measure_plain(port: int, label: str, path: str, headers: dict, args) -> tuple:
    """bench/run.py's measure without its in-process query count (nginx has no Django)."""
    from bench.run import wrk

    wrk(port, path, headers, args.warmup, args.connections)
    found = wrk(port, path, headers, args.seconds, args.connections)
    print(f"{label}: {found['rps']:.0f} requests/s", flush=True)
    return label, found, "-"


def run_edge(app_port: int, edge_port: int, paths: dict[str, str], args) -> tuple[list, str]:
    """The edge rows and the lines under them (Varnish / nginx a page, the latency), with
    Varnish and a task worker started here for the gunicorn on ``app_port`` (started with
    ``edge_env(edge_port)``)."""
    # Varnish outlives the worker, and the worker the purges the probes' deletion queued:
    # a purge sent to a stopping varnishd failed ("Connection reset by peer") and stayed in
    # the database for a later run.
    with varnish.varnishd(app_port, port=edge_port, parameters=(NO_ACCESS_LOG,)):
        tasks = worker(dict(os.environ))
        try:
            rows, lines = measure_edge(edge_port, paths, args)
            load_path = next(iter(paths.values()))
            latencies = approval_latency(edge_port, args.connections, load_path)
            wait_for_purges()
        finally:
            tasks.terminate()
            tasks.wait(timeout=30)
    return rows, "\n".join([*lines, latency_row(latencies)])


def print_rows(rows: list) -> None:
    print("\n| page | requests/s | p50 ms | p99 ms | KB |\n|---|---:|---:|---:|---:|")
    for label, found, _ in rows:
        figures = f"{found['rps']:.0f} | {found['p50']:.2f} | {found['p99']:.2f}"
        print(f"| {label} | {figures} | {found['kb']:.1f} |")


def demo_site(env: dict) -> None:
    """A throwaway SQLite demo newsroom whose NATO article has 50 comments (make audit's)."""
    from tools.audit import ADD_COMMENTS

    commands = (["migrate", "-v0"], ["load_demo", "--force", "-v0"], ["shell", "-c", ADD_COMMENTS])
    for command in commands:
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)  # noqa: S603


def serve_and_measure(env: dict, app_port: int, edge_port: int, args) -> tuple[list, str]:
    import django

    from bench import run
    from tools.audit import ARTICLE

    django.setup()
    server = run.start_gunicorn(env, app_port)
    try:
        paths = {"article, 50 comments, cached": ARTICLE, "front page, cached": "/"}
        return run_edge(app_port, edge_port, paths, args)
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    import argparse

    from bench import run
    from tests.faults import servers

    parser = argparse.ArgumentParser(description="The edge rows alone, on a demo newsroom.")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    ok, reason = varnish.available()
    if not ok or not shutil.which("wrk") or not shutil.which("nginx"):
        sys.exit(reason or "wrk or nginx is missing (apt-get install wrk nginx-light)")
    app_port, edge_port = varnish.free_port(), varnish.free_port()
    folder = Path(tempfile.mkdtemp(prefix="newsroom-edge-bench-"))
    try:
        # A Redis of its own: gunicorn's workers and the task worker must share the page
        # cache, or an invalidation reaches only the process that made it.
        with servers.redis_server(folder) as redis:
            os.environ |= {"DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}"}
            os.environ |= {"REDIS_URL": redis.url, "EMAIL_URL": "locmem://"}
            env = run.server_env(app_port, 2 * (os.cpu_count() or 1) + 1, str(folder / "static"))
            env |= edge_env(edge_port)
            os.environ.update(env)
            demo_site(env)
            rows, lines = serve_and_measure(env, app_port, edge_port, args)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print_rows(rows)
    print("\n" + lines)


if __name__ == "__main__":
    main()
