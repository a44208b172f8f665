"""A commenter's data for the account page: export and erase (registered with
accounts.privacy from comments.apps)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from comments import caching
from comments.models import Comment, ModerationLog, Reaction, Report, Subscription


def _require_someone(*, user, email: str | None) -> None:
    if user is None and not email:
        raise ValidationError("Give a user or an email address.", code="who")


def comment_export_for(*, user=None, email: str | None = None) -> list[dict]:
    """Everything stored about one commenter's comments, as plain data (oldest first)."""
    _require_someone(user=user, email=email)
    rows = (
        Comment.objects.by_commenter(user=user, email=email)
        .select_related("article")
        .order_by("created_at", "id")
    )
    return [
        {
            "id": c.pk,
            "article": c.article.title,
            "article_url": c.article.get_absolute_url(),
            "parent_id": c.parent_id,
            "status": c.status,
            "created_at": c.created_at.isoformat(),
            "edited_at": c.edited_at.isoformat() if c.edited_at else None,
            "name": c.name,
            "email": c.email,
            "website": c.url,
            "ip_address": c.ip_address,
            "user_agent": c.user_agent,
            "body": c.body,
            "pending_body": c.pending_body,
        }
        for c in rows
    ]


def subscription_export_for(*, user=None, email: str | None = None) -> list[dict]:
    """One person's reply subscriptions, as plain data."""
    _require_someone(user=user, email=email)
    rows = Subscription.objects.select_related("comment__article")
    rows = rows.filter(user=user) if user is not None else rows.filter(email__iexact=email)
    return [
        {
            "comment_id": s.comment_id,
            "article": s.comment.article.title,
            "email": s.email,
            "is_confirmed": s.is_confirmed,
            "created_at": s.created_at.isoformat(),
        }
        for s in rows.order_by("created_at", "id")
    ]


def reader_export_for(*, user=None, email: str | None = None) -> dict:
    """An account's reports and reactions. A guest's are kept under a random browser id that
    nothing links to an email address, so an export by email has none (docs/decisions.md)."""
    _require_someone(user=user, email=email)
    if user is None:
        return {"reports": [], "reactions": []}
    reports = Report.objects.filter(user=user).order_by("created_at", "id")
    reactions = Reaction.objects.filter(user=user).order_by("created_at", "id")
    return {
        "reports": [
            {
                "comment_id": r.comment_id,
                "reason": r.reason,
                "details": r.text,
                "client": r.client,
                "created_at": r.created_at.isoformat(),
                "resolved_at": r.resolved_at.isoformat() if r.resolved_at else None,
            }
            for r in reports
        ],
        "reactions": [
            {"comment_id": r.comment_id, "created_at": r.created_at.isoformat()} for r in reactions
        ],
    }


@transaction.atomic
def reader_erase_for(*, user=None, email: str | None = None, mode: str = "anonymise") -> None:
    """Delete an account's reports and reactions (whatever the mode: neither is published
    under their name), taking their likes off the counts."""
    if user is None:
        return
    likes_taken_back(user)
    Report.objects.filter(user=user).delete()


@transaction.atomic
def likes_taken_back(user) -> None:
    """Delete an account's likes and take them off the comments' counts (an erasure, and
    any deletion of the account, the admin's included: the rows would go by cascade and
    leave the counts one too high)."""
    reactions = Reaction.objects.filter(user=user)
    liked = list(reactions.values_list("comment_id", flat=True))
    if not liked:
        return
    reactions.delete()
    Comment.objects.filter(pk__in=liked, reaction_count__gt=0).update(
        reaction_count=F("reaction_count") - 1
    )
    caching.threads_changed(
        *Comment.objects.filter(pk__in=liked).values_list("article_id", flat=True)
    )


@transaction.atomic
def comments_erase_for(*, user=None, email: str | None = None, mode: str = "anonymise") -> int:
    """Erase one commenter's personal data. "anonymise" keeps the text under "Anonymous";
    "remove" also blanks the text and leaves "This comment was removed". Replies stay."""
    if mode not in {"remove", "anonymise"}:
        raise ValidationError("mode must be 'remove' or 'anonymise'.", code="mode")
    _require_someone(user=user, email=email)
    comments = Comment.objects.by_commenter(user=user, email=email)
    ids = list(comments.values_list("pk", flat=True))
    Subscription.objects.filter(comment_id__in=ids).delete()
    if user is not None:
        Subscription.objects.filter(user=user).delete()
    changes = {
        "user": None,
        "name": "",
        "email": "",
        "url": "",
        "ip_address": None,
        "user_agent": "",
    }
    if mode == "remove":
        changes |= {
            "body": "",
            "pending_body": "",
            "status": Comment.Status.REMOVED,
            "status_changed_at": timezone.now(),
        }
        # The log is append-only for moderators; erasure is the one lawful rewrite of it.
        ModerationLog.objects.filter(comment_id__in=ids).update(body_before="", body_after="")
    caching.threads_changed(
        *Comment.objects.filter(pk__in=ids).values_list("article_id", flat=True)
    )
    return Comment.objects.filter(pk__in=ids).update(**changes)
