"""make serve-edge: Varnish on 127.0.0.1:$PORT in front of `make serve`'s gunicorn.

Starts three children and stops them all on one Ctrl-C (or SIGTERM, or when any of them
exits): gunicorn with the production settings on another loopback port ($EDGE_APP_PORT,
a free one by default), the task worker that sends the edge its purges (core/edgepurge.py),
and varnishd with deploy/varnish/newsroom.vcl. The site is told about its edge:
EDGE_TAG_HEADER=xkey, EDGE_PURGE_URLS=http://127.0.0.1:$PORT/, and one trusted proxy (so
rate limits see the reader's address from Varnish's X-Forwarded-For). Each child has its
own session, so Ctrl-C reaches them once, through this script, in order.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools import varnish  # noqa: E402 (after the path is set)

PY = sys.executable
STOP_SECONDS = 30  # gunicorn's graceful_timeout
WORKER_INTERVAL = "0.1"  # seconds between the worker's looks at an empty queue


def edge_env(port: int, app_port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("EDGE_TAG_HEADER", "xkey")
    env.setdefault("EDGE_PURGE_URLS", f"http://127.0.0.1:{port}/")
    env.setdefault("NEWSROOM_TRUSTED_PROXIES", "1")
    env.setdefault("SITE_URL", f"http://127.0.0.1:{port}")
    env["GUNICORN_BIND"] = f"127.0.0.1:{app_port}"
    return env


def worker_command() -> list[str]:
    """The task worker; a purge waits for its next look at the queue: a tenth of a second,
    not db_worker's default second."""
    return [PY, "manage.py", "db_worker", "--interval", WORKER_INTERVAL, "--no-reload"]


def start_children(env: dict[str, str]) -> dict[str, subprocess.Popen]:
    gunicorn = [str(Path(PY).parent / "gunicorn"), "-c", "newsroom/gunicorn_conf.py"]
    worker = worker_command()
    options = {"cwd": ROOT, "env": env, "start_new_session": True}
    options["preexec_fn"] = varnish.die_with_parent  # killed with this script, if ever
    return {
        "gunicorn": subprocess.Popen(gunicorn, **options),  # noqa: S603, PLW1509
        "worker": subprocess.Popen(worker, **options),  # noqa: S603, PLW1509
    }


def stop_children(children: dict[str, subprocess.Popen]) -> None:
    """SIGTERM: gunicorn finishes its requests, the worker its task (their graceful stops)."""
    for process in children.values():
        process.send_signal(signal.SIGTERM)
    for process in children.values():
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main() -> int:
    ok, reason = varnish.available()
    if not ok:
        print(f"make serve-edge needs Varnish: {reason}", file=sys.stderr)
        return 1
    if not os.environ.get("REDIS_URL"):
        print(
            "Without REDIS_URL each gunicorn worker keeps its own page cache, which the "
            "worker's invalidations do not reach: a change may show at the edge only after "
            "PAGECACHE_TTL. Set REDIS_URL (as in production) for purges to show at once.",
            file=sys.stderr,
        )
    port = int(os.environ.get("PORT", "8000"))
    app_port = int(os.environ.get("EDGE_APP_PORT") or varnish.free_port())
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # unwinds like Ctrl-C
    children = start_children(edge_env(port, app_port))
    try:
        with varnish.varnishd(app_port, port=port, memory="256m") as edge:
            print(
                f"Varnish on http://127.0.0.1:{port}/ in front of gunicorn on port "
                f"{app_port}, with the task worker; Ctrl-C stops all three.",
                flush=True,
            )
            while all(p.poll() is None for p in (*children.values(), edge.process)):
                time.sleep(0.5)
            return 1  # a child stopped by itself: stop the others too
    except KeyboardInterrupt:
        return 0
    finally:
        stop_children(children)


if __name__ == "__main__":
    sys.exit(main())
