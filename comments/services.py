"""Comment workflows: post, moderate, edit, delete, subscribe, export and erase.

Every function checks its actor's right to act; views only translate HTTP.
"""

import copy
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import identity
from articles.models import Article
from comments import rules, tasks
from comments.models import Comment, DiscussionSettings, ModerationLog, Subscription
from core import outbox, pagecache, text

MODERATE_PERM = "comments.moderate_comment"
ACTIONS = {
    "approve": Comment.Status.APPROVED,
    "spam": Comment.Status.SPAM,
    "remove": Comment.Status.REMOVED,
}
# A moderator's answer to a held edit that keeps the published text (see comment_edit).
REJECT_EDIT = "reject_edit"
EDIT_REFUSED = (
    "Your edit contains words that are not allowed on this site, so it was not saved. "
    "Your text is kept below: change it and save again."
)


# How many of a commenter's latest comments on an article a new one is compared with,
# loosely; older ones only word for word (no schema change: the comparison is in Python).
DUPLICATE_WINDOW = 50


def is_moderator(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(MODERATE_PERM))


def _flood_keys(*, user, email: str, ip: str | None) -> list[str]:
    who = f"user:{user.pk}" if user else f"email:{email.lower()}"
    keys = [f"comments:flood:{who}"]
    if ip:
        keys.append(f"comments:flood:ip:{ip}")
    return keys


def _check_parent(*, article: Article, parent: Comment | None) -> None:
    if parent is None:
        return
    if parent.article_id != article.pk or parent.status != Comment.Status.APPROVED:
        raise ValidationError(
            "You can only reply to a published comment on this article.", code="tampered"
        )


def _check_author(*, conf: DiscussionSettings, user, name: str, email: str) -> None:
    if user is not None:
        return
    if conf.require_login:
        raise ValidationError("Please log in to comment.", code="login_required")
    if conf.require_name_email and (text.is_blank(name) or not email.strip()):
        raise ValidationError("Please give your name and email.", code="name_email")


def _flood_refusal() -> ValidationError:
    return ValidationError(
        f"You are posting too quickly. Wait {settings.COMMENTS_FLOOD_SECONDS} seconds "
        "and send it again.",
        code="flood",
    )


def _flood_acquire(*, user, email: str, ip: str | None) -> list[str]:
    """Take the commenter's (and their address's) flood slots, or refuse.

    cache.add is the lock: it is atomic in Redis (SET NX), so of two simultaneous posts
    through any number of workers only one gets the slot. When the cache cannot answer
    (Redis down: add fails and get misses), the database judges instead: a comment by the
    same commenter or address within the window refuses the post. Returns the keys taken,
    to give back with _flood_release if the comment is refused later on.
    """
    seconds = settings.COMMENTS_FLOOD_SECONDS
    if seconds <= 0:
        return []  # flood control off (a "0 seconds" slot raced concurrent posts into refusals)
    taken = []
    for key in _flood_keys(user=user, email=email, ip=ip):
        if cache.add(key, 1, seconds):
            taken.append(key)
            continue
        if cache.get(key) is None and not _recent_in_database(user=user, email=email, ip=ip):
            continue  # the cache is down (or the slot just expired): the database says go
        _flood_release(taken)
        raise _flood_refusal()
    return taken


def _recent_in_database(*, user, email: str, ip: str | None) -> bool:
    since = timezone.now() - timedelta(seconds=settings.COMMENTS_FLOOD_SECONDS)
    recent = Comment.objects.filter(created_at__gte=since)
    mine = recent.by_commenter(user=user, email=email)
    return mine.exists() or bool(ip and recent.filter(ip_address=ip).exists())


def _flood_release(keys: list[str]) -> None:
    if keys:
        cache.delete_many(keys)


def _check_duplicate(*, article: Article, user, email: str, body: str) -> None:
    """Refuse the same words said again on the article: compared in core.text.comparable
    form (case, Unicode form, spacing and invisible characters aside) with the commenter's
    latest DUPLICATE_WINDOW comments there, and word for word with any older one."""
    mine = Comment.objects.filter(article=article).by_commenter(user=user, email=email)
    said = text.comparable(body)
    latest = list(mine.order_by("-pk").values_list("body", flat=True)[:DUPLICATE_WINDOW])
    if any(text.comparable(before) == said for before in latest) or (
        len(latest) == DUPLICATE_WINDOW and mine.filter(body=body.strip()).exists()
    ):
        raise ValidationError("You have already said that.", code="duplicate")


