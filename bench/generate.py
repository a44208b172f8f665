"""Fill a database with benchmark data: N articles with bylines and sections, M threaded
comments (one article with a 2,000-comment thread, one with 50).

    .venv/bin/python bench/generate.py --articles 10000 [--comments 1000000]

Uses DATABASE_URL like the site. Replaces earlier benchmark rows (slugs starting ``bench-``,
users starting ``bench-``); other rows are left alone. Run by hand, never in CI.
"""

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles.models import Article, Byline, Section  # noqa: E402
from articles.sanitize import clean_html  # noqa: E402

HOT_SLUG = "bench-hot"
BATCH = 1000
WORDS = (
    "council ministers agreed budget parliament vote commission summit border trade energy "
    "climate farmers court ruling election coalition minister reform treaty sanctions talks "
    "alliance defence spending inflation growth market workers union strike hospital school "
    "city region mayor citizens protest report inquiry evidence witness statement press"
).split()


def paragraphs(rng: random.Random, count: int) -> list[str]:
    """A pool of article bodies of about 1,000 words, cleaned once (bulk_create skips save)."""
    bodies = []
    for _ in range(count):
        paras = [
            " ".join(rng.choice(WORDS) for _ in range(100)).capitalize() + "." for _ in range(10)
        ]
        bodies.append(clean_html("".join(f"<p>{p}</p>" for p in paras)))
    return bodies


def clear_previous() -> None:
    from comments.models import Comment, ModerationLog, Subscription

    # A million comments through Django's cascade collector would take an hour: one DELETE
    # per table (the runner's POSTs leave log rows and subscriptions behind).
    for model in (ModerationLog, Subscription, Comment):
        prefix = "" if model is Comment else "comment__"
        old = model.objects.filter(**{f"{prefix}article__slug__startswith": "bench-"})
        old._raw_delete(old.db)
    Article.objects.filter(slug__startswith="bench-").delete()
    Section.objects.filter(slug__startswith="bench-").delete()
    get_user_model().objects.filter(username__startswith="bench-").delete()


def make_people_and_sections(authors: int, sections: int):
    User = get_user_model()
    people = User.objects.bulk_create(
        User(
            username=f"bench-author-{n}",
            first_name=f"Author{n}",
            last_name="Bench",
            email=f"bench-author-{n}@example.com",
        )
        for n in range(authors)
    )
    desks = Section.objects.bulk_create(
        Section(name=f"Bench desk {n}", slug=f"bench-desk-{n}", position=n) for n in range(sections)
    )
    return people, desks


def make_articles(rng: random.Random, total: int, people, desks) -> Article:
    """``total`` published articles, one every 30 minutes back from now; returns the newest."""
    bodies = paragraphs(rng, 50)
    now = timezone.now()
    for start in range(0, total, BATCH):
        batch = [
            Article(
                title=f"Bench story {n}: {' '.join(rng.choice(WORDS) for _ in range(6))}",
                slug=HOT_SLUG if n == 0 else f"bench-story-{n}",
                standfirst=" ".join(rng.choice(WORDS) for _ in range(25)).capitalize() + ".",
                dateline="Brussels",
                body=rng.choice(bodies),
                status=Article.Status.PUBLISHED,
                published_at=now - timedelta(minutes=1 + 30 * n),
                first_published_at=now - timedelta(minutes=1 + 30 * n),
                section=rng.choice(desks),
            )
            for n in range(start, min(start + BATCH, total))
        ]
        created = Article.objects.bulk_create(batch)
        Byline.objects.bulk_create(
            Byline(article=article, author=author, position=position)
            for article in created
            for position, author in enumerate(rng.sample(people, rng.choice([1, 1, 1, 2, 3])))
        )
    return Article.objects.get(slug=HOT_SLUG)


