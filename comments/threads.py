"""Reading a thread: one page of top-level comments with their replies, in one query (and
one more for the accounts among its commenters, when any wrote logged in)."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Max, Q

from accounts.models import User, display_name
from articles.models import Article
from comments.models import (
    SPEAKER_COLUMNS,
    THREAD_COLUMNS,
    Comment,
    DiscussionSettings,
    ThreadCount,
    author_name,
)
from core.prepared import Prepared

ROOT_STATUSES = [Comment.Status.APPROVED, Comment.Status.REMOVED]
PLACEHOLDERS = frozenset({Comment.Status.REMOVED, Comment.Status.SPAM})
PICKS_SHOWN = 10  # editors' picks above a thread, newest pick first
# The reader's choice of order (?sort=): how top-level comments follow each other, ties
# broken by id so a page holds the same comments however often it is read.
ORDERS = {
    "oldest": ("id",),
    "newest": ("-id",),
    "liked": ("-reaction_count", "id"),
}
ORDER_LABELS = {"oldest": "Oldest first", "newest": "Newest first", "liked": "Most liked"}


@dataclass(slots=True)
class ThreadRow:
    """One comment as a thread shows it: plain values, no model instance (a 2,000-comment
    thread built Comment and User objects for a quarter of its time). Fields in the order
    of comments.models.THREAD_COLUMNS, then SPEAKER_COLUMNS (None for a guest)."""

    pk: int
    parent_id: int | None
    depth: int
    status: str
    body: str
    name: str
    url: str
    user_id: int | None
    in_reply_to_name: str
    created_at: datetime
    edited_at: datetime | None
    reaction_count: int
    replied_to_id: int | None
    featured_at: datetime | None
    username: str | None = None
    display_name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    is_staff: bool | None = None
    avatar: str | None = None
    opens_children: bool = False
    closes: range = range(0)

    @property
    def author_name(self) -> str:
        """As Comment.author_name: the account's display name, else the name typed."""
        account = None
        if self.user_id:
            account = display_name(
                display_name=self.display_name,
                first_name=self.first_name,
                last_name=self.last_name,
                username=self.username,
            )
        return author_name(account_name=account, typed_name=self.name)

    @property
    def is_placeholder(self) -> bool:
        return self.status in PLACEHOLDERS


@dataclass
class ThreadPage:
    comments: list[ThreadRow]
    count: int  # approved comments on the article
    number: int
    num_pages: int
    newest_first: bool
    pages: list[int] = field(default_factory=list)
    order: str = "oldest"  # a key of ORDERS
    picks: list[ThreadRow] = field(default_factory=list)  # editors' picks, newest first
    latest: int = 0  # the newest approved comment's id (the live notice starts from it)
    author_ids: frozenset = frozenset()  # the article's bylines: their replies get a badge

    @property
    def orders(self) -> list[tuple[str, str]]:
        """The orders a reader may choose, as (?sort= value, label)."""
        return list(ORDER_LABELS.items())

    closed: str = ""  # why comments are closed, or ""
    html: str = ""  # the rendered rows (comments.render.thread_html), once rendered
    picks_html: str = ""  # the editors' picks block (comments.render.picks_html)


def roots(article_id: int):
    return Comment.objects.filter(
        article_id=article_id, parent__isnull=True, status__in=ROOT_STATUSES
    )


def counts(article: Article) -> dict:
    return counts_of(article.pk)


COUNT_NAMES = ("approved", "roots", "featured", "latest")
NO_COMMENTS = (0, 0, 0, None)


def _counts(article_id: int):
    return ThreadCount.objects.filter(article_id=article_id).values_list(*COUNT_NAMES)


_COUNTS = Prepared(_counts)


def counts_of(article_id: int) -> dict:
    """Approved comments, top-level rows, editors' picks and the newest approved id: the
    row the database keeps (comments.models.ThreadCount), one primary-key read however
    long the thread; none for an article no comment was ever written on."""
    found = _COUNTS.read(article_id=article_id)
    return dict(zip(COUNT_NAMES, found[0] if found else NO_COMMENTS, strict=True))


