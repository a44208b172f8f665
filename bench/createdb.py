"""Create the benchmark's PostgreSQL database named by DATABASE_URL if it does not exist yet.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench \\
        .venv/bin/python bench/createdb.py
"""

import os
import sys
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql


def main() -> None:
    create_database(os.environ["DATABASE_URL"])


def create_database(url: str) -> None:
    """Create the PostgreSQL database named by ``url`` unless it exists."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        sys.exit(f"bench/createdb.py: DATABASE_URL must be postgres://..., not {parts.scheme}://")
    name = parts.path.lstrip("/")
    server = urlunsplit(("postgresql", parts.netloc, "/postgres", parts.query, ""))
    with psycopg.connect(server, autocommit=True) as db:
        if db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return
        db.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print(f"created database {name}")


if __name__ == "__main__":
    main()
