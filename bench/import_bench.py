"""Import benchmark (by hand, never in CI): a synthetic WordPress export of N posts and M
comments (threaded, every status), imported with manage.py import_wordpress; prints the time,
the peak memory (RSS) of the importing process, and the time of a second, no-op run.

    # SQLite in a temporary file (the default):
    .venv/bin/python bench/import_bench.py --posts 1000 --comments 50000
    # PostgreSQL (a database of its own, see bench/createdb.py):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_import_bench \\
        .venv/bin/python bench/import_bench.py --posts 10000 --comments 500000
"""

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Bench</title><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>http://bench.example</wp:base_site_url>
"""
STATUSES = ["1"] * 8 + ["0", "trash"]
PARAGRAPH = "<!-- wp:paragraph -->\n<p>{}</p>\n<!-- /wp:paragraph -->\n"
WORDS = "the river rose overnight and reached the market square while residents".split()


def sentence(rng: random.Random, n: int = 20) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def write_export(path: Path, posts: int, comments: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    per_post, extra = divmod(comments, posts)
    comment_id = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(HEAD)
        for n in range(5):
            out.write(
                f"<wp:author><wp:author_id>{n + 1}</wp:author_id><wp:author_login>writer{n}"
                f"</wp:author_login><wp:author_email>writer{n}@bench.example</wp:author_email>"
                f"<wp:author_display_name>Writer {n}</wp:author_display_name></wp:author>\n"
            )
        for n in range(10):
            out.write(
                f"<wp:category><wp:term_id>{n + 1}</wp:term_id><wp:category_nicename>section-{n}"
                f"</wp:category_nicename><wp:category_parent></wp:category_parent>"
                f"<wp:cat_name>Section {n}</wp:cat_name></wp:category>\n"
            )
        for post in range(1, posts + 1):
            day = 1 + post % 28
            body = "".join(PARAGRAPH.format(sentence(rng)) for _ in range(6))
            out.write(
                f"<item><title>Story {post}</title>"
                f"<link>http://bench.example/2024/03/{day:02d}/story-{post}/</link>"
                f"<dc:creator>writer{post % 5}</dc:creator>"
                f"<content:encoded><![CDATA[{body}]]></content:encoded>"
                f"<excerpt:encoded><![CDATA[{sentence(rng, 10)}]]></excerpt:encoded>"
                f"<wp:post_id>{post}</wp:post_id>"
                f"<wp:post_date>2024-03-{day:02d} 10:00:00</wp:post_date>"
                f"<wp:post_date_gmt>2024-03-{day:02d} 09:00:00</wp:post_date_gmt>"
                f"<wp:comment_status>open</wp:comment_status>"
                f"<wp:post_name>story-{post}</wp:post_name><wp:status>publish</wp:status>"
                f"<wp:post_type>post</wp:post_type>"
                f'<category domain="category" nicename="section-{post % 10}">'
                f"Section {post % 10}</category>\n"
            )
            first = comment_id + 1
            for _ in range(per_post + (1 if post <= extra else 0)):
                comment_id += 1
                parent = (
                    rng.randrange(first, comment_id)
                    if comment_id > first and rng.random() < 0.5
                    else 0
                )
                out.write(
                    f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
                    f"<wp:comment_author>Reader {comment_id % 997}</wp:comment_author>"
                    f"<wp:comment_author_email>r{comment_id % 997}@bench.example"
                    f"</wp:comment_author_email><wp:comment_author_IP>192.0.2.{comment_id % 250}"
                    f"</wp:comment_author_IP><wp:comment_date>2024-03-{day:02d} 12:00:00"
                    f"</wp:comment_date><wp:comment_date_gmt>2024-03-{day:02d} 11:00:00"
                    f"</wp:comment_date_gmt><wp:comment_content>{escape(sentence(rng, 15))}"
                    f"</wp:comment_content><wp:comment_approved>{rng.choice(STATUSES)}"
                    f"</wp:comment_approved><wp:comment_type>comment</wp:comment_type>"
                    f"<wp:comment_parent>{parent}</wp:comment_parent>"
                    f"<wp:comment_user_id>0</wp:comment_user_id></wp:comment>\n"
                )
            out.write("</item>\n")
        out.write("</channel></rss>\n")


def timed_import(export: Path, env: dict) -> tuple[float, int, str]:
    """Seconds, peak RSS (kB) of the import process, its summary."""
    code = (
        "import resource, sys, django; django.setup();"
        "from django.core.management import call_command;"
        f"call_command('import_wordpress', {str(export)!r});"
        "print('peak_rss_kb', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    started = time.monotonic()
    done = subprocess.run(  # noqa: S603 (our own interpreter and code, no shell)
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    elapsed = time.monotonic() - started
    peak = int(done.stdout.rsplit("peak_rss_kb", 1)[1].split()[0])
    return elapsed, peak, done.stdout.rsplit("\r", 1)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--comments", type=int, default=50000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        export = Path(work) / "export.xml"
        write_export(export, args.posts, args.comments)
        size = export.stat().st_size / 1e6
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings", "MEDIA_ROOT": work}
        env.setdefault("DATABASE_URL", f"sqlite:///{work}/bench.sqlite3")
        env.pop("REDIS_URL", None) if env["DATABASE_URL"].startswith("sqlite") else None
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True
        )
        first, peak, summary = timed_import(export, env)
        second, peak2, _ = timed_import(export, env)
    database = env["DATABASE_URL"].split(":", 1)[0]
    print(f"export: {args.posts} posts, {args.comments} comments, {size:.1f} MB; {database}")
    print(summary.strip())
    print(f"first import: {first:.1f} s, peak RSS {peak / 1024:.0f} MB")
    print(f"second (no-op) run: {second:.1f} s, peak RSS {peak2 / 1024:.0f} MB")
    print(f"(this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
