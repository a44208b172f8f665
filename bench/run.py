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
import statistics
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
        "COMMENTS_FLOOD_SECONDS": "0",  # every POST comes from 127.0.0.1: relax flood control
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
    return wait_until_up(server, port, "/healthz", "gunicorn")


def wait_until_up(server: subprocess.Popen, port: int, path: str, name: str) -> subprocess.Popen:
    """``server`` once ``path`` on ``port`` answers 200 (at most ~30 s)."""
    for _ in range(300):
        if server.poll() is not None:
            fail(f"{name} exited while starting")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    fail(f"{name} did not become healthy within 30 s")


def pages() -> list[tuple[str, str, dict]]:
    """(label, path, extra headers) for every row of the table, the hello view first."""
    from django.urls import reverse

    from articles.models import Article
    from bench.generate import HOT_SLUG, WARM_SLUG

    hot = Article.objects.select_related("section").get(slug=HOT_SLUG)
    warm = Article.objects.get(slug=WARM_SLUG)
    # Every row asks as a browser does: it takes gzip (the page cache keeps pages compressed;
    # uncached pages are sent as they are). One row asks as curl does, for uncompressed bytes.
    browser = {"Accept-Encoding": "gzip, deflate, br"}
    uncached = {**browser, BYPASS: "1"}
    return [
        ("hello (Django floor)", reverse("bench-hello"), browser),
        ("front page, cached", reverse("articles:front"), browser),
        ("front page, uncached", reverse("articles:front"), uncached),
        ("article, 50 comments, cached", warm.get_absolute_url(), browser),
        ("article, 50 comments, uncached", warm.get_absolute_url(), uncached),
        ("article, 2,000 comments, cached", hot.get_absolute_url(), browser),
        ("article, 2,000 comments (page 1), uncached", hot.get_absolute_url(), uncached),
        ("section page, cached", hot.section.get_absolute_url(), browser),
        ("section page, uncached", hot.section.get_absolute_url(), uncached),
        ("RSS feed, cached", reverse("articles:feed-rss"), browser),
        ("RSS feed, uncached", reverse("articles:feed-rss"), uncached),
        ("article, 2,000 comments, cached, uncompressed", hot.get_absolute_url(), {}),
    ]


# wrk's Lua: who() names a new guest each request (run, thread, counter), so every POST has
# a unique body and email and duplicate detection passes. The xtd peer's POSTs use it too.
WRK_GUEST = """
local counter = 0
local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end
function who()
  counter = counter + 1
  return "%(run)s-" .. id .. "-" .. counter
end
"""
POST_SCRIPT = (
    WRK_GUEST
    + """
function request()
  local who = who()
  local body = "token=%(token)s&name=Bench+Reader&url=&homepage_url=&email=bench-post-" .. who
    .. "%%40example.com&body=A+benchmark+comment+number+" .. who .. "+on+the+council+budget."
  return wrk.format("POST", nil, {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
"""
)


def moderation_on(per_page: int = 50) -> None:
    """Every moderation rule on for the POST row: approval required, held links and words,
    refused words (flood control is relaxed by COMMENTS_FLOOD_SECONDS=0 in server_env)."""
    from django.core.cache import cache

    from comments.models import DiscussionSettings

    conf = DiscussionSettings.objects.filter(pk=1).first() or DiscussionSettings(pk=1)
    conf.require_approval = True
    conf.hold_links = 1
    conf.moderation_words = "casino\nviagra"
    conf.disallowed_words = "kill yourself"
    conf.require_name_email = True
    conf.per_page = per_page
    conf.save()
    cache.delete(DiscussionSettings.CACHE_KEY)