def recount(article_id: int) -> dict:
    """The same four numbers counted from the comments themselves: what the triggers of
    migration 0013 write into ThreadCount (tests/comments/test_thread_counts.py holds the
    two to each other)."""
    approved = Q(status=Comment.Status.APPROVED)
    found = Comment.objects.filter(article_id=article_id).aggregate(
        approved=Count("id", filter=approved),
        roots=Count("id", filter=Q(parent__isnull=True, status__in=ROOT_STATUSES)),
        featured=Count("id", filter=approved & Q(featured_at__isnull=False)),
        latest=Max("id", filter=approved),
    )
    return {name: found[name] for name in COUNT_NAMES}


USER = THREAD_COLUMNS.index("user_id")


def with_speakers(rows) -> list[ThreadRow]:
    """Thread rows from comment rows, each with its account's columns: the accounts that
    wrote any of them read in one query, none when only guests did."""
    ids = {row[USER] for row in rows if row[USER] is not None}
    if not ids:
        return [ThreadRow(*row) for row in rows]
    accounts = User.objects.filter(pk__in=ids).values_list("pk", *SPEAKER_COLUMNS)
    speakers = {pk: columns for pk, *columns in accounts}
    return [ThreadRow(*row, *speakers.get(row[USER], ())) for row in rows]


def picks(article: Article) -> list[ThreadRow]:
    """The article's editors' picks as thread rows (asked only when it has any)."""
    rows = Comment.objects.filter(article=article).featured().for_thread()[:PICKS_SHOWN]
    return with_speakers(rows)


def prune(comments: list[ThreadRow]) -> list[ThreadRow]:
    """Drop removed/spam rows with no published reply below them; keep the others as
    placeholders so their replies stay in place."""
    needed: set[int] = set()
    kept = []
    for comment in reversed(comments):
        if comment.status == Comment.Status.APPROVED or comment.pk in needed:
            kept.append(comment)
            if comment.parent_id:
                needed.add(comment.parent_id)
    kept.reverse()
    return kept


def mark_nesting(comments: list) -> list:
    """Give each row what a flat loop needs to print nested lists: opens_children and the
    number of levels it closes, so no template includes itself."""
    for index, comment in enumerate(comments):
        following = comments[index + 1].depth if index + 1 < len(comments) else 1
        comment.opens_children = following > comment.depth
        comment.closes = range(max(comment.depth - following, 0))
    return comments


def thread_page(
    article: Article,
    *,
    page: int = 1,
    newest_first: bool | None = None,
    conf=None,
    order: str | None = None,
) -> ThreadPage:
    """One page of the thread in ``order`` (a key of ORDERS; else newest_first, else the
    site's default), with the editors' picks when the article has any."""
    conf = conf or DiscussionSettings.load()
    newest_first = conf.newest_first if newest_first is None else newest_first
    if order not in ORDERS:
        order = "newest" if newest_first else "oldest"
    per_page = max(conf.per_page, 1)
    totals = counts(article)
    num_pages = max((totals["roots"] + per_page - 1) // per_page, 1)
    number = min(max(page, 1), num_pages)
    start = (number - 1) * per_page
    rows = _ROWS.read((order, start, per_page), article_id=article.pk)
    return ThreadPage(
        comments=mark_nesting(prune(with_speakers(rows))),
        count=totals["approved"],
        number=number,
        num_pages=num_pages,
        newest_first=order == "newest",
        pages=list(range(1, num_pages + 1)) if num_pages > 1 else [],
        order=order,
        picks=picks(article) if totals["featured"] else [],
        latest=totals["latest"] or 0,
    )


def _rows(order: str, start: int, per_page: int, *, article_id: int):
    page_roots = roots(article_id).order_by(*ORDERS[order]).values("id")
    return (
        Comment.objects.filter(
            article_id=article_id, root_id__in=page_roots[start : start + per_page]
        )
        .shown()
        .for_thread()
        .in_thread_order(newest_first=order == "newest", most_liked=order == "liked")
    )


_ROWS = Prepared(_rows)


def page_of(comment: Comment, *, newest_first: bool = False, conf=None) -> int:
    """The page of the thread on which comment appears."""
    conf = conf or DiscussionSettings.load()
    root_id = comment.root_id or comment.pk
    before = roots(comment.article_id)
    before = before.filter(id__gt=root_id) if newest_first else before.filter(id__lt=root_id)
    return before.count() // max(conf.per_page, 1) + 1
