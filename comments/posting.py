"""Posting a reader's comment: judged by the site's rules, placed in its thread, stored.

A view hands over one ``Submission`` (what the reader sent, and from where); ``post``
checks it, takes the flood slot, judges and stores the comment, and queues its emails.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.db.models import Exists, Subquery
from django.utils import timezone

from accounts import identity
from articles.models import Article
from comments import bans, caching, flood, hook, rules, subscriptions, tasks
from comments.models import Ban, Comment, DiscussionSettings, normalise_email
from comments.moderation import is_moderator, log
from core import outbox, text
from core.prepared import Prepared

# How many of a commenter's latest comments on an article a new one is compared with,
# loosely; older ones only word for word (no schema change: the comparison is in Python).
DUPLICATE_WINDOW = 50


@dataclass(frozen=True)
class Submission:
    """A reader's comment as sent: the form's fields, who sent it and from where.

    ``proven_email``: the guest address the reader's browser proved (accounts.identity)."""

    article: Article
    body: str
    parent: Comment | None = None
    user: object = None
    name: str = ""
    email: str = ""
    url: str = ""
    ip_address: str | None = None
    user_agent: str = ""
    subscribe: bool = False
    proven_email: str = ""


def comment_create(*, conf: DiscussionSettings | None = None, **sent) -> Comment:
    """post() for callers that hold the fields rather than a Submission (admin, demo data)."""
    return post(Submission(**sent), conf=conf)


@transaction.atomic
def post(sent: Submission, *, conf: DiscussionSettings | None = None) -> Comment:
    """Store a reader's comment, judged by the site's rules (``conf``: the discussion
    settings the caller already read); its notification is queued with it."""
    conf = conf or DiscussionSettings.load()
    user = sent.user if sent.user is not None and sent.user.is_authenticated else None
    article, name, email, url = sent.article, sent.name, sent.email, sent.url
    if reason := rules.closed_reason(article, conf):
        raise ValidationError(reason, code="closed")
    rules.check_author(conf=conf, user=user, name=name, email=email)
    name = rules.clean_name(name)
    rules.check_parent(article=article, parent=sent.parent)
    body = rules.clean_body(sent.body)
    if user is not None:
        name, email, url = "", user.email, ""
    record = _record(article=article, user=user, email=email, ip=sent.ip_address)
    ban = record.ban
    if ban is not None and ban.kind == Ban.Kind.BAN:
        raise bans.refusal(ban)
    taken = [] if is_moderator(user) else flood.acquire(user=user, email=email, ip=sent.ip_address)
    try:
        if record.said_here:
            _check_duplicate(article=article, user=user, email=email, body=body)
        comment = Comment(
            pk=record.next_id,
            article=article,
            body=body,
            user=user,
            name=name,
            email=email.strip(),
            url=url.strip(),
            ip_address=sent.ip_address,
            user_agent=sent.user_agent[:300],
        )
        return _store(
            comment,
            sent.parent,
            conf,
            subscribe=sent.subscribe,
            proven=sent.proven_email,
            probation=ban,
        )
    except BaseException:
        flood.release(taken)  # refused or failed: the reader may send it again at once
        raise


@dataclass(frozen=True)
class _Record:
    """What the database knows of a commenter about to post, read in one query."""

    ban: Ban | None  # the ban in force on them (bans.in_force_on), if any
    said_here: bool  # whether they commented on the article before (a duplicate is possible)
    next_id: int | None = None  # their comment's id, reserved (PostgreSQL; None elsewhere)