def post_comments(port: int, seconds: int, connections: int) -> tuple[dict, int, int]:
    """wrk POSTs guest comments to the 50-comment article: (wrk figures, accepted, stored)."""
    from articles.models import Article
    from bench.generate import WARM_SLUG
    from comments import tokens
    from comments.models import Comment

    warm = Article.objects.get(slug=WARM_SLUG)
    token = tokens.form_token(warm.pk, issued_at=time.time() - 10)
    before = Comment.objects.count()
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(POST_SCRIPT % {"token": token, "run": secrets.token_hex(4)})
        script.flush()
        found = wrk(port, f"/comments/post/{warm.pk}/", {}, seconds, connections, script.name)
    stored = Comment.objects.count() - before
    # Held for moderation, they would still swell the article's rows run after run.
    Comment.objects.filter(article=warm, email__startswith="bench-post-").delete()
    return found, found["requests"] - found["non2xx"], stored


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
SIZES = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}


def parse_wrk(output: str) -> dict:
    def latency(percent: str) -> float:
        match = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
        return float(match.group(1)) * UNITS[match.group(2)]

    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    total = re.search(r"(\d+) requests in", output)
    transfer = re.search(r"Transfer/sec:\s+([\d.]+)([KMG]?B)", output)
    per_second = float(transfer.group(1)) * SIZES[transfer.group(2)]
    return {
        "kb": per_second
        / max(float(rate.group(1)), 0.001)
        / 1024,  # bytes on the wire per response
        "requests": int(total.group(1)),
        "rps": float(rate.group(1)),
        "p50": latency("50"),
        "p99": latency("99"),
        "non2xx": int(errors.group(1)) if errors else 0,
    }


