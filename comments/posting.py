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


def post(
    sent: Submission, *, conf: DiscussionSettings | None = None, record: "Record | None" = None
) -> Comment:
    """Store a reader's comment, judged by the site's rules (``conf``: the discussion
    settings the caller already read; ``record``: what article_for read with the article,
    used when it was read for this commenter); its notification is queued with it. Only
    the writes run in a transaction (``_store``): the checks before them only read, and the
    moderation hook, which may take seconds, must not hold a transaction open (on SQLite,
    whose transactions take the write lock when they begin, it would stall every writer)."""
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
    if record is None or record.sender != _sender(article.pk, user, email, sent.ip_address):
        record = _record(article.pk, user=user, email=email, ip=sent.ip_address)[1]
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
class Record:
    """What the database knows of a commenter about to post on an article, read with the
    article in one query (article_for)."""

    sender: tuple  # whom it was read for: article, account, address, IP address (_sender)
    ban: Ban | None  # the ban in force on them (bans.in_force_on), if any
    said_here: bool  # whether they commented on the article before (a duplicate is possible)
    next_id: int | None = None  # their comment's id, reserved (PostgreSQL; None elsewhere)


def _sender(article_id: int, user, email: str, ip: str | None) -> tuple:
    """The key a Record is read for, and post() compares with its cleaned sender."""
    return (article_id, user.pk if user is not None else None, email, ip)


def _record_query(published: bool, signed_in: bool, _ban: bool, _ip: bool, using: str, **values):
    """The one row _record reads (core.prepared compiles it once per shape): the article
    (``published``: only if readers may see it), with the commenter's record. ``values``:
    the article's id, now, and the commenter's user_id or email, ban_email (normalised)
    and ip (normalised) when the shape says they are there."""
    user, email, now = values.get("user_id"), values.get("email", ""), values["now"]
    in_force = Ban.objects.in_force(now).naming(
        user=user, email=values.get("ban_email", ""), ip=values.get("ip", "")
    )
    banned = in_force.order_by(*bans.FIRST).values("pk")[:1]
    mine = Comment.objects.filter(article=values["article_id"]).by_commenter(
        user=user if signed_in else None, email=email
    )
    columns = {"poster_ban": Subquery(banned), "poster_said_here": Exists(mine)}
    if (next_id := Comment.objects.next_id(using)) is not None:
        columns["poster_next_id"] = next_id
    articles = Article.objects.using(using)
    if published:
        articles = articles.published(now)
    return articles.filter(pk=values["article_id"]).annotate(**columns)


_RECORD = Prepared(_record_query)


def article_for(article_id: int, *, user, email: str, ip: str | None):
    """The published article a reader posts to, with their Record; None when there is
    no such article. ``email``: the address as sent (an account's own is used for it)."""
    user = user if user is not None and user.is_authenticated else None
    email = user.email if user is not None else email.strip()  # as the form cleans it
    return _record(article_id, user=user, email=email, ip=ip, published=True)


def _record(
    article_id: int, *, user, email: str, ip: str | None, published: bool = False
) -> tuple[Article | None, Record] | None:
    """One query where there were four: the article, the ban check (bans.in_force_on),
    whether the commenter said anything on the article before (only then are their words
    compared: _check_duplicate), and the new comment's id, so it is stored with its
    thread path in one INSERT (CommentQuerySet.save_in_thread). The ban itself is read
    only when there is one. Compiled once (core.prepared): building it cost more than
    running it."""
    using = router.db_for_write(Comment)
    ban_email = normalise_email(email)
    address = Ban._meta.get_field("ip_address").get_prep_value(ip) if ip else ""
    values = {"article_id": article_id, "now": timezone.now()}
    if user is not None:
        values["user_id"] = user.pk
    else:
        values["email"] = email
    if ban_email:
        values["ban_email"] = ban_email
    if address:
        values["ip"] = address
    shape = (published, user is not None, bool(ban_email), bool(address), using)
    found = _RECORD.read(shape, **values)
    sender = _sender(article_id, user, email, ip)
    if not found:
        if published:
            return None
        # The article went meanwhile (a caller's own, unpublished or not): the INSERT will say so.
        ban = bans.standing(user=user, email=email, ip=ip)
        return None, Record(sender=sender, ban=ban, said_here=True)
    article = found[0]
    ban_id = article.poster_ban
    ban = Ban.objects.using(using).get(pk=ban_id) if ban_id is not None else None
    next_id = getattr(article, "poster_next_id", None)
    return article, Record(sender, ban, article.poster_said_here, next_id)


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
    with transaction.atomic():  # after the checker: no transaction open while it thinks
        return _save(comment, subscribe=subscribe, checked=checked)


def _save(comment: Comment, *, subscribe, checked: str) -> Comment:
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