def _place(comment: Comment, parent: Comment | None, conf: DiscussionSettings) -> None:
    """Attach comment under parent, one level up when parent is already at the deepest level."""
    comment.replied_to = parent
    limit = max(conf.thread_depth, 1)
    if parent is not None and parent.depth >= limit:
        comment.in_reply_to_name = parent.author_name
        # The ancestor one level above the limit (path: one id per level), even when the
        # limit was lowered below threads that are already deeper.
        ancestors = parent.path.split("/")
        parent = Comment.objects.get(pk=int(ancestors[limit - 2])) if limit > 1 else None
    comment.parent = parent
    comment.depth = parent.depth + 1 if parent else 1


def _set_path(comment: Comment) -> None:
    own = str(comment.pk).zfill(10)
    parent = comment.parent
    comment.path = f"{parent.path}/{own}" if parent else own
    comment.root_id = parent.root_id if parent else comment.pk
    Comment.objects.filter(pk=comment.pk).update(path=comment.path, root_id=comment.root_id)


def _clean_name(name: str) -> str:
    if text.is_blank(name):
        return ""  # nothing a reader would see: no name (required ones are checked before)
    name = text.one_line(name)
    if any(map(text.forbidden_in_name, name)):
        raise ValidationError(
            "Your name contains invisible or direction-changing characters; "
            "please type it plainly.",
            code="name_chars",
        )
    return name


def _clean_body(body: str) -> str:
    body = body.strip()
    if text.is_blank(body):  # empty, or only characters that show nothing
        raise ValidationError("Please write a comment.", code="empty")
    if any(map(text.forbidden_in_body, body)):
        raise ValidationError(
            "Your comment contains control characters that cannot be shown; "
            "please remove them and send it again.",
            code="control_chars",
        )
    if len(body) > settings.COMMENTS_MAX_LENGTH:
        raise ValidationError(
            f"A comment can be {settings.COMMENTS_MAX_LENGTH} characters at most.", code="long"
        )
    return body


