"""make serve-edge (tools/serve_edge.py): Varnish in front of gunicorn and the worker, all
three stopped by one Ctrl-C."""

import signal
import subprocess
import sys
from pathlib import Path

from tests.core.serving import get
from tests.core.test_run_with_worker import alive, wait_until
from tests.edge.conftest import require_varnish
from tests.security.server import ROOT, manage, production_env
from tools.varnish import free_port, listening


def children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in found]


def test_serve_edge_caches_the_site_and_one_ctrl_c_stops_everything(tmp_path):
    require_varnish()
    port, app_port = free_port(), free_port()
    env = production_env(tmp_path, PORT=str(port), EDGE_APP_PORT=str(app_port))
    env |= {"WEB_CONCURRENCY": "1", "DJANGO_SECURE_SSL_REDIRECT": "0"}  # as make serve
    for command in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        assert manage(env, *command).returncode == 0
    supervisor = subprocess.Popen(  # noqa: S603 (fixed argv)
        [sys.executable, "tools/serve_edge.py"], cwd=ROOT, env=env, stdout=subprocess.PIPE
    )
    try:
        wait_until(lambda: listening(port) and listening(app_port), "Varnish and gunicorn")
        wait_until(lambda: get(port, "/").status == 200, "the front page through Varnish")
        wait_until(lambda: get(port, "/").getheader("X-Cache") == "HIT", "a cached front page")
        assert "xkey" in get(app_port, "/").headers  # the site was told about its edge
        started = children(supervisor.pid)
        assert len(started) == 3  # gunicorn, the worker, varnishd
        supervisor.send_signal(signal.SIGINT)
        assert supervisor.wait(timeout=60) == 0
        wait_until(lambda: not any(map(alive, started)), "every child to stop")
        assert not listening(port) and not listening(app_port)
    finally:
        if supervisor.poll() is None:
            supervisor.send_signal(signal.SIGINT)  # it stops its children
            try:
                supervisor.wait(timeout=60)
            except subprocess.TimeoutExpired:
                supervisor.kill()  # they get SIGTERM as it dies (tools/varnish.py)
                supervisor.wait()
