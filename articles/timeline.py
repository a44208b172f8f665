"""One article's history as one timeline: saves (revisions), workflow events, notes."""

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse

from articles.models import Article, EditorialNote, Transition

EVENT = {
    Article.Status.REVIEW: "Submitted for review",
    Article.Status.PUBLISHED: "Published",
    Article.Status.SCHEDULED: "Scheduled",
    Article.Status.UNPUBLISHED: "Unpublished",
    Article.Status.DRAFT: "Sent back to draft",
}


@dataclass
class Entry:
    at: datetime
    kind: str  # "save", "workflow" or "note"
    who: object  # a User or None (removed since)
    what: str
    detail: str = ""
    url: str = ""  # a save's restore page


def _saves(article: Article, versions) -> list[Entry]:
    return [
        Entry(
            at=v.revision.date_created,
            kind="save",
            who=v.revision.user,
            what="Saved",
            detail=v.revision.get_comment(),
            url=reverse("admin:articles_article_revision", args=[article.pk, v.pk]),
        )
        for v in versions
    ]


def _workflow(article: Article) -> list[Entry]:
    entries = []
    for t in Transition.objects.filter(article=article).select_related("by"):
        what = EVENT[t.to_status]
        if t.to_status == Article.Status.SCHEDULED and t.publish_at:
            what += f" for {t.publish_at:%Y-%m-%d %H:%M}"
        entries.append(Entry(at=t.at, kind="workflow", who=t.by, what=what, detail=t.note))
    return entries


def _notes(article: Article) -> list[Entry]:
    notes = EditorialNote.objects.filter(article=article).select_related("author", "parent")
    entries = []
    for n in notes:
        what = "Replied to a note" if n.parent_id else "Note"
        if n.anchor:
            what += f" on “{n.anchor}”"
        entries.append(Entry(at=n.created_at, kind="note", who=n.author, what=what, detail=n.body))
        if n.resolved_at:
            resolved = Entry(n.resolved_at, "note", n.resolved_by, "Resolved a note thread")
            entries.append(resolved)
    return entries


def article_timeline(article: Article, versions, *, with_notes: bool) -> list[Entry]:
    """Newest first; notes only when the viewer may read them (services.note_can_see)."""
    entries = _saves(article, versions) + _workflow(article)
    if with_notes:
        entries += _notes(article)
    return sorted(entries, key=lambda e: e.at, reverse=True)
