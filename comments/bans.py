"""Banning a commenter, putting an account on probation, lifting either; the posting
path's check (comments.posting reads it with the article). Every workflow checks its actor
is a moderator and writes the log.

A ban names an account (and its address, so logging out does not get round it), a guest's
address (normalised: models.normalise_email) and optionally an IP address. It ends by
itself at ``ends_at`` (checked by time when the commenter posts: no job runs), or when a
moderator lifts it.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from comments import caching
from comments.models import Ban, Comment, ModerationLog, normalise_email
from comments.moderation import is_moderator


def _require_moderator(user) -> None:
    if not is_moderator(user):
        raise PermissionDenied("You may not ban commenters.")


def _log(ban: Ban, *, actor, action: str, reason: str, comment: Comment | None = None) -> None:
    status = comment.status if comment else ""
    body = comment.body if comment else ""
    ModerationLog.objects.create(
        comment=comment,
        ban=ban,
        actor=actor,
        action=action,
        status_before=status,
        status_after=status,
        body_before=body,
        body_after=body,
        reason=reason[:300],
    )


FIRST = ("kind", "-created_at")  # the ban that counts: "ban" sorts before "probation"


def in_force_on(*, user=None, email: str = "", ip: str | None = None):
    """The bans in force on this commenter, the one that counts first (FIRST): a refusal
    before a probation, the newest first."""
    found = Ban.objects.in_force().matching(user=user, email=email, ip=ip)
    return found.order_by(*FIRST)


def standing(*, user=None, email: str = "", ip: str | None = None) -> Ban | None:
    """The ban in force on this commenter, a refusal before a probation; one query.
    (comments.posting reads it within its one read of the commenter's record.)"""
    return in_force_on(user=user, email=email, ip=ip).first()


def refusal(ban: Ban) -> ValidationError:
    """What a banned commenter is told when they try to post: until when, and why."""
    if ban.ends_at is None:
        when = "You may no longer comment on this site"
    else:
        local = timezone.localtime(ban.ends_at)
        when = f"You may not comment until {date_format(local, 'DATETIME_FORMAT')}"
    return ValidationError(f"{when}. Reason: {ban.reason}", code="banned")


def check_ban(*, user, email: str, kind: str, ends_at, reason: str) -> None:
    """The rules a new ban meets (the admin form asks before the workflow does)."""
    if user is None and not normalise_email(email):
        raise ValidationError("Name an account or a guest's email address.", code="who")
    if kind == Ban.Kind.PROBATION and user is None:
        raise ValidationError("Probation is for accounts; ban a guest instead.", code="kind")
    if ends_at is not None and ends_at <= timezone.now():
        raise ValidationError("The end date must be in the future.", code="ends_at")
    if not reason.strip():
        raise ValidationError("Give a reason: it is shown to the commenter.", code="reason")


@transaction.atomic
def ban_create(
    *,
    moderator,
    reason: str,
    user=None,
    email: str = "",
    ip_address: str | None = None,
    ends_at=None,
    kind: str = Ban.Kind.BAN,
    hide_comments: bool = False,
    comment: Comment | None = None,
) -> Ban:
    """Ban (or put on probation) a commenter; logged, with the comment it started from."""
    _require_moderator(moderator)
    check_ban(user=user, email=email, kind=kind, ends_at=ends_at, reason=reason)
    email = normalise_email(user.email if user is not None and not email else email)
    ban = Ban.objects.create(
        kind=kind,
        user=user,
        email=email,
        ip_address=ip_address or None,
        reason=reason.strip(),
        ends_at=ends_at,
        hide_comments=hide_comments and kind == Ban.Kind.BAN,
        created_by=moderator,
    )
    _log(ban, actor=moderator, action=kind, reason=reason, comment=comment)
    if ban.hide_comments:
        _hide(ban, moderator=moderator)
    return ban


def _by_commenter(ban: Ban):
    """The comments a ban names: the account's and those sent with its address."""
    who = Comment.objects.none()
    if ban.user_id:
        who |= Comment.objects.filter(user_id=ban.user_id)
    if ban.email:
        who |= Comment.objects.filter(email__iexact=ban.email)
    return who


def _move(comments, *, status: str, hidden_by: Ban | None) -> int:
    """Give comments a new status (and hiding ban); their threads' pages expire."""
    articles = set(comments.values_list("article_id", flat=True))
    count = comments.update(status=status, hidden_by=hidden_by, status_changed_at=timezone.now())
    if count:
        caching.threads_changed(*articles)
    return count


def _hide(ban: Ban, *, moderator) -> None:
    """Show the commenter's published comments as removed (threads keep their shape)."""
    hidden = _by_commenter(ban).approved().select_for_update()
    if count := _move(hidden, status=Comment.Status.REMOVED, hidden_by=ban):
        _log(ban, actor=moderator, action="ban_hide", reason=f"{count} comments hidden")


@transaction.atomic
def ban_lift(*, ban: Ban, moderator, reason: str = "") -> Ban:
    """End a ban now (or after it ended by itself): the comments it hid are published again."""
    _require_moderator(moderator)
    ban = Ban.objects.select_for_update().get(pk=ban.pk)
    if ban.lifted_at is None:
        ban.lifted_at, ban.lifted_by = timezone.now(), moderator
        ban.save(update_fields=["lifted_at", "lifted_by"])
        _log(ban, actor=moderator, action="lift_ban", reason=reason)
    hidden = ban.hidden_comments.filter(status=Comment.Status.REMOVED)
    if count := _move(hidden, status=Comment.Status.APPROVED, hidden_by=None):
        _log(ban, actor=moderator, action="ban_unhide", reason=f"{count} comments shown again")
    return ban