def _record_query(signed_in: bool, _ban_email: bool, _ip: bool, using: str, **values):
    """The one row _record reads (core.prepared compiles it once per shape): ``values``
    are the article's id, now, and the commenter's user_id or email, ban_email (normalised)
    and ip (normalised) when the shape says they are there."""
    user, email = values.get("user_id"), values.get("email", "")
    in_force = Ban.objects.in_force(values["now"]).naming(
        user=user, email=values.get("ban_email", ""), ip=values.get("ip", "")
    )
    banned = in_force.order_by(*bans.FIRST).values("pk")[:1]
    mine = Comment.objects.filter(article=values["article_id"]).by_commenter(
        user=user if signed_in else None, email=email
    )
    columns = {"ban": Subquery(banned), "said_here": Exists(mine)}
    if (next_id := Comment.objects.next_id(using)) is not None:
        columns["next_id"] = next_id
    return Article.objects.using(using).filter(pk=values["article_id"]).values(**columns)


_RECORD = Prepared(_record_query)


def _record(*, article: Article, user, email: str, ip: str | None) -> _Record:
    """One query where there were three: the ban check (bans.in_force_on), whether the
    commenter said anything on the article before (only then are their words compared:
    _check_duplicate), and the new comment's id, so it is stored with its thread path in
    one INSERT (CommentQuerySet.save_in_thread). The ban itself is read only when there
    is one. Compiled once (core.prepared): building it cost more than running it."""
    using = router.db_for_write(Comment)
    ban_email = normalise_email(email)
    ip = Ban._meta.get_field("ip_address").get_prep_value(ip) if ip else ""
    values = {"article_id": article.pk, "now": timezone.now()}
    if user is not None:
        values["user_id"] = user.pk
    else:
        values["email"] = email
    if ban_email:
        values["ban_email"] = ban_email
    if ip:
        values["ip"] = ip
    shape = (user is not None, bool(ban_email), bool(ip), using)
    rows = _RECORD.read(shape, **values)
    if not rows:  # the article went meanwhile: the INSERT will say so
        return _Record(ban=bans.standing(user=user, email=email, ip=ip), said_here=True)
    row = rows[0]
    ban = Ban.objects.using(using).get(pk=row["ban"]) if row["ban"] is not None else None
    return _Record(ban=ban, said_here=row["said_here"], next_id=row.get("next_id"))


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


def _store(
    comment: Comment,
    parent: Comment | None,
    conf: DiscussionSettings,
    *,
    subscribe,
    proven,
    probation: Ban | None = None,
) -> Comment:
    _place(comment, parent, conf)
    _judge(comment, conf, proven_email=proven)
    checked = ""
    if comment.status != Comment.Status.SPAM and not is_moderator(comment.user):
        checked = hook.apply(comment)  # after the rules that refuse outright
    if probation is not None and comment.status == Comment.Status.APPROVED:
        # After the checker: its "approve" never publishes a commenter on probation.
        comment.status = Comment.Status.PENDING
        comment.hold_reason = f"on probation: {probation.reason}"[:200]
    Comment.objects.save_in_thread(comment)
    if comment.status == Comment.Status.APPROVED:
        caching.threads_changed(comment.article_id)
    log(comment, actor=comment.user, action="post", body_before="", reason=comment.hold_reason)
    if checked:
        log(comment, actor=None, action="checker", body_before="", reason=checked)
    if subscribe and comment.email:
        subscriptions.subscribe(comment, user=comment.user)
    _notify_posted(comment)
    return comment


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


def verdict(comment: Comment, conf: DiscussionSettings, *, proven_email: str) -> rules.Verdict:
    """What the rules make of comment were it posted now (a new comment or an edit)."""
    if is_moderator(comment.user):
        return rules.Verdict(Comment.Status.APPROVED)
    return rules.judge(comment, conf, approved_before=lambda: _trust_count(comment, proven_email))


def _judge(comment: Comment, conf: DiscussionSettings, *, proven_email: str) -> None:
    ruling = verdict(comment, conf, proven_email=proven_email)
    comment.status, comment.hold_reason = ruling.status, ruling.reason


def _notify_posted(comment: Comment) -> None:
    """Hand the notifications to the task worker, with the comment's own commit."""
    if comment.status == Comment.Status.PENDING:
        outbox.enqueue(tasks.notify_held, comment.pk)
    elif comment.status == Comment.Status.APPROVED:
        outbox.enqueue(tasks.notify_approved, comment.pk)
