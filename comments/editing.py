"""The writer's own changes: edit or delete their comment within the edit window."""

import copy
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from comments import bans, hook, rules, tasks
from comments.models import Ban, Comment, DiscussionSettings
from comments.moderation import change_body, drop_pending_edit, is_moderator, log, set_status
from comments.posting import verdict
from core import outbox

EDIT_REFUSED = (
    "Your edit contains words that are not allowed on this site, so it was not saved. "
    "Your text is kept below: change it and save again."
)


def can_change(*, comment: Comment, user, guest_ids: list[int], now=None) -> bool:
    """The commenter may edit or delete their comment within the edit window."""
    now = now or timezone.now()
    if comment.status == Comment.Status.REMOVED:
        return False
    if now - comment.created_at > timedelta(seconds=settings.COMMENTS_EDIT_WINDOW):
        return False
    if comment.user_id:
        return bool(user and user.is_authenticated and user.pk == comment.user_id)
    return comment.pk in guest_ids


def _require_change(*, comment: Comment, user, guest_ids: list[int]) -> None:
    if not can_change(comment=comment, user=user, guest_ids=guest_ids):
        raise PermissionDenied(
            f"Comments can be changed by their writer for "
            f"{settings.COMMENTS_EDIT_WINDOW // 60} minutes after posting."
        )


def comment_edit(
    *, comment: Comment, body: str, user, guest_ids: list[int], proven_email: str = ""
) -> Comment:
    """The commenter changes their text within the edit window, judged by the same rules
    as a new comment (``proven_email`` as in posting.Submission) and, when it is on, by the
    moderation hook, as a new comment is (asked before any write, outside the transaction):
    an edit they would send to spam is refused; one they would hold, on a published
    comment, waits in pending_body for a moderator (who approves or rejects it, see
    moderation) while the page keeps the published text. Logged."""
    _require_change(comment=comment, user=user, guest_ids=guest_ids)
    body = rules.clean_body(body)
    proposed = copy.copy(comment)
    proposed.body = body
    ruling = _under_ban(
        proposed, verdict(proposed, DiscussionSettings.load(), proven_email=proven_email)
    )
    checked = ""
    changed = body != comment.body
    if ruling.status != Comment.Status.SPAM and changed and not is_moderator(comment.user):
        # The checker judges the new text as it judges a new comment; it can only make the
        # verdict stricter (comments.hook.apply). Without it, a text the checker would
        # refuse could be posted harmless and then edited in.
        proposed.status, proposed.hold_reason = ruling.status, ruling.reason
        checked = hook.apply(proposed, event="edit")
        ruling = rules.Verdict(proposed.status, proposed.hold_reason)
    if ruling.status == Comment.Status.SPAM:
        if checked:
            log(comment, actor=None, action="checker", body_after=body, reason=checked)
        raise ValidationError(EDIT_REFUSED, code="disallowed")
    return _store_edit(comment, body=body, user=user, ruling=ruling, checked=checked)


@transaction.atomic
def _store_edit(comment: Comment, *, body: str, user, ruling: rules.Verdict, checked: str):
    actor = user if comment.user_id else None
    if checked:
        log(comment, actor=None, action="checker", body_after=body, reason=checked)
    if comment.pending_body:  # this edit replaces the one waiting for a moderator
        reason = "held edit replaced by its writer"
        drop_pending_edit(comment, actor=actor, action="edit", reason=reason)
    held = ruling.status == Comment.Status.PENDING
    if held and comment.status == Comment.Status.APPROVED and body != comment.body:
        return _hold_edit(comment, body=body, actor=actor, reason=ruling.reason)
    if held and comment.status == Comment.Status.PENDING:
        comment.hold_reason = ruling.reason  # the reason that holds the text it now has
        comment.save(update_fields=["hold_reason"])
    return change_body(comment, body=body, actor=actor, reason="edited by its writer")


def _under_ban(comment: Comment, ruling: rules.Verdict) -> rules.Verdict:
    """A banned commenter may not edit either; one on probation has their edits held."""
    ban = bans.standing(user=comment.user, email=comment.email, ip=comment.ip_address)
    if ban is not None and ban.kind == Ban.Kind.BAN:
        raise bans.refusal(ban)
    if ban is not None and ruling.status == Comment.Status.APPROVED:
        return rules.Verdict(Comment.Status.PENDING, f"on probation: {ban.reason}"[:150])
    return ruling


def _hold_edit(comment: Comment, *, body: str, actor, reason: str) -> Comment:
    """Set a published comment's held edit aside for a moderator. The page still shows the
    published text, so no page or thread fragment expires (see moderation._decide_edit)."""
    comment.pending_body, comment.hold_reason = body, f"edited after approval: {reason}"
    comment.save(update_fields=["pending_body", "hold_reason"])
    log(
        comment,
        actor=actor,
        action="edit",
        status_before=comment.status,
        body_after=body,
        reason=comment.hold_reason,
    )
    outbox.enqueue(tasks.notify_held, comment.pk)
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, user, guest_ids: list[int]) -> Comment:
    """The commenter withdraws their comment; it keeps its place as a placeholder."""
    _require_change(comment=comment, user=user, guest_ids=guest_ids)
    if comment.pending_body:  # a held edit of a withdrawn comment waits for nobody
        comment.pending_body = ""
        comment.save(update_fields=["pending_body"])
    before = set_status(comment, Comment.Status.REMOVED)
    actor = user if comment.user_id else None
    log(comment, actor=actor, action="delete", status_before=before, reason="deleted by its writer")
    return comment
