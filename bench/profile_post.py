"""Profile the bench's comment POST in-process: a guest's comment with every moderation rule on.

    DATABASE_URL=postgres://... REDIS_URL=redis://... .venv/bin/python bench/profile_post.py \\
        [--requests 200] [--rounds 3] [--sort tottime] [--top 40]

The same conditions as ``make bench``'s POST row (bench/run.py: moderation_on(), the
POST_SCRIPT's fields, COMMENTS_FLOOD_SECONDS=0), through Django's test client with
production-like settings. Each request sends a new guest's comment (unique body and email,
so duplicate detection passes) with a form token issued ten seconds ago. Prints, per round,
the CPU milliseconds a request (time.process_time: this process only, not the database's),
its wall milliseconds, the SQL time and the queries a request; then cProfile's top
functions over one more round, in CPU time (waits on the database and Redis left out).
The comments it stores, and their queued notifications, are deleted at the end.
"""

import cProfile
import os
import pstats
import secrets
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DJANGO_DEBUG": "0",
        "NEWSROOM_BENCH": "1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "LOG_LEVEL": "ERROR",
        "COMMENTS_FLOOD_SECONDS": "0",  # as bench/run.py's server_env
    }
)
os.environ.setdefault("DJANGO_SECRET_KEY", "profile-only-" + "x" * 40)
from bench import profiling  # noqa: E402 (found through the sys.path entry above)

EMAIL_PREFIX = "profile-post-"
FORM = "application/x-www-form-urlencoded"


def main() -> None:
    parser = profiling.arguments(__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds before profiling")
    parser.add_argument("--show-sql", action="store_true", help="print one request's queries")
    profiling.with_static_root(profile_post, parser.parse_args())


def profile_post(args) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django_tasks_db.models import DBTaskResult

    from articles.models import Article
    from bench.generate import WARM_SLUG
    from bench.run import moderation_on
    from comments import tokens
    from comments.models import Comment

    moderation_on()
    article = Article.objects.get(slug=WARM_SLUG)
    path = f"/comments/post/{article.pk}/"
    token = tokens.form_token(article.pk, issued_at=time.time() - 10)
    run = secrets.token_hex(4)
    client = Client()
    sent = [0]

    def post() -> None:
        sent[0] += 1
        who = f"{run}-{sent[0]}"
        data = {
            "token": token,
            "name": "Bench Reader",
            "url": "",
            "homepage_url": "",
            "email": f"{EMAIL_PREFIX}{who}@example.com",
            "body": f"A benchmark comment number {who} on the council budget.",
        }
        # Form-encoded, as wrk's script and a browser's form send it (not the test
        # client's default multipart).
        response = client.post(path, urlencode(data), content_type=FORM)
        assert response.status_code == 302, (response.status_code, response.content[:2000])
        client.cookies.clear()  # every request a new guest, as wrk's are

    try:
        for _ in range(20):
            post()
        if args.show_sql:
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as captured:
                post()
            for query in captured.captured_queries:
                print(f"{query['time']}s  {query['sql'][:400]}")
        for _ in range(args.rounds):
            sql = profiling.SQLTimer()
            cpu, wall = time.process_time(), time.perf_counter()
            with connection.execute_wrapper(sql):
                for _ in range(args.requests):
                    post()
            cpu = (time.process_time() - cpu) / args.requests * 1000
            wall = (time.perf_counter() - wall) / args.requests * 1000
            print(
                f"POST {path}: {cpu:.2f} ms CPU, {wall:.2f} ms wall a request;"
                f" SQL {sql.seconds / args.requests * 1000:.2f} ms in"
                f" {sql.queries / args.requests:.1f} queries a request"
            )
        profile = cProfile.Profile(time.process_time)  # CPU, not waits on the database
        profile.enable()
        for _ in range(args.requests):
            post()
        profile.disable()
    finally:
        mine = Comment.objects.filter(article=article, email__startswith=EMAIL_PREFIX)
        ids = list(mine.values_list("pk", flat=True))
        mine.delete()
        # Their held-comment notifications too (no worker runs on the bench database).
        DBTaskResult.objects.filter(
            task_path="comments.tasks.notify_held", args_kwargs__args__0__in=ids
        ).delete()
    if args.dump:
        profile.dump_stats(args.dump)
    pstats.Stats(profile).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
