"""Bytes and CPU time of the comment thread's markup (comments/render.py), in-process:

    .venv/bin/python bench/thread_markup.py [--comments 270] [--renders 200]

Builds one page of ``--comments`` rows shaped like the 2,000-comment benchmark thread's
first page (bench/generate.py: guests named "Reader N", bodies of 8 to 80 words, four in
ten a reply, depth capped at 4), with what real threads add: one in ten by an account (some
with a picture, some staff or the article's author), some edited, some answering a reply
below the deepest level, some removed. No database: the rows are built here, the same
ones every run (seeded). Prints bytes per comment and the mean CPU time of thread_html per
comment (time.process_time over ``--renders`` renders of the same rows).
"""

import argparse
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

FIRST_ID = 1_204_311  # seven-digit ids, as on a site with a million comments
AUTHOR_ID = 7


def sample_thread(count: int = 270, seed: int = 16):
    """One thread page of ``count`` rows (comments.threads.ThreadPage), always the same."""
    from bench.generate import WORDS  # the benchmark's bodies' words (Django set up already)
    from comments.threads import ThreadPage, ThreadRow, mark_nesting

    rng = random.Random(seed)
    start = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
    rows: list[ThreadRow] = []
    by_pk: dict[int, ThreadRow] = {}
    for n in range(count):
        answered = rng.choice(rows) if rows and rng.random() < 0.4 else None
        too_deep = answered is not None and answered.depth >= 4  # attached one level up
        parent = by_pk[answered.parent_id] if too_deep else answered
        account = rng.random() < 0.1
        user_id = AUTHOR_ID if account and rng.random() < 0.2 else rng.randrange(100, 9000)
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(8, 80))).capitalize()
        rows.append(
            ThreadRow(
                pk=FIRST_ID + n,
                parent_id=parent.pk if parent else None,
                depth=parent.depth + 1 if parent else 1,
                status="removed" if rng.random() < 0.01 else "approved",
                body=body + ("." if rng.random() < 0.8 else ".\n\nAnd " + body.lower() + "."),
                name="" if account else f"Reader {rng.randrange(5000)}",
                url="",
                user_id=user_id if account else None,
                in_reply_to_name=answered.author_name if too_deep else "",
                created_at=start + timedelta(minutes=7 * n + rng.randrange(7)),
                edited_at=start + timedelta(minutes=7 * n + 9) if rng.random() < 0.05 else None,
                username=f"user{user_id}" if account else None,
                display_name=rng.choice(["Marta Kowalska", "Jonas", "سارة أحمد"])
                if account
                else None,
                first_name="" if account else None,
                last_name="" if account else None,
                reaction_count=int(rng.paretovariate(1.2)) - 1,
                replied_to_id=answered.pk if answered else None,
                featured_at=None,
                is_staff=account and rng.random() < 0.2,
                avatar=f"avatars/{user_id}.jpg" if account and rng.random() < 0.5 else None,
            )
        )
        by_pk[rows[-1].pk] = rows[-1]
    # Depth-first, as the thread query returns them: each reply after its parent's subtree.
    children: dict[int | None, list[ThreadRow]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    ordered: list[ThreadRow] = []

    def walk(parent_id):
        for row in children.get(parent_id, []):
            ordered.append(row)
            walk(row.pk)

    walk(None)
    page = ThreadPage(
        comments=mark_nesting(ordered), count=count, number=1, num_pages=8, newest_first=False
    )
    page.author_ids = frozenset({AUTHOR_ID})
    return page


def measure(count: int, renders: int) -> tuple[int, float]:
    """(bytes per comment, microseconds of CPU per comment)."""
    from comments.render import thread_html

    thread = sample_thread(count)
    size = len(str(thread_html(thread)).encode())
    started = time.process_time()
    for _ in range(renders):
        thread_html(thread)
    spent = time.process_time() - started
    return size / count, spent / renders / count * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=270)
    parser.add_argument("--renders", type=int, default=200)
    args = parser.parse_args()
    import django

    django.setup()
    per_comment, micros = measure(args.comments, args.renders)
    print(f"{args.comments} comments: {per_comment:.1f} bytes a comment, {micros:.1f} us a comment")


if __name__ == "__main__":
    main()