def _log(
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


def _thread_changed(*article_ids: int) -> None:
    """Expire the cached article pages whose thread changed (approved comments only show),
    their comment feeds, and the site-wide comment feed."""
    pagecache.invalidate("comments", *(f"article:{pk}" for pk in set(article_ids)))


def _set_status(comment: Comment, status: str) -> str:
    before = comment.status
    comment.status, comment.status_changed_at = status, timezone.now()
    comment.save(update_fields=["status", "status_changed_at"])
    if Comment.Status.APPROVED in {before, status}:
        _thread_changed(comment.article_id)
    return before


def approved_count(*, user=None, email: str = "") -> int:
    return Comment.objects.approved().by_commenter(user=user, email=email).count()


def _trust_count(comment: Comment, proven_email: str) -> int:
    """The approved comments that earn this commenter trust: a verified identity's only.
    An address a guest merely typed proves nothing, so it always counts as a first comment;
    ``proven_email`` is the one their browser proved by opening a link mailed to it. (An
    edit is judged as if posted now: the comment being edited counts when approved.)"""
    if comment.user is not None:
        verified = identity.has_verified_email(comment.user)
    else:
        verified = bool(proven_email) and proven_email.lower() == comment.email.lower()
    if not verified:
        return 0
    return approved_count(user=comment.user, email=comment.email)


@transaction.atomic
def comment_create(
    *,
    article: Article,
    body: str,
    parent: Comment | None = None,
    user=None,
    name: str = "",
    email: str = "",
    url: str = "",
    ip_address: str | None = None,
    user_agent: str = "",
    subscribe: bool = False,
    conf: DiscussionSettings | None = None,
    proven_email: str = "",
) -> Comment:
    """Store a reader's comment, judged by the site's rules (``conf``: the discussion
    settings the caller already read; ``proven_email``: the guest address the reader's
    browser proved, see accounts.identity); its notification is queued with it."""
    conf = conf or DiscussionSettings.load()
    user = user if user is not None and user.is_authenticated else None
    if reason := rules.closed_reason(article, conf):
        raise ValidationError(reason, code="closed")
    _check_author(conf=conf, user=user, name=name, email=email)
    name = _clean_name(name)
    _check_parent(article=article, parent=parent)
    body = _clean_body(body)
    if user is not None:
        name, email, url = "", user.email, ""
    taken = [] if is_moderator(user) else _flood_acquire(user=user, email=email, ip=ip_address)
    try:
        _check_duplicate(article=article, user=user, email=email, body=body)
        return _store(
            article=article,
            body=body,
            parent=parent,
            user=user,
            name=name,
            email=email,
            url=url,
            ip_address=ip_address,
            user_agent=user_agent,
            subscribe=subscribe,
            conf=conf,
            proven_email=proven_email,
        )
    except BaseException:
        _flood_release(taken)  # refused or failed: the reader may send it again at once
        raise


def _store(
    *,
    article,
    body,
    parent,
    user,
    name,
    email,
    url,
    ip_address,
    user_agent,
    subscribe,
    conf,
    proven_email,
) -> Comment:
    comment = Comment(
        article=article,
        body=body,
        user=user,
        name=name,
        email=email.strip(),
        url=url.strip(),
        ip_address=ip_address,
        user_agent=user_agent[:300],
    )
    _place(comment, parent, conf)
    _judge(comment, conf, proven_email=proven_email)
    comment.save()
    _set_path(comment)
    if comment.status == Comment.Status.APPROVED:
        _thread_changed(comment.article_id)
    _log(comment, actor=user, action="post", body_before="", reason=comment.hold_reason)
    if subscribe and comment.email:
        Subscription.objects.create(
            comment=comment, email=comment.email, user=user, is_confirmed=user is not None
        )
    _notify_posted(comment)
    return comment


def _verdict(comment: Comment, conf: DiscussionSettings, *, proven_email: str) -> rules.Verdict:
    if is_moderator(comment.user):
        return rules.Verdict(Comment.Status.APPROVED)
    return rules.judge(comment, conf, approved_before=lambda: _trust_count(comment, proven_email))


def _judge(comment: Comment, conf: DiscussionSettings, *, proven_email: str) -> None:
    verdict = _verdict(comment, conf, proven_email=proven_email)
    comment.status, comment.hold_reason = verdict.status, verdict.reason


def _notify_posted(comment: Comment) -> None:
    """Hand the notifications to the task worker, with the comment's own commit."""
    if comment.status == Comment.Status.PENDING:
        outbox.enqueue(tasks.notify_held, comment.pk)
    elif comment.status == Comment.Status.APPROVED:
        outbox.enqueue(tasks.notify_approved, comment.pk)


@transaction.atomic
def comment_moderate(*, comment: Comment, moderator, action: str, reason: str = "") -> Comment:
    """Approve, spam or remove a comment as moderator; logged; notify when newly approved."""
    if not is_moderator(moderator):
        raise PermissionDenied("You may not moderate comments.")
    if action not in ACTIONS and action != REJECT_EDIT:
        raise ValidationError(f"Unknown moderation action {action!r}.", code="action")
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.pending_body and action in {"approve", REJECT_EDIT}:
        return _decide_edit(comment, moderator=moderator, action=action, reason=reason)
    if action == REJECT_EDIT:
        return comment  # no held edit (any more): nothing to reject
    if comment.pending_body:  # spam or remove: the proposed text goes with the comment
        comment.pending_body = ""
        comment.save(update_fields=["pending_body"])
    if comment.status == ACTIONS[action]:
        return comment
    before = _set_status(comment, ACTIONS[action])
    _log(comment, actor=moderator, action=action, status_before=before, reason=reason)
    if comment.status == Comment.Status.APPROVED:
        outbox.enqueue(tasks.notify_approved, comment.pk, True)
    return comment


def _decide_edit(comment: Comment, *, moderator, action: str, reason: str) -> Comment:
    """Approve publishes a held edit's proposed text; reject_edit keeps the published one."""
    if action == REJECT_EDIT:
        _drop_pending_edit(comment, actor=moderator, action=REJECT_EDIT, reason=reason)
        return comment
    before = comment.body
    comment.body, comment.pending_body = comment.pending_body, ""
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "pending_body", "edited_at"])
    _thread_changed(comment.article_id)
    _log(
        comment,
        actor=moderator,
        action=action,
        status_before=comment.status,
        body_before=before,
        reason=reason,
    )
    return comment


