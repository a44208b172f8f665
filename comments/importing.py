"""Importing comments (WordPress, Disqus): threads kept, moderation state kept, no email.

Imported comments do not go through ``posting.post``: they were judged on the old site,
their status comes with them, and nobody is notified (no outbox task, no subscription).
Each keeps its old id (``import_source``, ``import_id``): a re-run updates what changed.
A reply deeper than the site's thread depth attaches one level up and names the comment
it answered (``in_reply_to_name``), as ``posting`` places a reader's reply."""

import html
import re
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models.functions import Lower
from django.utils import timezone

from articles.importing import Summary
from articles.models import Article
from comments import caching
from comments.models import Comment, DiscussionSettings, author_name, thread_path
from core import text

WORDPRESS_STATUS = {
    "1": Comment.Status.APPROVED,
    "approve": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "hold": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.REMOVED,
    "post-trashed": Comment.Status.REMOVED,
}
BREAKS = re.compile(r"<br\s*/?>|</p\s*>|</li\s*>|</blockquote\s*>", re.I)
LINK = re.compile(r"<a\b[^>]*href=(?:\"([^\"]*)\"|'([^']*)')[^>]*>(.*?)</a>", re.I | re.S)
TAG = re.compile(r"<[^>]*>")
BATCH = 500
COMPARED = ("status", "body", "name", "email", "url", "ip_address", "created_at", "user_id")


@dataclass
class Incoming:
    """One comment as the old system knew it."""

    external_id: str
    parent_id: str
    name: str
    email: str
    url: str
    ip_address: str | None
    created_at: datetime | None
    body: str  # plain text (see plain_text)
    status: str
    user_id: int | None = None
    # The old system says a registered user wrote it: linked to the account with this
    # address, if there is one (an address a guest typed links nothing).
    account_email: str = ""


def plain_text(markup: str) -> str:
    """A comment's HTML as the plain text Newsroom's comments hold: paragraphs and breaks
    as newlines, a link as its words and its address, entities decoded, tags dropped."""

    def link(found: re.Match) -> str:
        href, words = html.unescape(found[1] or found[2] or ""), TAG.sub("", found[3]).strip()
        return f"{words} ({href})" if href and html.unescape(words) != href else href or words

    markup = BREAKS.sub(lambda m: "\n\n" if m[0].lower().startswith("</p") else "\n", markup)
    flat = html.unescape(TAG.sub("", LINK.sub(link, markup)))
    return text.stored_body(re.sub(r"\n{3,}", "\n\n", flat))


def ip_or_none(value: str) -> str | None:
    from ipaddress import ip_address

    try:
        return str(ip_address(value.strip()))
    except ValueError:
        return None


def accounts_by_email(emails) -> dict:
    """Existing accounts for these addresses (lower-cased), one query."""
    wanted = {e.strip().lower() for e in emails if e and "@" in e}
    if not wanted:
        return {}
    users = get_user_model().objects.annotate(email_lower=Lower("email"))
    found = users.filter(email_lower__in=wanted).values_list("email_lower", "pk")
    return dict(found)


