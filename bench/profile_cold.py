"""Profile one page built from scratch (no page cache, no fragments) in-process:

    DATABASE_URL=postgres://... REDIS_URL=redis://... .venv/bin/python bench/profile_cold.py \\
        [--slug bench-story-1] [--requests 200] [--sort tottime]

Production-like settings (DEBUG off, NEWSROOM_BENCH=1 for the bypass header,
PAGECACHE_FRAGMENTS=0), Django's test client, cProfile over the requests after a warm-up.
Prints the mean time per request, the share spent in SQL, and the top functions.
"""

import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DJANGO_DEBUG": "0",
        "NEWSROOM_BENCH": "1",
        "PAGECACHE_FRAGMENTS": "0",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_ALLOWED_HOSTS": "testserver",
    }
)
os.environ.setdefault("DJANGO_SECRET_KEY", "profile-only-" + "x" * 40)
from bench import profiling  # noqa: E402 (found through the sys.path entry above)


def main() -> None:
    parser = profiling.arguments(__doc__.splitlines()[0])
    parser.add_argument("--slug", default="bench-story-1")
    profiling.with_static_root(profile_page, parser.parse_args())


def profile_page(args) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", "--noinput", verbosity=0)
    from django.db import connection
    from django.test import Client

    from articles.models import Article

    path = Article.objects.get(slug=args.slug).get_absolute_url()
    client = Client()
    headers = {"X-Bench-Bypass-Page-Cache": "1", "Accept-Encoding": "gzip"}
    for _ in range(20):
        assert client.get(path, headers=headers).status_code == 200
    sql = profiling.SQLTimer()
    started = time.perf_counter()
    with connection.execute_wrapper(sql):
        for _ in range(args.requests):
            client.get(path, headers=headers)
    plain = (time.perf_counter() - started) / args.requests
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.requests):
        client.get(path, headers=headers)
    profile.disable()
    per_request = sql.seconds / args.requests * 1000
    print(
        f"{path}: {plain * 1000:.2f} ms a request unprofiled; SQL {per_request:.2f} ms"
        f" in {sql.queries / args.requests:.0f} queries a request"
    )
    if args.dump:
        profile.dump_stats(args.dump)
    pstats.Stats(profile).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
