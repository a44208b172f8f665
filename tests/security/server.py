"""Run the site as production does (gunicorn, DEBUG off) in a subprocess on 127.0.0.1."""

import http.client
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

from tests.mailbox import free_port

ROOT = Path(__file__).resolve().parents[2]
STARTUP_ATTEMPTS = 150  # x 0.1 s: the longest we wait for gunicorn to listen
HOST = "127.0.0.1"


def production_env(folder: Path, **overrides: str) -> dict[str, str]:
    """The environment of a production deploy, with its files under folder."""
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": f"{HOST},localhost",
        "EMAIL_URL": "smtp://127.0.0.1:2525",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "STATIC_ROOT": str(folder / "static"),
        "MEDIA_ROOT": str(folder / "media"),
    }
    return env | overrides


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@contextmanager
def gunicorn(env: dict[str, str], *, workers: int = 1, extra: tuple = ()) -> Iterator[int]:
    """Serve newsroom.wsgi with gunicorn on a free loopback port; yield the port."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "newsroom.wsgi", "--workers", str(workers)]
    command += list(extra)
    command += ["--bind", f"{HOST}:{port}", "--timeout", "30", "--log-level", "warning"]
    # The log goes to a file, not a pipe: a pipe nobody reads fills up under a burst of
    # errors (a database outage) and blocks every worker on its next log line.
    output = tempfile.TemporaryFile()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        for _ in range(STARTUP_ATTEMPTS):
            if process.poll() is not None:
                output.seek(0)
                raise RuntimeError(f"gunicorn exited: {output.read().decode()}")
            with socket.socket() as sock:
                if sock.connect_ex((HOST, port)) == 0:
                    break
            time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not start listening")
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        output.close()


def request(port: int, method: str, path: str, body=None, headers=None, host=HOST) -> tuple:
    """One HTTP request; return (status, headers as HTTPMessage, body bytes)."""
    connection = http.client.HTTPConnection(host, port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def post_form(port: int, path: str, fields: dict[str, str], *, csrf_cookie: str) -> tuple:
    """POST a form over HTTPS (as the proxy reports it) with a CSRF cookie and Origin."""
    headers = {
        "X-Forwarded-Proto": "https",
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={csrf_cookie}",
        "Origin": f"https://{HOST}:{port}",
    }
    return request(port, "POST", path, body=urlencode(fields), headers=headers)