def _drop_pending_edit(comment: Comment, *, actor, action: str, reason: str) -> None:
    """Forget a held edit; the log keeps it (before: the proposal, after: what stays)."""
    proposed, comment.pending_body = comment.pending_body, ""
    comment.save(update_fields=["pending_body"])
    _log(
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
    return _change_body(comment, body=body, actor=moderator, reason=reason)


def _change_body(comment: Comment, *, body: str, actor, reason: str) -> Comment:
    body = _clean_body(body)
    before = Comment.objects.get(pk=comment.pk).body
    if before == body:
        return comment
    comment.body, comment.edited_at = body, timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    if comment.status == Comment.Status.APPROVED:
        _thread_changed(comment.article_id)
    _log(
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


@transaction.atomic
def comment_edit(
    *, comment: Comment, body: str, user, guest_ids: list[int], proven_email: str = ""
) -> Comment:
    """The commenter changes their text within the edit window, judged by the same rules
    as a new comment (``proven_email`` as in comment_create): an edit they would send to
    spam is refused; one they would hold, on a published comment, waits in pending_body
    for a moderator while the page keeps the published text. Logged."""
    _require_change(comment=comment, user=user, guest_ids=guest_ids)
    actor = user if comment.user_id else None
    body = _clean_body(body)
    proposed = copy.copy(comment)
    proposed.body = body
    verdict = _verdict(proposed, DiscussionSettings.load(), proven_email=proven_email)
    if verdict.status == Comment.Status.SPAM:
        raise ValidationError(EDIT_REFUSED, code="disallowed")
    if comment.pending_body:  # this edit replaces the one waiting for a moderator
        reason = "held edit replaced by its writer"
        _drop_pending_edit(comment, actor=actor, action="edit", reason=reason)
    held = verdict.status == Comment.Status.PENDING
    if held and comment.status == Comment.Status.APPROVED and body != comment.body:
        return _hold_edit(comment, body=body, actor=actor, reason=verdict.reason)
    if held and comment.status == Comment.Status.PENDING:
        comment.hold_reason = verdict.reason  # the reason that holds the text it now has
        comment.save(update_fields=["hold_reason"])
    return _change_body(comment, body=body, actor=actor, reason="edited by its writer")


def _hold_edit(comment: Comment, *, body: str, actor, reason: str) -> Comment:
    """Set a published comment's held edit aside for a moderator. The page still shows the
    published text, so no page or thread fragment expires (see _decide_edit)."""
    comment.pending_body, comment.hold_reason = body, f"edited after approval: {reason}"
    comment.save(update_fields=["pending_body", "hold_reason"])
    _log(
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
    before = _set_status(comment, Comment.Status.REMOVED)
    actor = user if comment.user_id else None
    _log(
        comment, actor=actor, action="delete", status_before=before, reason="deleted by its writer"
    )
    return comment


@transaction.atomic
def subscription_confirm(*, subscription_id: int) -> Subscription:
    subscription = Subscription.objects.filter(pk=subscription_id).first()
    if subscription is None:
        raise ValidationError("This subscription no longer exists.", code="gone")
    subscription.is_confirmed = True
    subscription.save(update_fields=["is_confirmed"])
    return subscription


@transaction.atomic
def email_unsubscribe(*, email: str, kind: str, subscription_id: int | None = None) -> None:
    """Stop one kind of email to email (or one subscription); no login needed."""
    from comments.models import EmailOptOut

    if subscription_id is not None:
        Subscription.objects.filter(pk=subscription_id, email__iexact=email).delete()
        return
    if kind not in EmailOptOut.Kind.values:
        raise ValidationError("Unknown kind of email.", code="kind")
    EmailOptOut.objects.get_or_create(email=email.lower(), kind=kind)


# --- Privacy hooks for the account page ------------------------------------------------


def _owned(*, user=None, email: str | None = None):
    if user is None and not email:
        raise ValidationError("Give a user or an email address.", code="who")
    if user is not None:
        return Comment.objects.filter(user=user)
    return Comment.objects.filter(user__isnull=True, email__iexact=email)


def comment_export_for(*, user=None, email: str | None = None) -> list[dict]:
    """Everything stored about one commenter's comments, as plain data (oldest first)."""
    rows = _owned(user=user, email=email).select_related("article").order_by("created_at", "id")
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
    if user is None and not email:
        raise ValidationError("Give a user or an email address.", code="who")
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


@transaction.atomic
def comments_erase_for(*, user=None, email: str | None = None, mode: str = "anonymise") -> int:
    """Erase one commenter's personal data. "anonymise" keeps the text under "Anonymous";
    "remove" also blanks the text and leaves "This comment was removed". Replies stay."""
    if mode not in {"remove", "anonymise"}:
        raise ValidationError("mode must be 'remove' or 'anonymise'.", code="mode")
    comments = _owned(user=user, email=email)
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
    _thread_changed(*Comment.objects.filter(pk__in=ids).values_list("article_id", flat=True))
    return Comment.objects.filter(pk__in=ids).update(**changes)
