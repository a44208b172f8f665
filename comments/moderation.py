"""Moderation: approve, spam, remove, correct, feature a comment, decide a held edit; the log.

Every function checks its actor's right to act; views only translate HTTP.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from comments import caching, rules, tasks
from comments.models import Comment, ModerationLog, Report
from core import outbox

MODERATE_PERM = "comments.moderate_comment"
ACTIONS = {
    "approve": Comment.Status.APPROVED,
    "spam": Comment.Status.SPAM,
    "remove": Comment.Status.REMOVED,
}
# A moderator's answer to a held edit that keeps the published text (see editing.comment_edit).
REJECT_EDIT = "reject_edit"


def is_moderator(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(MODERATE_PERM))


def log(
    comment: Comment,
    *,
    actor,
    action: str,
    status_before: str = "",
    body_before=None,
    body_after=None,
    reason: str = "",
) -> None:
    """Append one line to the moderation log: the state now, and what it was."""
    ModerationLog.objects.create(
        comment=comment,
        actor=actor,
        action=action,
        status_before=status_before,
        status_after=comment.status,
        body_before=comment.body if body_before is None else body_before,
        body_after=comment.body if body_after is None else body_after,
        reason=reason,
    )


def set_status(comment: Comment, status: str) -> str:
    before = comment.status
    comment.status, comment.status_changed_at = status, timezone.now()
    comment.save(update_fields=["status", "status_changed_at"])
    if Comment.Status.APPROVED in {before, status}:
        caching.threads_changed(comment.article_id)
    return before


@transaction.atomic
def comment_moderate(*, comment: Comment, moderator, action: str, reason: str = "") -> Comment:
    """Approve, spam or remove a comment as moderator; logged; notify when newly approved."""
    if not is_moderator(moderator):
        raise PermissionDenied("You may not moderate comments.")
    if action not in ACTIONS and action != REJECT_EDIT:
        raise ValidationError(f"Unknown moderation action {action!r}.", code="action")
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    # A held edit is decided on a published comment; one held by readers' reports is
    # approved first (its edit still waits in the queue).
    published = comment.status == Comment.Status.APPROVED
    if comment.pending_body and (action == REJECT_EDIT or action == "approve" and published):
        return _decide_edit(comment, moderator=moderator, action=action, reason=reason)
    if action == REJECT_EDIT:
        return comment  # no held edit (any more): nothing to reject
    if comment.pending_body and action != "approve":  # the proposed text goes with it
        comment.pending_body = ""
        comment.save(update_fields=["pending_body"])
    if resolve_reports(comment) and comment.status == ACTIONS[action]:
        # Approving a reported comment that is still published: the reports are answered.
        log(
            comment,
            actor=moderator,
            action="reports_cleared",
            status_before=comment.status,
            reason=reason,
        )
    if comment.status == ACTIONS[action]:
        return comment
    before = set_status(comment, ACTIONS[action])
    log(comment, actor=moderator, action=action, status_before=before, reason=reason)
    if comment.status == Comment.Status.APPROVED:
        outbox.enqueue(tasks.notify_approved, comment.pk, True)
    return comment


def resolve_reports(comment: Comment) -> int:
    """A moderator decided on the comment: its open reports stop counting towards a hold
    (their readers still cannot report it again)."""
    return Report.objects.open().filter(comment=comment).update(resolved_at=timezone.now())


def _decide_edit(comment: Comment, *, moderator, action: str, reason: str) -> Comment:
    """Approve publishes a held edit's proposed text; reject_edit keeps the published one."""
    if action == REJECT_EDIT:
        drop_pending_edit(comment, actor=moderator, action=REJECT_EDIT, reason=reason)
        return comment
    before = comment.body
    comment.body, comment.pending_body = comment.pending_body, ""
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "pending_body", "edited_at"])
    caching.threads_changed(comment.article_id)
    log(
        comment,
        actor=moderator,
        action=action,
        status_before=comment.status,
        body_before=before,
        reason=reason,
    )
    return comment


def drop_pending_edit(comment: Comment, *, actor, action: str, reason: str) -> None:
    """Forget a held edit; the log keeps it (before: the proposal, after: what stays)."""
    proposed, comment.pending_body = comment.pending_body, ""
    comment.save(update_fields=["pending_body"])
    log(
        comment,
        actor=actor,
        action=action,
        status_before=comment.status,
        body_before=proposed,
        reason=reason,
    )


@transaction.atomic
def comment_moderator_edit(*, comment: Comment, moderator, body: str, reason: str = "") -> Comment:
    """A moderator corrects a comment's text; the log keeps both versions and why."""
    if not is_moderator(moderator):
        raise PermissionDenied("You may not moderate comments.")
    return change_body(comment, body=body, actor=moderator, reason=reason)


def change_body(comment: Comment, *, body: str, actor, reason: str) -> Comment:
    """Publish a new text of comment (a moderator's correction or its writer's edit)."""
    body = rules.clean_body(body)
    before = Comment.objects.get(pk=comment.pk).body
    if before == body:
        return comment
    comment.body, comment.edited_at = body, timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    if comment.status == Comment.Status.APPROVED:
        caching.threads_changed(comment.article_id)
    log(
        comment,
        actor=actor,
        action="edit",
        status_before=comment.status,
        body_before=before,
        reason=reason,
    )
    return comment


def comment_approve(*, comment: Comment, moderator, reason: str = "") -> Comment:
    return comment_moderate(comment=comment, moderator=moderator, action="approve", reason=reason)


@transaction.atomic
def comment_feature(
    *, comment: Comment, moderator, featured: bool = True, reason: str = ""
) -> Comment:
    """Mark a published comment as an editors' pick (featured=False: take it back); logged.
    Its article's pages and the picks feed expire."""
    if not is_moderator(moderator):
        raise PermissionDenied("You may not feature comments.")
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if featured and comment.status != Comment.Status.APPROVED:
        raise ValidationError("Only a published comment can be an editors' pick.", code="status")
    if bool(comment.featured_at) == featured:
        return comment
    comment.featured_at = timezone.now() if featured else None
    comment.save(update_fields=["featured_at"])
    caching.picks_changed(comment.article_id)
    action = "feature" if featured else "unfeature"
    log(comment, actor=moderator, action=action, status_before=comment.status, reason=reason)
    return comment
