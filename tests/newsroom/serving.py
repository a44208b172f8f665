"""Start the production stack (migrate, collectstatic, gunicorn) on a loopback port for tests."""

import contextlib
import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str, headers=None) -> http.client.HTTPResponse:
    """One GET to 127.0.0.1:port; the response with its body read into ``.body``."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def wait_until_up(port: int, server: subprocess.Popen) -> None:
    for _ in range(200):  # at most ~20 s
        if server.poll() is not None:
            pytest.fail(f"gunicorn exited: {server.stderr.read()}")
        try:
            get(port, "/healthz")
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail("gunicorn did not answer within 20 s")


@contextlib.contextmanager
def running_gunicorn(folder: Path, *, setup=(), **env_overrides: str):
    """gunicorn -c newsroom/gunicorn_conf.py with DEBUG off, one worker; yields its port.

    Defaults to SQLite in ``folder``; ``setup`` lists extra manage.py commands to run first.
    """
    port = free_port()
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "test-only-" + "x" * 50,
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "STATIC_ROOT": str(folder / "static"),
        "MEDIA_ROOT": str(folder / "media"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        **env_overrides,
    }
    run = {"cwd": ROOT, "env": env, "capture_output": True, "text": True, "timeout": 300}
    for command in (["migrate", "-v0"], *setup, ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *command], check=True, **run)
    server = subprocess.Popen(
        [str(GUNICORN), "-c", "newsroom/gunicorn_conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_up(port, server)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)
