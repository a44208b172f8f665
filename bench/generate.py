"""Fill a database with benchmark data: N articles with bylines and sections (and, once the
comments app has its model, M threaded comments).

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


def make_comments(rng: random.Random, total: int, hot: Article, hot_thread: int) -> int:
    """M threaded comments with realistic depth, and ``hot_thread`` of them on ``hot``.

    Left for the lead to finish once comments.Comment exists (FK article, ``parent`` FK to
    self, moderation status): bulk_create in BATCH-sized chunks, each new comment replying
    to a random earlier one of its article with probability 0.4 (depth capped at 4), most
    approved, a few pending or spam. Returns how many rows it wrote.
    """
    from comments import models as comment_models

    if not hasattr(comment_models, "Comment"):
        print(f"comments.Comment does not exist yet: {total} comments not generated.")
        return 0
    raise NotImplementedError("comment generation waits for the comments app's model")


def refresh_statistics() -> None:
    """Bulk loads leave the planner's row estimates stale; measure with fresh ones."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


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