def wrk(port: int, path: str, headers: dict, seconds: int, connections: int, script=None) -> dict:
    threads = min(2, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    command += ["--timeout", "30s"]  # a slow page is measured, not dropped as a timeout
    if script:
        command += ["-s", script]
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
    drift = (max(hellos) - min(hellos)) / hello
    print()
    print(
        f"wrk -t2 -c{args.connections} (or -t1 -c1) -d{args.seconds}s from loopback; "
        f"{args.workers} gunicorn sync workers; {os.cpu_count()} cores"
    )
    print()
    print("| page | requests/s | ratio to hello | p50 ms | p99 ms | queries | KB | non-2xx |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for label, found, queries in results:
        print(
            f"| {label} | {found['rps']:.0f} | {found['rps'] / hello:.3f} | "
            f"{found['p50']:.2f} | {found['p99']:.2f} | {queries} | {found['kb']:.1f} | "
            f"{found['non2xx']} |"
        )
    sizes = ", ".join(f"{size:.0f}" for size in memory)
    print(f"\nRatios are to the mean hello rate, {hello:.0f} requests/s; hello drift {drift:.0%}.")
    print(f"Memory per worker (RSS, MB): {sizes}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="measured seconds per page")
    parser.add_argument("--warmup", type=int, default=2, help="warm-up seconds per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument(
        "--only", default="", help="measure only rows whose label contains this (and hello)"
    )
    parser.add_argument(
        "--peers",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="compare with django-comments-xtd (bench/peers/xtd) after the table's rows",
    )
    parser.add_argument("--peer-clients", type=int, default=32, help="clients of the peer rows")
    parser.add_argument(
        "--peer-rounds", type=int, default=3, help="turns Newsroom and xtd take in each peer row"
    )
    args = parser.parse_args(argv)
    check_prerequisites()
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as static_root:
        env = server_env(port, args.workers, static_root)
        from bench import edge  # after ROOT is on the path

        edge_port = edge.wanted(args.only)
        if edge_port:  # the site told about its edge, for the rows through Varnish
            env |= edge.edge_env(edge_port)
            os.environ.update(env)
        import django

        django.setup()
        from django.core.cache import cache

        cache.clear()
        server = start_gunicorn(env, port)
        try:
            results = []
            moderation_on()
            rows = pages()
            single = ("article, 50 comments, uncached, 1 client", *rows[4][1:])
            posts = "comment POSTs (all moderation rules on)"
            for label, path, headers in [*rows, single]:
                if label.startswith("hello") or args.only in label:
                    results.append(measure(port, label, path, headers, args))
                if label.startswith("hello") and args.only in posts:
                    # Before the slow rows, whose queued requests would hold the workers.
                    found, accepted, stored = post_comments(port, args.seconds, args.connections)
                    results.append((posts, found, "-"))
                    print(f"comment POSTs: {accepted} accepted, {stored} stored", flush=True)
            whole = ("article, 2,000 comments, whole thread, uncached, 1 client", *rows[6][1:])
            if args.only in whole[0]:
                # The whole thread on one page: top-level comments per page raised meanwhile.
                moderation_on(per_page=10_000)
                results.append(measure(port, *whole, args))
                moderation_on()
            results.append(measure(port, "hello again (drift check)", *rows[0][1:], args))
            if edge_port:
                paths = {rows[3][0]: rows[3][1], rows[1][0]: rows[1][1]}  # 50 comments, front
                edge_rows, edge_lines = edge.run_edge(port, edge_port, paths, args)
                results += edge_rows
            memory = worker_memory_mb(server.pid)
            if args.peers:
                peers = compare_peers(port, env, args, memory)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print_table(results, memory, args)
    if edge_port:
        print(edge_lines)
    if args.peers:
        print_peer_table(*peers, args)  # rows, memory, why WordPress is missing
    if any(label == posts for label, _, _ in results):
        # wrk counts answers received in time; a POST in flight at the end is stored unanswered.
        lost = max(accepted - stored, 0)
        print(f"Comment POSTs: {accepted} accepted (3xx), {stored} stored, {lost} lost.")


# --- The peers (issue 18, the cold build) ---------------------------------------------------
# Newsroom against django-comments-xtd (bench/peers/xtd) on the same article and thread, each
# row measured for Newsroom and then for xtd, so load drift hits both alike. "Cold" rows are
# served by a second Newsroom gunicorn with PAGECACHE_FRAGMENTS=0 and the bypass header: the
# page built from scratch, no page cache and no fragment, as after an approval or a publish.

PEER_TARGETS = {"cold": 3.0, "posts": 2.0}
HOT_TIME_TARGET = 1.5  # the 2,000-comment page's first page within 1.5 x the 50-comment one's time


def start_cold_server(env: dict, workers: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    cold = {**env, "PAGECACHE_FRAGMENTS": "0", "GUNICORN_BIND": f"127.0.0.1:{port}"}
    cold["WEB_CONCURRENCY"] = str(workers)
    return start_gunicorn(cold, port), port


def settle(port: int, path: str) -> None:
    """Wait until ``port`` answers ``path`` within 50 ms and the machine is quiet: requests
    wrk left queued when it stopped are still being served (PHP's built-in server answers
    its login page between queued posts while its other workers and MariaDB still work
    through them), and would eat the next side's CPU (at most about 90 s)."""
    for _ in range(600):
        started = time.monotonic()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as answer:
            answer.read()
        if time.monotonic() - started < 0.05:
            break
        time.sleep(0.1)
    deadline = time.monotonic() + 30
    while busy_share() > QUIET and time.monotonic() < deadline:
        pass


QUIET = 0.15  # the share of the machine's CPU time busy that counts as quiet


def busy_share(seconds: float = 0.25) -> float:
    """The share of all CPUs' time spent busy over ``seconds`` (/proc/stat; 0 elsewhere)."""

    def times() -> tuple[int, int]:
        try:
            with open("/proc/stat") as stat:
                fields = [int(n) for n in stat.readline().split()[1:]]
        except OSError:
            return 0, 0
        return sum(fields), fields[3] + fields[4]  # all, idle + iowait

    total, idle = times()
    time.sleep(seconds)
    total_after, idle_after = times()
    spent = total_after - total
    return 1 - (idle_after - idle) / spent if spent else 0.0


def peer_measure(port: int, path: str, headers: dict, clients: int, args, idle="/healthz") -> dict:
    """One side's figures: a warm-up, then the measured run, each followed by settle().
    After the warm-up too: the requests its closed connections left queued (up to one per
    client) would otherwise be served during the first part of a run of a few seconds, and
    cost a slow page most (at 32 clients, about 0.3 s of the 2,000-comment page's 2 s)."""
    wrk(port, path, headers, args.warmup, clients)
    settle(port, idle)
    found = wrk(port, path, headers, args.seconds, clients)
    settle(port, idle)
    return found


def peer_sides(sides: list, clients: int, args) -> list:
    """Each side's figures for one row (Newsroom first, then the peers): peer_rounds()
    combined. A side is (port, path, headers, idle path) or None (that peer is missing or
    has no such page)."""
    return [combine(runs) if runs else None for runs in peer_rounds(sides, clients, args)]


def peer_rounds(sides: list, clients: int, args, *, pair: bool = False) -> list[list[dict]]:
    """Each side's runs, measured in turn over --peer-rounds rounds of --seconds / rounds
    each: a shared machine's load drifts within seconds, and every side sees the same
    drift. With ``pair``, the first two sides are measured back to back, the first of them
    alternating round by round, so that their ratio can be read round by round
    (paired_share())."""
    rounds = max(args.peer_rounds, 1)
    each = argparse.Namespace(seconds=max(args.seconds // rounds, 1), warmup=args.warmup)
    found = [[] for _ in sides]
    for number in range(rounds):
        order = list(range(len(sides)))
        if pair and number % 2:
            order[0], order[1] = 1, 0
        for index in order:
            if sides[index] is not None:
                port, path, headers, idle = sides[index]
                found[index].append(peer_measure(port, path, headers, clients, each, idle))
    return found


def paired_share(runs: list[dict], base_runs: list[dict]) -> tuple[float, list[float]]:
    """One page's rate over another's measured beside it (peer_rounds(pair=True)): the
    median of the rounds' own ratios, and those ratios. Each side's mean could pair a busy
    moment of one with a quiet one of the other."""
    shares = [run["rps"] / base["rps"] for run, base in zip(runs, base_runs, strict=True)]
    return statistics.median(shares), shares


def combine(runs: list[dict]) -> dict:
    """Rounds of one side as one figure: mean rate, median p50 and p99."""

    def median(key: str) -> float:
        return sorted(run[key] for run in runs)[len(runs) // 2]

    return {
        "rps": sum(run["rps"] for run in runs) / len(runs),
        "p50": median("p50"),
        "p99": median("p99"),
        "requests": sum(run["requests"] for run in runs),
        "non2xx": sum(run["non2xx"] for run in runs),
    }


class Peers:
    """The peers' servers for the run: xtd always, WordPress where it is installed."""

    def __init__(self, args, root: str):
        from bench.generate import WARM_SLUG
        from bench.peers import wordpress_peer, xtd_peer

        self.xtd_port = free_port()
        self.xtd_env = xtd_peer.build(WARM_SLUG, self.xtd_port, args.workers)
        self.xtd = xtd_peer.start(self.xtd_env, self.xtd_port)
        self.wp = None
        self.wp_missing = wordpress_peer.missing()
        if not self.wp_missing:
            self.wp_port = free_port()
            env, self.wp_post = wordpress_peer.build(Path(root), xtd_peer.export_story(WARM_SLUG))
            self.wp = wordpress_peer.start(env, Path(root), self.wp_port, args.workers)

    def story(self, browser: dict, *, cached: bool = False) -> list:
        """[xtd side, WordPress side] of a page row (WordPress has no page cache of its own)."""
        from bench.generate import WARM_SLUG
        from bench.peers import xtd_peer

        path = xtd_peer.story_path(WARM_SLUG, cached=cached)
        xtd = (self.xtd_port, path, browser, "/hello/")
        wp = None
        if self.wp is not None and not cached:
            wp = (self.wp_port, f"/?p={self.wp_post}", browser, "/wp-login.php")
        return [xtd, wp]

    def posts(self, seconds: int, clients: int) -> list:
        """[(xtd figures, stored), (WordPress figures, stored) or None]."""
        from bench.generate import WARM_SLUG
        from bench.peers import wordpress_peer, xtd_peer

        found = []
        scripts = [xtd_peer.post_script(self.xtd_port, WARM_SLUG)]
        ports = [self.xtd_port]
        if self.wp is not None:
            scripts.append(wordpress_peer.post_script(self.wp_post))
            ports.append(self.wp_port)
        for port, text in zip(ports, scripts, strict=True):
            with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
                script.write(text)
                script.flush()
                found.append(wrk(port, "/", {}, seconds, clients, script.name))
        stored = [xtd_peer.count_posted(self.xtd_env, WARM_SLUG)]
        if self.wp is not None:
            stored.append(wordpress_peer.count_posted())
        return [*zip(found, stored, strict=True), *([None] * (2 - len(found)))]

    def memory(self) -> dict:
        from bench.peers import wordpress_peer

        sizes = {"django-comments-xtd": worker_memory_mb(self.xtd.pid)}
        if self.wp is not None:
            sizes["WordPress (PHP workers)"] = wordpress_peer.worker_memory_mb(self.wp)
        return sizes

    def stop(self) -> None:
        from bench.peers import wordpress_peer

        self.xtd.terminate()
        self.xtd.wait(timeout=30)
        if self.wp is not None:
            wordpress_peer.stop(self.wp)


def compare_peers(port: int, env: dict, args, memory: list[float]):
    """Rows of (label, [Newsroom's, xtd's, WordPress's figures]) (a missing side is None)
    and the memory per worker of each server. The 2,000-comment rows have no peer side:
    their target is Newsroom's own 50-comment page (within 1.5 times its time)."""
    from articles.models import Article
    from bench.generate import HOT_SLUG, WARM_SLUG

    warm = Article.objects.get(slug=WARM_SLUG).get_absolute_url()
    hot = Article.objects.get(slug=HOT_SLUG).get_absolute_url()
    browser = {"Accept-Encoding": "gzip, deflate, br"}
    cold_headers = {**browser, BYPASS: "1"}
    rows = []
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-wordpress-") as root:
        peers = Peers(args, root)
        cold, cold_port = start_cold_server(env, args.workers)
        try:
            many = args.peer_clients
            for clients in (1, many):
                who = f"{clients} client{'s' * (clients > 1)}"
                label = f"article, 50 comments, cold, {who}"
                ours = (cold_port, warm, cold_headers, "/healthz")
                hot_side = (cold_port, hot, cold_headers, "/healthz")
                # The 2,000-comment page takes its turn in the same rounds, right beside the
                # 50-comment page: its ratio to it is read round by round (paired_share).
                sides = [ours, hot_side, *peers.story(browser)]
                ours_runs, hot_runs, *peer_runs = peer_rounds(sides, clients, args, pair=True)
                found = [combine(runs) if runs else None for runs in (ours_runs, *peer_runs)]
                hot_page = combine(hot_runs)
                hot_page["share"], hot_page["shares"] = paired_share(hot_runs, ours_runs)
                rows.append((label, found))
                print(f"{label}: {', '.join(side_rps(side) for side in found)}", flush=True)
                label = f"article, 2,000 comments, thread page 1, cold, {who}"
                rows.append((label, [hot_page, None, None]))
            label = f"article, 50 comments, cached, {many} clients"
            ours = (port, warm, browser, "/healthz")
            rows.append((label, peer_sides([ours, *peers.story(browser, cached=True)], many, args)))
            found, accepted, stored = post_comments(port, args.seconds, many)
            theirs = peers.posts(args.seconds, many)
            label = f"comment POSTs, all moderation rules on, {many} clients"
            rows.append((label, [found] + [side and side[0] for side in theirs]))
            kept = ", ".join(str(side[1]) if side else "-" for side in theirs)
            print(f"{label}: stored {stored} (Newsroom), {kept} (xtd, WordPress)", flush=True)
            sizes = {
                "Newsroom": memory,
                "Newsroom, cold (no fragments)": worker_memory_mb(cold.pid),
                **peers.memory(),
            }
        finally:
            cold.terminate()
            cold.wait(timeout=30)
            peers.stop()
    return rows, sizes, peers.wp_missing


def side_rps(side: dict | None) -> str:
    return "-" if side is None else f"{side['rps']:.0f}"


def print_peer_table(rows: list, sizes: dict, wp_missing: str, args) -> None:
    print()
    print(
        f"Newsroom against django-comments-xtd 2.10.13 (Django 6.1) and WordPress (Debian's, "
        f"PHP's server): same article and thread, {args.workers} workers each, "
        f"{time.strftime('%Y-%m-%d %H:%M %Z')}"
    )
    print()
    print(
        "| row | Newsroom rps (p50 / p99 ms) | xtd rps (p50 / p99) | WordPress rps (p50 / p99) "
        "| Newsroom / xtd | Newsroom / WordPress | target |"
    )
    print("|---|---:|---:|---:|---:|---:|---|")
    cold = {}
    notes = []
    for label, (ours, xtd, wp) in rows:
        clients = label.rsplit(", ", 1)[1]
        cells = [label, *(figure(side) for side in (ours, xtd, wp))]
        if xtd is None:
            share = ours.get("share", ours["rps"] / cold[clients])
            cells += [f"{share:.3f} × the 50-comment page", "–"]
            if "shares" in ours:
                rounds = ", ".join(f"{each:.3f}" for each in ours["shares"])
                notes.append(f"{label}: median of the rounds' {rounds}")
            verdict = met(share * HOT_TIME_TARGET)
            target = f"≥ {1 / HOT_TIME_TARGET:.3f} × the 50-comment page, {verdict}"
        else:
            cells += [ratio(ours, xtd), ratio(ours, wp)]
            target = "–"
            kind = "cold" if ", cold," in label else "posts" if "POST" in label else None
            if kind == "cold":
                cold[clients] = ours["rps"]
            if kind and xtd["rps"]:
                times = ours["rps"] / xtd["rps"] / PEER_TARGETS[kind]
                target = f"≥ {PEER_TARGETS[kind]:.0f} × xtd, {met(times)}"
        print("| " + " | ".join([*cells, target]) + " |")
    print()
    for line in notes:
        print(line)
    for name, found in sizes.items():
        print(f"Memory per worker, {name} (RSS, MB): {', '.join(f'{mb:.0f}' for mb in found)}")
    if wp_missing:
        print(f"WordPress peer: missing ({wp_missing}).")


def met(share: float) -> str:
    """Whether a figure reached its target: ``share`` is the figure over the target."""
    return "met" if share >= 1 else "missed"


def figure(side: dict | None) -> str:
    if side is None:
        return "–"
    return f"{side['rps']:.0f} ({side['p50']:.1f} / {side['p99']:.1f})"


def ratio(ours: dict, theirs: dict | None) -> str:
    """Newsroom's rate over the peer's ("–" without a peer figure, or when it answered none)."""
    return "–" if theirs is None or not theirs["rps"] else f"{ours['rps'] / theirs['rps']:.2f}"


def measure(port: int, label: str, path: str, headers: dict, args) -> tuple[str, dict, int]:
    clients = 1 if label.endswith("1 client") else args.connections
    wrk(port, path, headers, args.warmup, clients)
    found = wrk(port, path, headers, args.seconds, clients)
    print(f"{label}: {found['rps']:.0f} requests/s", flush=True)
    return label, found, queries_for(path, headers)


if __name__ == "__main__":
    main()
