"""``manage.py import_wordpress``: a WordPress export's authors, terms, posts and comments.

The file is read twice, streaming: first whole (checked, so a malformed or hostile file
stops before anything is written, and the attachments the posts refer to are known), then
post by post, in batches each written in one transaction. A dry run does the same inside
one transaction it rolls back, and stores no picture."""

from collections.abc import Callable
from contextlib import nullcontext
from itertools import batched

from django.db import transaction

from articles import wxr
from articles.importing import Summary
from articles.scheduling import refresh_next_go_live
from articles.wpimport import PostImporter
from comments.importing import WORDPRESS_STATUS, CommentSync, Incoming, ip_or_none, plain_text

SKIPPED_KINDS = {"pingback", "trackback"}


def wordpress_import(
    path,
    *,
    media=None,
    include_private: bool = False,
    dry_run: bool = False,
    batch: int = 50,
    progress: Callable[[int, int], None] | None = None,
) -> Summary:
    """Import the export at ``path``; the summary of what was (or would be) done."""
    header = wxr.header(path)  # raises core.safexml.XMLRefused with the line
    with transaction.atomic() if dry_run else nullcontext():
        with transaction.atomic():
            posts = PostImporter(
                header, media=media, include_private=include_private, dry_run=dry_run
            )
        comments = CommentSync(source=posts.source, summary=posts.summary)
        done = 0
        for chunk in batched(wxr.posts(path, wxr.Clock()), batch):
            with transaction.atomic():
                for post in chunk:
                    _import_post(post, posts, comments)
            done += len(chunk)
            if progress:
                progress(done, header.posts)
        if dry_run:
            transaction.set_rollback(True)
        else:
            refresh_next_go_live()  # cached listings expire when a scheduled post goes live
    return posts.summary


def _import_post(post: wxr.Post, posts: PostImporter, comments: CommentSync) -> None:
    article = posts.save(post)
    kept = [c for c in post.comments if c.kind not in SKIPPED_KINDS]
    for comment in post.comments:
        if comment.kind in SKIPPED_KINDS:
            posts.summary.add(f"{comment.kind}s", "skipped")
    if article is None:
        posts.summary.add("comments", "skipped", len(kept))
        return
    comments.sync(article, [_incoming(c, posts) for c in kept])


def _incoming(comment: wxr.Comment, posts: PostImporter) -> Incoming:
    user = posts.users_by_wp_id.get(comment.user_id) if comment.user_id != "0" else None
    return Incoming(
        external_id=comment.wp_id,
        parent_id="" if comment.parent == "0" else comment.parent,
        name=comment.author,
        email=comment.email,
        url=comment.url,
        ip_address=ip_or_none(comment.ip),
        created_at=comment.date,
        body=plain_text(comment.body),
        status=WORDPRESS_STATUS.get(comment.approved, "pending"),
        user_id=user.pk if user else None,
        account_email=comment.email if comment.user_id not in {"", "0"} else "",
    )
