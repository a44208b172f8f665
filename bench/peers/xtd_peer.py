"""The django-comments-xtd peer of `make bench`: built, filled and served from here.

The peer is a small Django 6.1 site (bench/peers/xtd/) with its own virtualenv,
bench/peers/xtd/.venv (git-ignored), made from bench/peers/xtd/requirements.txt the first time
and again whenever that file changes. Its PostgreSQL database is XTD_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/xtd_bench). It gets the same article and thread as
Newsroom's benchmark article, copied from Newsroom's database, and is served by the same
gunicorn settings file (newsroom/gunicorn_conf.py: sync workers, preloaded app, gc.freeze).
"""

import hashlib
import html
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent / "xtd"
VENV = HERE / ".venv"
PYTHON = VENV / "bin" / "python"
ROOT = HERE.parent.parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/xtd_bench"


def database_url() -> str:
    return os.environ.get("XTD_DATABASE_URL", DEFAULT_DB)


def ensure_venv() -> None:
    """Create or refresh the peer's virtualenv from its pinned requirements."""
    requirements = HERE / "requirements.txt"
    digest = hashlib.sha256(requirements.read_bytes()).hexdigest()
    stamp = VENV / ".requirements-sha256"
    if stamp.exists() and stamp.read_text() == digest and PYTHON.exists():
        return
    print("xtd peer: building bench/peers/xtd/.venv", flush=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True, timeout=300)  # noqa: S603
    pip = [str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "-r", str(requirements)], check=True, timeout=900)  # noqa: S603
    stamp.write_text(digest)


def peer_env(port: int, workers: int) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "xtdpeer.settings",
        "XTD_DATABASE_URL": database_url(),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers),
        "GUNICORN_MAX_REQUESTS": "0",
        "PYTHONPATH": str(HERE),
    }


def manage(env: dict, *argv: str) -> None:
    subprocess.run([str(PYTHON), "manage.py", *argv], cwd=HERE, env=env, check=True, timeout=600)  # noqa: S603


def export_story(slug: str) -> dict:
    """Newsroom's article ``slug`` and its whole thread, parents before replies. A comment
    is public when Newsroom shows it: approved, under approved parents."""
    from articles.models import Article
    from comments.models import Comment

    article = Article.objects.get(slug=slug)
    shown, rows = set(), []
    thread = Comment.objects.filter(article=article).exclude(email__startswith="bench-post-")
    for comment in thread.order_by("path"):  # not the POST rows' comments, held or late
        public = comment.status == Comment.Status.APPROVED and (
            comment.parent_id is None or comment.parent_id in shown
        )
        if public:
            shown.add(comment.pk)
        rows.append(
            {
                "id": comment.pk,
                "parent": comment.parent_id,
                "name": comment.name,
                "email": comment.email,
                "body": comment.body,
                "submitted": comment.created_at.isoformat(),
                "public": public,
            }
        )
    story = {
        "title": article.title,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "body": article.body,
        "published_at": article.published_at.isoformat(),
    }
    return {"story": story, "comments": rows}


def build(slug: str, port: int, workers: int) -> dict:
    """Virtualenv, database, migrations and the story: the peer's env, ready to serve."""
    from bench.createdb import create_database

    ensure_venv()
    create_database(database_url())
    env = peer_env(port, workers)
    manage(env, "migrate", "--noinput", "-v0")
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as dump:
        json.dump(export_story(slug), dump)
        dump.flush()
        seed = [str(PYTHON), "seed.py", dump.name]
        subprocess.run(seed, cwd=HERE, env=env, check=True, timeout=600)  # noqa: S603
    return env


def start(env: dict, port: int) -> subprocess.Popen:
    gunicorn = VENV / "bin" / "gunicorn"
    config = ROOT / "newsroom" / "gunicorn_conf.py"
    server = subprocess.Popen(  # noqa: S603 (fixed argv, no shell)
        [str(gunicorn), "-c", str(config), "xtdpeer.wsgi:application"], cwd=HERE, env=env
    )
    from bench.run import wait_until_up

    return wait_until_up(server, port, "/hello/", "the xtd peer's gunicorn")


def story_path(slug: str, cached: bool = False) -> str:
    return f"/story/{slug}/" + ("cached/" if cached else "")


def lua(fields: str, csrf: str, port: int) -> str:
    """wrk's script: each request a new guest comment to xtd's post view (django_comments'
    post_comment), with the story's form fields, CSRF cookie and token."""
    from bench.run import WRK_GUEST

    request = POST_REQUEST.replace("FIELDS", fields).replace("CSRF", csrf)
    return WRK_GUEST % {"run": os.urandom(4).hex()} + request.replace("PORT", str(port))


POST_REQUEST = """
function request()
  local who = who()
  local body = "FIELDS&name=Bench+Reader&url=&email=bench-post-" .. who
    .. "%40example.com&comment=A+benchmark+comment+number+" .. who .. "+on+the+council+budget."
  return wrk.format("POST", "/comments/post/", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=CSRF",
    ["Referer"] = "http://127.0.0.1:PORT/"}, body)
end
"""


def post_script(port: int, slug: str) -> str:
    """The Lua script for wrk: the story's comment form as a browser got it (security hash,
    timestamp, CSRF cookie and token), a new guest and body each request."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"http://127.0.0.1:{port}{story_path(slug)}", timeout=30) as answer:
        page = answer.read().decode()
    fields = {}
    for name in ("content_type", "object_pk", "timestamp", "security_hash", "csrfmiddlewaretoken"):
        match = re.search(rf'name="{name}" value="([^"]*)"', page)
        fields[name] = html.unescape(match.group(1))
    fields |= {"honeypot": "", "reply_to": "0", "next": "/comments/sent/"}
    csrf = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    return lua(urlencode(fields), csrf, port)


def count_posted(env: dict, slug: str) -> int:
    """Comments the POSTs stored (held: not public), deleted again so runs do not add up."""
    code = (
        "import django;django.setup()\n"
        "from django_comments_xtd.models import XtdComment\n"
        "q=XtdComment.objects.filter(user_email__startswith='bench-post-')\n"
        "print(q.count());[c.delete() for c in q]\n"
    )
    found = subprocess.run(  # noqa: S603
        [str(PYTHON), "-c", code],
        cwd=HERE,
        env=env,
        check=True,
        timeout=600,
        capture_output=True,
        text=True,
    )
    return int(found.stdout.split()[-1])
