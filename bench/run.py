"""Benchmark runner: gunicorn with production settings on PostgreSQL + Redis, loaded by wrk.

    DATABASE_URL=postgres://... REDIS_URL=redis://... .venv/bin/python bench/run.py

Generate data first (bench/generate.py). Prints one table: requests/s, p50 and p99 per page,
each page's requests/s as a ratio to the constant "hello" view served by the same gunicorn,
queries per page, and memory per worker. Everything listens on 127.0.0.1. Never run in CI.
"""

import argparse
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BYPASS = "X-Bench-Bypass-Page-Cache"


def fail(message: str) -> None:
    sys.exit(f"bench: {message}")


def check_prerequisites() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        fail("set DATABASE_URL to a PostgreSQL database filled by bench/generate.py")
    if not os.environ.get("REDIS_URL", "").startswith("redis://"):
        fail(
            "set REDIS_URL to a Redis database the benchmark may clear (e.g. redis://127.0.0.1:6379/9)"
        )
    if shutil.which("wrk") is None:
        fail("wrk is missing: install Debian's package with 'apt-get install wrk' and run again")


def server_env(port: int, workers: int, static_root: str) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DJANGO_DEBUG": "0",
        # A throwaway key for this run on loopback: nothing signed with it outlives the run.
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver",
        "NEWSROOM_BENCH": "1",
        "STATIC_ROOT": static_root,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers),
        "GUNICORN_MAX_REQUESTS": "0",
        "LOG_LEVEL": "ERROR",
    }
    os.environ.update(env)  # the in-process Django (URLs, query counts) sees the same settings
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict, port: int) -> subprocess.Popen:
    python = Path(sys.executable)
    subprocess.run(  # noqa: S603 (fixed argv, no shell)
        [str(python), "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    server = subprocess.Popen(  # noqa: S603 (fixed argv, no shell)
        [str(python.with_name("gunicorn")), "-c", "newsroom/gunicorn_conf.py"], cwd=ROOT, env=env
    )
    for _ in range(300):  # at most ~30 s
        if server.poll() is not None:
            fail("gunicorn exited while starting")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    fail("gunicorn did not become healthy within 30 s")


def pages() -> list[tuple[str, str, dict]]:
    """(label, path, extra headers) for every row of the table, the hello view first."""
    from django.urls import NoReverseMatch, reverse

    from articles.models import Article

    hot = Article.objects.select_related("section").get(slug="bench-hot")
    rows = [
        ("hello (Django floor)", reverse("bench-hello"), {}),
        ("front page, cached", reverse("articles:front"), {}),
        ("front page, uncached", reverse("articles:front"), {BYPASS: "1"}),
        ("article, cached", hot.get_absolute_url(), {}),
        ("article, uncached", hot.get_absolute_url(), {BYPASS: "1"}),
        ("section page, cached", hot.section.get_absolute_url(), {}),
        ("section page, uncached", hot.section.get_absolute_url(), {BYPASS: "1"}),
    ]
    try:
        rows.append(("RSS feed, cached", reverse("articles:feed"), {}))
    except NoReverseMatch:
        print("No articles:feed URL yet: the RSS row is left out.")
    return rows


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def parse_wrk(output: str) -> dict:
    def latency(percent: str) -> float:
        match = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
        return float(match.group(1)) * UNITS[match.group(2)]

    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(rate.group(1)),
        "p50": latency("50"),
        "p99": latency("99"),
        "non2xx": int(errors.group(1)) if errors else 0,
    }


def wrk(port: int, path: str, headers: dict, seconds: int, connections: int) -> dict:
    threads = min(2, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://127.0.0.1:{port}{path}")
    # argv list, no shell; the paths come from Django's own URL reversing.
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)  # noqa: S603
    return parse_wrk(result.stdout)


def queries_for(path: str, headers: dict) -> int:
    """Database queries one request costs, measured in-process against the same database."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.get(path, headers=headers)  # warm: the cached rows count a cache hit, not the build
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, headers=headers)
    if response.status_code != 200:
        fail(f"{path} answered {response.status_code} in-process")
    return len(captured)


def worker_memory_mb(master_pid: int) -> list[float]:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024)
    return sizes


def print_table(results: list[tuple[str, dict, int]], memory: list[float], args) -> None:
    """Ratios are to the mean of the hello runs at the start and at the end of the run,
    which also shows how much the machine's load drifted meanwhile."""
    hellos = [found["rps"] for label, found, _ in results if label.startswith("hello")]
    hello = sum(hellos) / len(hellos)
    print()
    print(
        f"wrk -t2 -c{args.connections} (or -t1 -c1) -d{args.seconds}s from loopback; "
        f"{args.workers} gunicorn sync workers; {os.cpu_count()} cores"
    )
    print()
    print("| page | requests/s | ratio to hello | p50 ms | p99 ms | queries | non-2xx |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, found, queries in results:
        print(
            f"| {label} | {found['rps']:.0f} | {found['rps'] / hello:.3f} | "
            f"{found['p50']:.2f} | {found['p99']:.2f} | {queries} | {found['non2xx']} |"
        )
    sizes = ", ".join(f"{size:.0f}" for size in memory)
    print(f"\nRatios are to the mean hello rate, {hello:.0f} requests/s.")
    print(f"Memory per worker (RSS, MB): {sizes}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="measured seconds per page")
    parser.add_argument("--warmup", type=int, default=2, help="warm-up seconds per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    args = parser.parse_args(argv)
    check_prerequisites()
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as static_root:
        env = server_env(port, args.workers, static_root)
        import django

        django.setup()
        from django.core.cache import cache

        cache.clear()
        server = start_gunicorn(env, port)
        try:
            results = []
            rows = pages()
            single = ("article, uncached, 1 client", *rows[4][1:])
            again = ("hello again (drift check)", *rows[0][1:])
            for label, path, headers in [*rows, single, again]:
                clients = 1 if label.endswith("1 client") else args.connections
                wrk(port, path, headers, args.warmup, clients)
                found = wrk(port, path, headers, args.seconds, clients)
                results.append((label, found, queries_for(path, headers)))
                print(f"{label}: {found['rps']:.0f} requests/s", flush=True)
            memory = worker_memory_mb(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print_table(results, memory, args)


if __name__ == "__main__":
    main()
