"""The WordPress peer of `make bench`, where Debian's `wordpress`, `php` and MariaDB are here.

WordPress is served from a throwaway copy of /usr/share/wordpress with
bench/peers/wordpress/wp-config.php (its own MariaDB database, WP_BENCH_DB, default
wp_bench, reached as root over the local socket; /etc/wordpress is not touched), by PHP's
built-in server with as many worker processes as gunicorn has (PHP_CLI_SERVER_WORKERS) and
OPcache on. It gets the same article and thread as the xtd peer (xtd_peer.export_story),
threaded four levels deep on one page, with every moderation rule WordPress has on.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent / "wordpress"
WORDPRESS = Path("/usr/share/wordpress")


def missing() -> str:
    """Why the WordPress peer cannot run here, or "" when it can."""
    if not (WORDPRESS / "wp-settings.php").exists():
        return "Debian's wordpress is not installed (apt-get install wordpress)"
    for tool in ("php", "mariadb"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    found = subprocess.run(  # noqa: S603
        ["mariadb", "-u", "root", "-e", "SELECT 1"],  # noqa: S607
        capture_output=True,
        timeout=30,
        check=False,
    )
    return "" if found.returncode == 0 else "MariaDB does not answer root on its local socket"


def database() -> str:
    """The MariaDB database's name: letters, digits and underscores only (it is spelled
    into the statements below)."""
    name = os.environ.get("WP_BENCH_DB", "wp_bench")
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        sys.exit(f"bench: WP_BENCH_DB must be letters, digits and underscores, not {name!r}")
    return name


def sql(statement: str, *, in_database: bool = True) -> str:
    """``statement``'s output, run by MariaDB's client (in the peer's database)."""
    where = ["-D", database()] if in_database else []
    found = subprocess.run(  # noqa: S603
        ["mariadb", "-u", "root", "-N", *where, "-e", statement],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return found.stdout


def build(root: Path, story: dict) -> tuple[dict, int]:
    """The document root under ``root``, the database and the story: (env, post id)."""
    # A copy, not links: PHP resolves __FILE__ through links, and wp-load.php would find
    # Debian's wp-config.php (which reads /etc/wordpress) beside the real file.
    shutil.copytree(WORDPRESS, root, symlinks=True, dirs_exist_ok=True)
    shutil.copy(HERE / "wp-config.php", root / "wp-config.php")
    sql(f"CREATE DATABASE IF NOT EXISTS `{database()}` CHARACTER SET utf8mb4", in_database=False)
    env = {**os.environ, "WP_BENCH_DB": database(), "WP_BENCH_MU": str(HERE / "mu-plugins")}
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as dump:
        json.dump(story, dump)
        dump.flush()
        seeded = subprocess.run(  # noqa: S603
            ["php", str(HERE / "seed.php"), str(root), dump.name],  # noqa: S607
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=True,
        )
    return env, int(seeded.stdout.split()[-1])


def start(env: dict, root: Path, port: int, workers: int) -> subprocess.Popen:
    from bench.run import wait_until_up

    server = subprocess.Popen(  # noqa: S603
        [  # noqa: S607
            "php",
            "-d",
            "opcache.enable_cli=1",
            "-d",
            "opcache.validate_timestamps=0",
            "-S",
            f"127.0.0.1:{port}",
            "-t",
            str(root),
        ],
        env={**env, "PHP_CLI_SERVER_WORKERS": str(workers)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: stop() ends the workers too
    )
    return wait_until_up(server, port, "/wp-login.php", "the WordPress peer")


def stop(server: subprocess.Popen) -> None:
    """End the server and the workers it forked (they outlive a terminated parent)."""
    try:
        os.killpg(server.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    server.wait(timeout=30)


def worker_memory_mb(server: subprocess.Popen) -> list[float]:
    """RSS of the PHP worker processes (the parent's children)."""
    from bench.run import worker_memory_mb as of_children

    return of_children(server.pid)


POST_REQUEST = """
function request()
  local who = who()
  local body = "comment_post_ID=POST_ID&comment_parent=0&author=Bench+Reader&url=&email=bench-post-"
    .. who .. "%40example.com&comment=A+benchmark+comment+number+" .. who
    .. "+on+the+council+budget.&submit=Post+Comment"
  return wrk.format("POST", "/wp-comments-post.php",
    {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
"""


def post_script(post: int) -> str:
    from bench.run import WRK_GUEST

    return WRK_GUEST % {"run": os.urandom(4).hex()} + POST_REQUEST.replace("POST_ID", str(post))


COUNT_POSTED = "SELECT COUNT(*) FROM wp_comments WHERE comment_author_email LIKE 'bench-post-%'"
DELETE_POSTED = (
    "DELETE m FROM wp_commentmeta m JOIN wp_comments c ON m.comment_id = c.comment_ID"
    " WHERE c.comment_author_email LIKE 'bench-post-%';"
    " DELETE FROM wp_comments WHERE comment_author_email LIKE 'bench-post-%'"
)


def count_posted() -> int:
    """Comments the POSTs stored (held), deleted again so runs do not add up."""
    stored = int(sql(COUNT_POSTED).split()[0])
    sql(DELETE_POSTED)
    return stored