class CommentSync:
    """Writes one article's imported comments (``source`` names the old system)."""

    def __init__(self, *, source: str, summary: Summary) -> None:
        self.source, self.summary = source, summary
        self.limit = max(DiscussionSettings.load().thread_depth, 1)
        self.deleted = Comment.deleted_here(source)  # deleted here: a re-run leaves them out

    def sync(self, article: Article, incoming: list[Incoming]) -> None:
        stored = Comment.objects.filter(article=article, import_source=self.source)
        by_id = {c.import_id: c for c in stored.select_related("user")}
        accounts = accounts_by_email([i.account_email for i in incoming if not i.user_id])
        for item in incoming:
            if not item.user_id and item.account_email:
                item.user_id = accounts.get(item.account_email.strip().lower())
        new, updated, unknown = [], 0, []
        for item in parents_first(incoming):
            comment = by_id.get(item.external_id)
            if comment is None and item.external_id in self.deleted:
                self.summary.add("comments", "deleted")
            elif comment is None:
                new.append(item)
            elif comment.changed_here(stored_values(comment)):
                # A moderator's decision, an edit or an erasure here is never undone.
                self.summary.add("comments", "kept")
            elif self.update(comment, item):
                updated += 1
                unknown.append(comment.pk)
            else:
                self.summary.add("comments", "unchanged")
                if not comment.import_digest:  # imported before digests were kept
                    unknown.append(comment.pk)
        self.summary.add("comments", "updated", updated)
        self.create_many(article, new, by_id)
        remember([*unknown, *(by_id[item.external_id].pk for item in new)])
        if new or updated:
            caching.threads_changed(article.pk)

    def values(self, item: Incoming) -> dict:
        return {
            "status": item.status,
            "body": item.body or "(empty)",
            "name": text.stored_name(item.name)[:100],
            "email": item.email.strip()[:254],
            "url": item.url.strip()[:200] if item.url.startswith(("http://", "https://")) else "",
            "ip_address": item.ip_address,
            "created_at": item.created_at or timezone.now(),
            "user_id": item.user_id,
        }

    def update(self, comment: Comment, item: Incoming) -> bool:
        values = self.values(item)
        if all(getattr(comment, name) == values[name] for name in COMPARED):
            return False
        Comment.objects.filter(pk=comment.pk).update(**values, status_changed_at=timezone.now())
        for name, value in values.items():
            setattr(comment, name, value)
        return True

    def create_many(self, article: Article, items: list[Incoming], by_id: dict) -> None:
        """Insert new comments a thread level at a time (one INSERT and one UPDATE per
        level): a comment's path needs its parent's, and its own id."""
        waiting = items
        while waiting:
            ready = [i for i in waiting if not i.parent_id or i.parent_id in by_id]
            if not ready:  # parents that never arrive: stand alone
                ready = waiting
            chosen = {id(i) for i in ready}
            waiting = [i for i in waiting if id(i) not in chosen]
            made = [self.build(article, item, by_id) for item in ready]
            Comment.objects.bulk_create(made, batch_size=BATCH)
            for comment, item in zip(made, ready, strict=True):
                parent = comment.parent
                comment.path = thread_path(comment.pk, parent.path if parent else "")
                comment.root_id = parent.root_id if parent else comment.pk
                comment.created_at = self.values(item)["created_at"]
                by_id[item.external_id] = comment
            Comment.objects.bulk_update(made, ["path", "root", "created_at"], batch_size=BATCH)
            self.summary.add("comments", "created", len(made))

    def build(self, article: Article, item: Incoming, by_id: dict) -> Comment:
        """The new comment, placed as ``posting`` places a reply (one level up when the
        comment it answers is at the site's deepest level)."""
        replied = by_id.get(item.parent_id) if item.parent_id else None
        parent, in_reply_to = replied, ""
        if replied is not None and replied.depth >= self.limit:
            in_reply_to = author_name(account_name=None, typed_name=replied.name)[:100]
            ancestors = replied.path.split("/")
            at = int(ancestors[self.limit - 2]) if self.limit > 1 else None
            parent = next((c for c in by_id.values() if c.pk == at), None) if at else None
        return Comment(
            article=article,
            parent=parent,
            replied_to=replied,
            in_reply_to_name=in_reply_to,
            depth=parent.depth + 1 if parent else 1,
            import_source=self.source,
            import_id=item.external_id,
            **self.values(item),
        )


def stored_values(comment: Comment) -> dict:
    """The fields an import writes, as ``comment``'s row has them."""
    return {name: getattr(comment, name) for name in COMPARED}


def remember(pks: list[int]) -> None:
    """Keep, on each comment, the digest of what the import wrote, read back from the
    database (its own spelling of each value): a later change here can be told apart."""
    for start in range(0, len(pks), BATCH):
        rows = Comment.objects.filter(pk__in=pks[start : start + BATCH]).only(*COMPARED)
        changed = []
        for comment in rows:
            comment.import_digest = Comment.digest(stored_values(comment))
            changed.append(comment)
        Comment.objects.bulk_update(changed, ["import_digest"], batch_size=BATCH)


def parents_first(incoming: list[Incoming]) -> list[Incoming]:
    """Each comment after its parent (exports list them by id, which is almost always so);
    a comment whose parent is not in the list stands alone."""
    known = {item.external_id for item in incoming}
    placed, ordered, waiting = set(), [], list(incoming)
    for _ in range(len(incoming) + 1):
        later = []
        for item in waiting:
            if not item.parent_id or item.parent_id not in known or item.parent_id in placed:
                ordered.append(item)
                placed.add(item.external_id)
            else:
                later.append(item)
        if not later or len(later) == len(waiting):
            break
        waiting = later
    for item in later:  # a cycle: stand alone
        item.parent_id = ""
        ordered.append(item)
    return ordered
