"""Start the production stack (migrate, collectstatic, gunicorn) on a loopback port for tests."""

import contextlib
import http.client
from pathlib import Path

import pytest

from tests.security.server import gunicorn, manage, production_env


def get(port: int, path: str, headers=None) -> http.client.HTTPResponse:
    """One GET to 127.0.0.1:port; the response with its body read into ``.body``."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


@contextlib.contextmanager
def running_gunicorn(folder: Path, *, setup=(), **env_overrides: str):
    """gunicorn -c newsroom/gunicorn_conf.py with DEBUG off, one worker; yields its port.

    Defaults to SQLite in ``folder``; ``setup`` lists extra manage.py commands to run first.
    Started by tests/security/server.py's gunicorn(), with the production config file.
    """
    env = production_env(folder, **env_overrides)
    for command in (["migrate", "-v0"], *setup, ["collectstatic", "--noinput", "-v0"]):
        done = manage(env, *command)
        if done.returncode:
            pytest.fail(f"manage.py {' '.join(command)} failed: {done.stderr}")
    with gunicorn(env, extra=("-c", "newsroom/gunicorn_conf.py")) as port:
        yield port
