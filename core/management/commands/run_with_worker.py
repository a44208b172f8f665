"""runserver with the task worker (db_worker) beside it: `make run` in one command.

The worker is a child process that stops when its stdin reaches end of file. This command
closes that pipe on its way out (Ctrl-C, SIGTERM, runserver exiting by itself), and the
kernel closes it when the command dies any other way (SIGKILL, a lost terminal), so no
worker outlives the server. The worker has its own process group: Ctrl-C reaches it once,
through this command, so a task it is running finishes (within STOP_SECONDS) instead of
being cut by a second signal.
"""

import argparse
import os
import signal
import subprocess
import sys
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV

STOP_SECONDS = 10  # a running task's grace to finish once the worker is told to stop


class Command(BaseCommand):
    help = "runserver with the task worker (db_worker) beside it; Ctrl-C stops both."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--noreload", action="store_false", dest="use_reloader")
        parser.add_argument("--worker-child", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args, addrport: str, use_reloader: bool, worker_child: bool, **options):
        if worker_child:
            return worker_run(verbosity=options["verbosity"])
        if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            # runserver's reloaded child: it serves; its parent owns the one worker.
            return call_command("runserver", addrport, use_reloader=True)
        # SIGTERM unwinds like Ctrl-C, through the finally that stops the worker
        # (runserver's reloader sets the same handler; --noreload would not).
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        worker = worker_start(verbosity=options["verbosity"])
        self.stdout.write(
            f"Task worker started (pid {worker.pid}); Ctrl-C stops it and the server."
        )
        self.stdout.flush()
        try:
            call_command("runserver", addrport, use_reloader=use_reloader)
        finally:
            worker_stop(worker)


def worker_start(*, verbosity: int) -> subprocess.Popen:
    """db_worker in a child whose stdin is a pipe only this process holds."""
    command = [sys.executable, str(settings.BASE_DIR / "manage.py"), "run_with_worker"]
    env = {k: v for k, v in os.environ.items() if k != DJANGO_AUTORELOAD_ENV}
    return subprocess.Popen(  # noqa: S603 (fixed argv, no shell)
        [*command, "--worker-child", f"--verbosity={verbosity}"],
        stdin=subprocess.PIPE,
        env=env,
        start_new_session=True,
    )


def worker_stop(worker: subprocess.Popen) -> None:
    """Close the worker's stdin (its signal to stop) and wait; kill it if it hangs."""
    worker.stdin.close()
    try:
        worker.wait(timeout=STOP_SECONDS + 5)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def worker_run(*, verbosity: int) -> None:
    """The child: db_worker until stdin closes (no reloading: a reloading worker's
    parent would outlive a signal sent to the child)."""
    threading.Thread(target=_stop_at_end_of_stdin, daemon=True).start()
    call_command("db_worker", reload=False, verbosity=verbosity)


def _stop_at_end_of_stdin() -> None:
    sys.stdin.buffer.read()  # returns at end of file: the parent closed it or died
    os.kill(os.getpid(), signal.SIGTERM)  # db_worker's graceful stop: the task finishes
    time.sleep(STOP_SECONDS)
    os._exit(1)  # a task that will not finish must not keep an orphan alive
