"""``manage.py import_disqus``: a Disqus export's comments on the articles they were about.

A thread is matched to an article by its link (the article's address, or an old one a
redirect knows) or by its identifier (WordPress's Disqus plugin writes "ID https://…/?p=ID").
Unmatched threads are listed, never invented. Posts are read in batches, each written in one
transaction, grouped by article; the file is checked whole first, so a malformed or hostile
file stops before anything is written."""

from collections import defaultdict
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from itertools import batched
from urllib.parse import parse_qs, urlsplit

from django.db import transaction
from django.urls import Resolver404, resolve

from articles.importing import Summary
from articles.legacy import article_by_wordpress_id, legacy_location
from articles.models import Article
from articles.redirects import redirect_for
from comments.importing import CommentSync, Incoming, ip_or_none, plain_text
from comments.models import Comment
from core import safexml
from core.safexml import text

NS = "{http://disqus.com}"
DSQ_ID = "{http://disqus.com/disqus-internals}id"


@dataclass
class Threads:
    forum: str = ""
    articles: dict[str, int] = field(default_factory=dict)  # Disqus thread id → article pk
    closed: set[int] = field(default_factory=set)
    unmatched: list[str] = field(default_factory=list)
    posts: int = 0


def _flag(element, name: str) -> bool:
    return text(element, NS + name).lower() == "true"


def article_for(link: str, identifier: str) -> Article | None:
    """The article a Disqus thread was about, or None."""
    path = urlsplit(link).path or ""
    for _ in range(2):
        try:
            match = resolve(path)
        except Resolver404:
            moved = redirect_for(path) if path else None
            location = moved[0] if moved else legacy_location(path, redirect_for)
            if not location:
                break
            path = urlsplit(location).path
            continue
        if match.view_name == "articles:detail":
            return Article.objects.filter(slug=match.kwargs["slug"]).first()
        break
    # WordPress's Disqus plugin: the identifier "ID https://…/?p=ID", or a /?p=ID link.
    first = identifier.split(" ")[0] if identifier else ""
    first = first or parse_qs(urlsplit(link).query).get("p", [""])[0]
    return article_by_wordpress_id(first) if first else None


def threads(path) -> Threads:
    found = Threads()
    for element in safexml.records(path, {NS + "thread", NS + "post"}):
        if element.tag == NS + "post":
            found.posts += 1
            continue
        if not len(element):  # a post's reference to its thread, not a thread
            continue
        found.forum = found.forum or text(element, NS + "forum")
        link, identifier = text(element, NS + "link"), text(element, NS + "id")
        article = article_for(link, identifier)
        if article is None:
            found.unmatched.append(link or identifier or element.get(DSQ_ID, "?"))
            continue
        found.articles[element.get(DSQ_ID, "")] = article.pk
        if _flag(element, "isClosed"):
            found.closed.add(article.pk)
    return found


def _post(element) -> tuple[str, Incoming]:
    author = element.find(NS + "author")
    parent = element.find(NS + "parent")
    thread = element.find(NS + "thread")
    status = Comment.Status.APPROVED
    if _flag(element, "isSpam"):
        status = Comment.Status.SPAM
    elif _flag(element, "isDeleted"):
        status = Comment.Status.REMOVED
    try:
        created = datetime.fromisoformat(text(element, NS + "createdAt"))
    except ValueError:
        created = None
    return (thread.get(DSQ_ID, "") if thread is not None else ""), Incoming(
        external_id=element.get(DSQ_ID, ""),
        parent_id=parent.get(DSQ_ID, "") if parent is not None else "",
        name=text(author, NS + "name"),
        email=text(author, NS + "email"),
        url="",
        ip_address=ip_or_none(text(element, NS + "ipAddress")),
        created_at=created,
        body=plain_text(element.findtext(NS + "message") or ""),
        status=status,
        account_email="" if _flag(author, "isAnonymous") else text(author, NS + "email"),
    )


def disqus_import(
    path,
    *,
    dry_run: bool = False,
    batch: int = 500,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Summary, list[str]]:
    """Import the Disqus export at ``path``: the summary, and the unmatched threads."""
    found = threads(path)  # raises core.safexml.XMLRefused with the line
    summary = Summary()
    sync = CommentSync(source=f"disqus:{found.forum or 'unknown'}"[:100], summary=summary)
    with transaction.atomic() if dry_run else nullcontext():
        _close(found, summary)
        done = 0
        posts = safexml.records(path, {NS + "post"})
        for chunk in batched(posts, batch):
            with transaction.atomic():
                _write(chunk, found, sync, summary)
            done += len(chunk)
            if progress:
                progress(done, found.posts)
        if dry_run:
            transaction.set_rollback(True)
    return summary, found.unmatched


def _close(found: Threads, summary: Summary) -> None:
    for article in Article.objects.filter(pk__in=found.closed, comments_open=True):
        article.comments_open = False
        article.save()
        summary.add("closed", "updated")


def _write(chunk, found: Threads, sync: CommentSync, summary: Summary) -> None:
    by_article = defaultdict(list)
    for element in chunk:
        thread, incoming = _post(element)
        article = found.articles.get(thread)
        if article is None:
            summary.add("comments", "skipped")
            continue
        by_article[article].append(incoming)
    for article in Article.objects.filter(pk__in=by_article):
        sync.sync(article, by_article[article.pk])
