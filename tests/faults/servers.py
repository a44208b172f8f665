"""Throwaway PostgreSQL and Redis servers: a temporary data folder, a free loopback port.

Fault tests stop and start these, never the machine's shared servers. Every wait is
bounded; the context managers stop the servers on the way out whatever happened.
"""

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.mailbox import free_port

HOST = "127.0.0.1"
WAIT_ATTEMPTS = 200  # x 0.05 s: the longest we wait for a server to listen or to stop


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def available() -> tuple[bool, str]:
    """Whether the throwaway servers can be started here, and if not, why."""
    if not shutil.which("redis-server"):
        return False, "redis-server is not installed (Debian: apt-get install redis-server)"
    if _pg_bin() is None:
        return False, "PostgreSQL server binaries are missing (Debian: apt-get install postgresql)"
    return True, ""


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex((HOST, port)) == 0


def _wait(condition, what: str) -> None:
    for _ in range(WAIT_ATTEMPTS):
        if condition():
            return
        time.sleep(0.05)
    raise RuntimeError(f"timed out waiting for {what}")


@dataclass
class Redis:
    folder: Path
    port: int
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/0"

    def start(self) -> None:
        command = ["redis-server", "--bind", HOST, "--port", str(self.port), "--save", ""]
        command += ["--appendonly", "no", "--dir", str(self.folder), "--protected-mode", "yes"]
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        _wait(lambda: _listening(self.port), f"redis-server on port {self.port}")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None
        _wait(lambda: not _listening(self.port), "redis-server to stop")


@contextmanager
def redis_server(folder: Path) -> Iterator[Redis]:
    server = Redis(folder=folder, port=free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@dataclass
class Postgres:
    folder: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgres://postgres@{HOST}:{self.port}/postgres"

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        # PostgreSQL refuses to run as root: drop to the postgres user when we are root.
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        command = [*prefix, str(_pg_bin() / args[0]), *args[1:]]
        return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)

    def init(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        data = str(self.folder / "data")
        result = self._run("initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8")
        assert result.returncode == 0, result.stderr

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses={HOST} -c fsync=off"
        log = str(self.folder / "server.log")
        result = self._run(
            "pg_ctl", "-D", str(self.folder / "data"), "-o", options, "-l", log, "-w", "start"
        )
        assert result.returncode == 0, result.stderr + result.stdout
        _wait(lambda: _listening(self.port), f"PostgreSQL on port {self.port}")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", mode, "-w", "stop")
        _wait(lambda: not _listening(self.port), "PostgreSQL to stop")


@contextmanager
def postgres_server() -> Iterator[Postgres]:
    """A fresh cluster in its own folder under the system temp dir (pytest's tmp_path is
    private to root, and the server may run as the postgres user); removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="newsroom-faults-pg-"))
    server = Postgres(folder=folder, port=free_port())
    try:
        server.init()
        server.start()
        yield server
    finally:
        server.stop("immediate")
        shutil.rmtree(folder, ignore_errors=True)
