"""Start Debian's varnishd with the project's VCL in front of a loopback backend.

Used by `make serve-edge` (tools/serve_edge.py), the edge tests (tests/edge/) and the
benchmark (bench/run.py): each gets its own work folder (-n), a free loopback port, no
management port, varnishd in the foreground as a child that the caller stops.
"""

import ctypes
import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VCL = ROOT / "deploy" / "varnish" / "newsroom.vcl"
SHIPPED_PORT = '"8001"'  # the backends' port in the shipped VCL, rewritten per run
HEALTHY_GRACE = "set req.grace = 10s;"
WAIT_ATTEMPTS = 300  # x 0.05 s: the longest we wait for varnishd to listen or stop
PR_SET_PDEATHSIG = 1


def varnishd_path() -> str | None:
    return shutil.which("varnishd") or next(
        (path for path in ("/usr/sbin/varnishd",) if os.access(path, os.X_OK)), None
    )


def available() -> tuple[bool, str]:
    """Whether varnishd and the xkey vmod are installed here, and if not, why."""
    if varnishd_path() is None:
        return False, "varnishd is not installed (Debian: apt-get install varnish)"
    if not glob.glob("/usr/lib/*/varnish/vmods/libvmod_xkey.so") + glob.glob(
        "/usr/lib/varnish/vmods/libvmod_xkey.so"
    ):
        return False, "the xkey vmod is missing (Debian: apt-get install varnish-modules)"
    return True, ""


def die_with_parent() -> None:
    """For ``preexec_fn``: the child is sent SIGTERM when its parent dies (Linux), so a
    killed supervisor, benchmark or test leaves no varnishd or gunicorn behind."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass  # not Linux: the caller's finally still stops it


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def vcl_for(backend_port: int, *, healthy_grace: str | None = None) -> str:
    """The shipped VCL pointed at ``backend_port``; ``healthy_grace`` (e.g. "0s") replaces
    the grace an expired object gets while the app answers (tests of grace mode)."""
    text = VCL.read_text()
    assert SHIPPED_PORT in text and HEALTHY_GRACE in text, "deploy/varnish/newsroom.vcl changed"
    text = text.replace(SHIPPED_PORT, f'"{backend_port}"')
    if healthy_grace is not None:
        text = text.replace(HEALTHY_GRACE, f"set req.grace = {healthy_grace};")
    return text


@dataclass
class Varnish:
    port: int
    process: subprocess.Popen

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@contextmanager
def varnishd(
    backend_port: int,
    *,
    port: int | None = None,
    memory: str = "256m",
    parameters: tuple[str, ...] = (),
    **vcl_options,
) -> Iterator[Varnish]:
    """varnishd -F on 127.0.0.1:``port`` (a free one by default) in front of
    127.0.0.1:``backend_port``, with ``parameters`` as its -p options ("name=value");
    stopped on the way out whatever happened."""
    folder = Path(tempfile.mkdtemp(prefix="newsroom-varnish-"))
    # varnishd drops to its own user, which reads the VCL here
    os.chmod(folder, 0o755)  # noqa: S103 (a VCL, nothing secret)
    vcl = folder / "newsroom.vcl"
    vcl.write_text(vcl_for(backend_port, **vcl_options))
    os.chmod(vcl, 0o644)
    port = port or free_port()
    command = [varnishd_path(), "-F", "-n", str(folder / "work"), "-a", f"127.0.0.1:{port}"]
    command += ["-T", "none", "-f", str(vcl), "-s", f"malloc,{memory}"]
    for parameter in parameters:
        command += ["-p", parameter]
    process = subprocess.Popen(  # noqa: S603 (fixed argv)
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=die_with_parent,  # noqa: PLW1509 (only prctl, before exec)
    )
    try:
        for _ in range(WAIT_ATTEMPTS):
            if listening(port):
                break
            if process.poll() is not None:
                raise RuntimeError(f"varnishd exited: {process.stderr.read().decode()}")
            time.sleep(0.05)
        else:
            raise RuntimeError(f"varnishd did not listen on port {port}")
        yield Varnish(port=port, process=process)
    finally:
        stop(process)
        shutil.rmtree(folder, ignore_errors=True)


def stop(process: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL if varnishd has not stopped within 10 seconds."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
