"""Editorial workflows: every state change of an article goes through here.

Each transition checks the actor's rights itself (the admin is only one caller),
refuses with a ValidationError that says why, and records who did it and when.
"""

import html
import re
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags

from articles import tasks
from articles.caching import article_pages_changed
from articles.media import images_missing_alt
from articles.models import Article, Correction, EditorialNote, PreviewLink, Transition
from articles.scheduling import refresh_next_go_live
from articles.tasks import enqueue_went_live

Status = Article.Status
PUBLISH_PERMISSION = "articles.publish_article"


def is_editor(user) -> bool:
    """Editors (and superusers) may publish, schedule, unpublish and edit any article."""
    return bool(user and user.is_active and user.has_perm(PUBLISH_PERMISSION))


def is_own(*, article: Article, user) -> bool:
    if article.pk is None:
        return True
    return article.created_by_id == user.pk or article.bylines.filter(author=user).exists()


def article_can_edit(*, article: Article, user) -> bool:
    """Editors edit anything; reporters edit their own articles while they are drafts."""
    if not (user and user.is_active):
        return False
    if is_editor(user):
        return True
    return (
        user.has_perm("articles.change_article" if article.pk else "articles.add_article")
        and article.status == Status.DRAFT
        and is_own(article=article, user=user)
    )


def publish_checklist(article: Article) -> list[str]:
    """What is still missing before the article may go live (empty when ready)."""
    missing = []
    if not article.title.strip():
        missing.append("a headline")
    if not article.standfirst.strip():
        missing.append("a standfirst")
    if article.section_id is None:
        missing.append("a section")
    if not article.lead_image:
        missing.append("a lead image")
    elif not article.lead_image_alt.strip():
        missing.append("alt text for the lead image")
    if article.pk is not None:
        missing += [
            f"alt text for the body image “{image}” (or mark it decorative)"
            for image in images_missing_alt(article)
        ]
    return missing


def _require_editor(user, verb: str) -> None:
    if not is_editor(user):
        raise ValidationError(f"Only editors can {verb} articles.", code="permission")


def _require_status(article: Article, allowed: set, verb: str) -> None:
    if article.status not in allowed:
        raise ValidationError(
            f"Cannot {verb} an article that is {article.get_shown_status_display().lower()}.",
            code="status",
        )


def _require_checklist(article: Article) -> None:
    missing = publish_checklist(article)
    if missing:
        raise ValidationError(
            "Cannot publish yet. Missing: " + ", ".join(missing) + ".", code="checklist"
        )


def _move(article: Article, *, to: str, by, now: datetime, publish_at=None, note="") -> Transition:
    transition = Transition.objects.create(
        article=article,
        from_status=article.status,
        to_status=to,
        by=by,
        at=now,
        publish_at=publish_at,
        note=note,
    )
    article.status = to
    article.save()
    article_pages_changed(article)
    transaction.on_commit(refresh_next_go_live)
    return transition


@transaction.atomic
def article_submit(*, article: Article, by) -> Article:
    """Draft → in review. The article's own reporter, or an editor."""
    _require_status(article, {Status.DRAFT, Status.UNPUBLISHED}, "submit")
    if not article_can_edit(article=article, user=by) and not is_editor(by):
        raise ValidationError("You can only submit your own drafts for review.", code="permission")
    now = timezone.now()
    article.submitted_at = now
    tasks.enqueue_submitted(_move(article, to=Status.REVIEW, by=by, now=now))
    return article


@transaction.atomic
def article_publish(*, article: Article, by) -> Article:
    """Any state but published → published, now. Editors only; the checklist must pass."""
    _require_editor(by, "publish")
    _require_status(
        article, {Status.DRAFT, Status.REVIEW, Status.SCHEDULED, Status.UNPUBLISHED}, "publish"
    )
    _require_checklist(article)
    now = timezone.now()
    # A republished article keeps its first publish time, so its URL does not change.
    if article.first_published_at is None or article.published_at is None:
        article.published_at = now
    article.first_published_at = article.first_published_at or article.published_at
    _move(article, to=Status.PUBLISHED, by=by, now=now, publish_at=article.published_at)
    enqueue_went_live(article)
    return article


@transaction.atomic
def article_schedule(*, article: Article, by, publish_at: datetime) -> Article:
    """Go live at publish_at (in the future), with nothing else running. Editors only."""
    _require_editor(by, "schedule")
    _require_status(
        article, {Status.DRAFT, Status.REVIEW, Status.SCHEDULED, Status.UNPUBLISHED}, "schedule"
    )
    now = timezone.now()
    if publish_at is None or publish_at <= now:
        raise ValidationError("Choose a publish time in the future.", code="publish_at")
    _require_checklist(article)
    article.published_at = publish_at
    if article.first_published_at is None or article.first_published_at > now:
        article.first_published_at = publish_at
    _move(article, to=Status.SCHEDULED, by=by, now=now, publish_at=publish_at)
    enqueue_went_live(article)
    return article


@transaction.atomic
def article_unpublish(*, article: Article, by) -> Article:
    """Published or scheduled → unpublished: gone from every reader page. Editors only."""
    _require_editor(by, "unpublish")
    _require_status(article, {Status.PUBLISHED, Status.SCHEDULED}, "unpublish")
    _move(article, to=Status.UNPUBLISHED, by=by, now=timezone.now())
    return article


