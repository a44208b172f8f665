"""manage.py run_with_worker (make run): the task worker runs beside runserver, stops with it.

Real processes on a migrated SQLite file: the command, its runserver, its db_worker child.
"""

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.mailbox import free_port

ROOT = Path(__file__).resolve().parents[2]
WAIT = 30  # seconds: the longest any step may take
ENQUEUE = (
    "from articles.tasks import article_went_live; "
    "print(article_went_live.enqueue(0, '2020-01-01T00:00:00+00:00').id)"
)


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("run_with_worker")
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "MEDIA_ROOT": str(folder / "media"),
        "EMAIL_URL": "locmem://",
        "PYTHONUNBUFFERED": "1",
    }
    manage(env, "migrate", "--noinput", "-v0")
    return env


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def wait_until(check, what: str):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(0.1)
    raise AssertionError(f"not within {WAIT} s: {what}")


def alive(pid: int) -> bool:
    """Running or sleeping; a zombie has exited (it only waits to be reaped)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in {"Z", "X"}


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


class Run:
    def __init__(self, process: subprocess.Popen, log: Path, port: int):
        self.process, self.log, self.port = process, log, port

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def worker_pid(self) -> int:
        found = wait_until(
            lambda: re.search(r"Task worker started \(pid (\d+)\)", self.output()),
            "the command announces its worker",
        )
        return int(found.group(1))

    def exited(self) -> int:
        try:
            return self.process.wait(timeout=WAIT)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"run_with_worker still running after {WAIT} s") from None


@contextmanager
def run_with_worker(env, tmp_path, *extra: str, port: int | None = None) -> Iterator[Run]:
    """The command in its own process group, as a terminal runs `make run`."""
    port = port or free_port()
    log = tmp_path / "output.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "run_with_worker", f"127.0.0.1:{port}", *extra],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    run = Run(process, log, port)
    try:
        yield run
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        for pid in re.findall(r"Task worker started \(pid (\d+)\)", run.output()):
            if alive(int(pid)):
                os.kill(int(pid), signal.SIGKILL)  # never leave one behind, even on failure


def task_status(env, task_id: str) -> str | None:
    database = env["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(database) as db:
        row = db.execute(
            "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = ?",
            (task_id.replace("-", ""),),
        ).fetchone()
    return row[0] if row else None


def test_the_worker_runs_tasks_beside_the_server_and_sigterm_stops_both(env, tmp_path):
    with run_with_worker(env, tmp_path) as run:
        worker = run.worker_pid()
        wait_until(lambda: listening(run.port), "runserver listens")
        task_id = manage(env, "shell", "-v0", "-c", ENQUEUE).strip()
        wait_until(lambda: task_status(env, task_id) == "SUCCESSFUL", "the worker runs the task")
        assert alive(worker)

        run.process.send_signal(signal.SIGTERM)
        assert run.exited() == 0
        assert not alive(worker), run.output()
        assert not listening(run.port)  # runserver's reloaded child went too


def test_ctrl_c_stops_the_server_and_the_worker(env, tmp_path):
    with run_with_worker(env, tmp_path) as run:
        worker = run.worker_pid()
        wait_until(lambda: listening(run.port), "runserver listens")
        wait_until(lambda: "Starting worker" in run.output(), "db_worker starts")
        os.killpg(run.process.pid, signal.SIGINT)  # what the terminal does on Ctrl-C
        run.exited()
        wait_until(lambda: not alive(worker), "the worker stops")
        assert not listening(run.port)


def test_the_worker_stops_when_the_command_is_killed(env, tmp_path):
    with run_with_worker(env, tmp_path, "--noreload") as run:
        worker = run.worker_pid()
        wait_until(lambda: "Starting worker" in run.output(), "db_worker starts")
        run.process.kill()  # SIGKILL: no cleanup code runs in the command
        run.process.wait()
        wait_until(lambda: not alive(worker), "the orphaned worker stops by itself")


def test_the_worker_stops_when_runserver_exits_by_itself(env, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with run_with_worker(env, tmp_path, port=taken.getsockname()[1]) as run:
            worker = run.worker_pid()
            assert run.exited() != 0  # the port is in use: runserver gives up
            assert "already in use" in run.output()
            wait_until(lambda: not alive(worker), "the worker stops")