COMMENT_STATUSES = ["approved"] * 94 + ["pending"] * 5 + ["spam"]
REPLY_CHANCE = 0.4
MAX_DEPTH = 4
WARM_SLUG = "bench-story-1"  # the article with a 50-comment thread
WARM_THREAD = 50


def thread_rows(rng: random.Random, article_id: int, count: int, first_id: int, now) -> list:
    """``count`` comments of one article with ids from ``first_id``: each replies to a random
    earlier one with probability REPLY_CHANCE (depth capped at MAX_DEPTH), else starts a thread.
    Ids are assigned here so the materialised path is known without a second write."""
    from comments.models import Comment, thread_path

    rows = []
    for n in range(count):
        pk = first_id + n
        parent = rng.choice(rows) if rows and rng.random() < REPLY_CHANCE else None
        if parent is not None and parent.depth >= MAX_DEPTH:
            parent = rows[parent.parent_id - first_id] if parent.parent_id else None
        rows.append(
            Comment(
                id=pk,
                article_id=article_id,
                parent_id=parent.pk if parent else None,
                root_id=parent.root_id if parent else pk,
                replied_to_id=parent.pk if parent else None,
                path=thread_path(pk, parent.path if parent else ""),
                depth=parent.depth + 1 if parent else 1,
                status=rng.choice(COMMENT_STATUSES),
                name=f"Reader {rng.randrange(5000)}",
                email=f"bench-reader-{rng.randrange(5000)}@example.com",
                body=" ".join(rng.choice(WORDS) for _ in range(rng.randrange(8, 80))).capitalize()
                + ".",
                ip_address="192.0.2.1",
                status_changed_at=now,
            )
        )
    return rows


def make_comments(rng: random.Random, total: int, hot: Article, hot_thread: int) -> int:
    """``total`` threaded comments: ``hot_thread`` on ``hot``, WARM_THREAD on WARM_SLUG, the
    rest spread over the other articles (a few busy threads, most with a handful). Returns
    how many rows it wrote."""
    from comments.models import Comment

    warm = Article.objects.filter(slug=WARM_SLUG).values_list("pk", flat=True).first()
    others = list(
        Article.objects.filter(slug__startswith="bench-story-")
        .exclude(pk=warm)
        .values_list("pk", flat=True)
    )
    plan = [(hot.pk, min(hot_thread, total))]
    if warm is not None:
        plan.append((warm, min(WARM_THREAD, total - plan[0][1])))
    left = total - sum(count for _, count in plan)
    while left > 0 and others:
        count = min(left, 500, int(rng.paretovariate(1.5) * 8))
        plan.append((rng.choice(others), count))
        left -= count
    first_id = (Comment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    now = timezone.now()
    written, batch = 0, []
    for article_id, count in plan:
        batch += thread_rows(rng, article_id, count, first_id + written, now)
        written += count
        if len(batch) >= BATCH * 10:
            Comment.objects.bulk_create(batch)
            batch = []
    Comment.objects.bulk_create(batch)
    if connection.vendor == "postgresql":
        table = Comment._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), MAX(id)) FROM {table}"  # noqa: S608 (our own table name)
            )
    return written


def refresh_statistics() -> None:
    """Bulk loads leave the planner's row estimates stale and the visibility map empty (no
    index-only scans until autovacuum passes): measure as a settled database is, vacuumed."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--hot-thread", type=int, default=2_000)
    parser.add_argument("--authors", type=int, default=60)
    parser.add_argument("--sections", type=int, default=8)
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    started = time.monotonic()
    with transaction.atomic():
        clear_previous()
        people, desks = make_people_and_sections(args.authors, args.sections)
        hot = make_articles(rng, args.articles, people, desks)
    print(f"{args.articles} articles, {args.authors} authors, {args.sections} sections")
    written = make_comments(rng, args.comments, hot, args.hot_thread)
    refresh_statistics()
    print(f"{written} comments; hot article {hot.get_absolute_url()}")
    print(f"done in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