@transaction.atomic
def article_return_to_draft(*, article: Article, by, note: str) -> Article:
    """In review or unpublished → draft, so its reporter can work on it again; the note
    (required) says why and is emailed to the authors. Editors only."""
    _require_editor(by, "send back")
    _require_status(article, {Status.REVIEW, Status.UNPUBLISHED}, "send back")
    note = (note or "").strip()
    if not note:
        raise ValidationError(
            "Say why it goes back to draft: the note is emailed to the authors.", code="note"
        )
    article.submitted_at = None
    transition = _move(article, to=Status.DRAFT, by=by, now=timezone.now(), note=note)
    tasks.enqueue_sent_back(transition)
    return article


def article_send_back_note(article: Article) -> Transition | None:
    """The editor's note, while the article is still the draft it was sent back as."""
    if article.pk is None or article.status != Status.DRAFT:
        return None
    last = article.transitions.select_related("by").first()
    return last if last and last.to_status == Status.DRAFT and last.note else None


@transaction.atomic
def article_mark_revised(*, article: Article) -> Article:
    """Note that a live article's content changed (readers see "Updated …")."""
    if article.is_published():
        article.revised_at = timezone.now()
        Article.objects.filter(pk=article.pk).update(revised_at=article.revised_at)
        article_pages_changed(article)
    return article


@transaction.atomic
def correction_add(*, article: Article, by, text: str) -> Correction:
    """Attach a dated correction note to a published article. Editors only."""
    _require_editor(by, "correct")
    if not article.is_published():
        raise ValidationError("Corrections are for published articles.", code="status")
    if not text.strip():
        raise ValidationError("Write what the correction says.", code="text")
    # A correction is a change of the article: refused on an old copy, and it moves the
    # version on, so a form opened before it must look again.
    article.save(update_fields=["updated_at", "version"])
    correction = Correction.objects.create(article=article, text=text.strip(), created_by=by)
    article_mark_revised(article=article)
    return correction


@transaction.atomic
def preview_link_create(*, article: Article, by) -> PreviewLink:
    """A new secret preview link to the article, valid for ARTICLES_PREVIEW_DAYS. Editors only."""
    if not is_editor(by):
        raise ValidationError("Only editors can create preview links.", code="permission")
    if article.pk is None:
        raise ValidationError("Save the article before making a preview link.", code="unsaved")
    return PreviewLink.objects.create(article=article, created_by=by)


# --- Editorial notes --------------------------------------------------------------------
# "@name" not preceded by a username character, so an email address is no mention.
MENTION = re.compile(r"(?<![\w.@+-])@([\w.@+-]+)")
NOTE_MAX = 5000


def note_can_see(*, article: Article, user) -> bool:
    """Staff editors see every article's notes; a reporter those of their own articles."""
    if not (user and user.is_active and user.is_staff):
        return False
    if is_editor(user):
        return True
    return user.has_perm("articles.view_article") and is_own(article=article, user=user)


def note_mentions(text: str) -> list[str]:
    """The usernames @mentioned in text, once each, in order."""
    names = (m.rstrip(".") for m in MENTION.findall(text))
    return list(dict.fromkeys(n for n in names if n))


def note_body_text(article: Article) -> str:
    """The body as it reads (no markup), where a quoted passage must be found."""
    return " ".join(html.unescape(strip_tags(article.body)).split())


def _clean_note(article: Article, body: str, anchor: str) -> tuple[str, str]:
    body, anchor = body.strip(), " ".join(anchor.split())
    if not body:
        raise ValidationError("Write the note before adding it.", code="body")
    if len(body) > NOTE_MAX:
        raise ValidationError(f"Keep a note under {NOTE_MAX} characters.", code="body")
    if len(anchor) > 300:
        raise ValidationError("Quote at most 300 characters of the body.", code="anchor")
    if anchor and anchor not in note_body_text(article):
        raise ValidationError(
            "The quoted passage is not in the body: copy it from the text as saved.",
            code="anchor",
        )
    return body, anchor


@transaction.atomic
def note_add(*, article: Article, by, body: str, parent=None, anchor: str = "") -> EditorialNote:
    """A staff note on the article (a reply joins its thread); @mentions are emailed."""
    if not note_can_see(article=article, user=by):
        raise ValidationError(
            "You can leave notes only on articles you may open.", code="permission"
        )
    if parent is not None and parent.article_id != article.pk:
        raise ValidationError("That note belongs to another article.", code="parent")
    body, anchor = _clean_note(article, body, anchor)
    root = parent.parent if parent is not None and parent.parent_id else parent
    note = EditorialNote.objects.create(
        article=article, parent=root, author=by, body=body, anchor=anchor
    )
    named = get_user_model().objects.filter(username__in=note_mentions(body)).exclude(pk=by.pk)
    mentioned = [u.pk for u in named if note_can_see(article=article, user=u)]
    if mentioned:
        tasks.enqueue_mentioned(note, mentioned)
    return note


def _thread_root(note: EditorialNote, by) -> EditorialNote:
    if not note_can_see(article=note.article, user=by):
        raise ValidationError(
            "You can resolve notes only on articles you may open.", code="permission"
        )
    return note.parent or note


@transaction.atomic
def note_resolve(*, note: EditorialNote, by) -> EditorialNote:
    """Mark the note's thread resolved (it stays in the history)."""
    root = _thread_root(note, by)
    root.resolved_at, root.resolved_by = timezone.now(), by
    root.save(update_fields=["resolved_at", "resolved_by"])
    return root


@transaction.atomic
def note_reopen(*, note: EditorialNote, by) -> EditorialNote:
    """Open a resolved thread again."""
    root = _thread_root(note, by)
    root.resolved_at, root.resolved_by = None, None
    root.save(update_fields=["resolved_at", "resolved_by"])
    return root
