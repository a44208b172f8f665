"""What the in-process profiles (bench/profile_cold.py, bench/profile_post.py) share: their
command line, a throwaway STATIC_ROOT, and the SQL timer."""

import argparse
import os
import tempfile
import time


def arguments(description: str, **defaults) -> argparse.ArgumentParser:
    """The options every profile takes; a script adds its own to the parser returned."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--requests", type=int, default=defaults.get("requests", 200))
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--dump", help="also write the raw profile here (for pstats)")
    return parser


def with_static_root(run, args) -> None:
    """run(args) with STATIC_ROOT a temporary folder (the profiles collect static files)."""
    with tempfile.TemporaryDirectory(prefix="newsroom-profile-") as static_root:
        os.environ["STATIC_ROOT"] = static_root
        run(args)


class SQLTimer:
    """A connection.execute_wrapper counting queries and the time spent in them."""

    def __init__(self):
        self.seconds, self.queries = 0.0, 0

    def __call__(self, execute, query, params, many, context):
        started = time.perf_counter()
        try:
            return execute(query, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.queries += 1
