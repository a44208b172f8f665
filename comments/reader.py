"""What the site remembers about one reader: saved details and their own comments, each in a
signed cookie, kept apart from the thread so a cache can serve the thread to everyone.

A guest has no session: remembering their comment writes nothing to the database, so a
database lost just after their comment committed cannot turn the stored comment into an
error page, and a guest's cached page needs no session lookup.

reader_for builds the reader's part of an article page from these (the form, "commenting
as", their own comments); the comment_reader tag and a re-shown form use it."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from articles.models import Article
from comments import caching, editing, rules
from comments.forms import CommentForm
from comments.models import Comment
from core import pagecache

DETAILS_COOKIE = "comment_author"
DETAILS_SALT = "comments.details"
# Readable by comments.js (holds nothing but "1"): only readers who carry it ask for their
# per-reader part, so everybody else's cached page costs no second request.
HINT_COOKIE = "comment_reader"
MINE_COOKIE = "comments_mine"
MINE_SALT = "comments.mine"
GUEST_COOKIE = "comments_guest"  # a random id: the guest's reactions and reports
GUEST_SALT = "comments.guest"
MINE_KEPT = 20  # the newest comments a guest may still see while held, edit or delete
YEAR = 365 * 24 * 60 * 60


def keep_signed(
    request: HttpRequest, response: HttpResponse, name: str, value: str, *, salt: str, max_age: int
) -> None:
    """Set one of the reader's signed cookies: script cannot read it, same-site only."""
    response.set_signed_cookie(
        name,
        value,
        salt=salt,
        max_age=max_age,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def saved_details(request: HttpRequest) -> dict:
    try:
        data = request.get_signed_cookie(DETAILS_COOKIE, salt=DETAILS_SALT, default=None)
        return signing.loads(data) if data else {}
    except signing.BadSignature:
        return {}


def remember_details(
    request: HttpRequest, response: HttpResponse, *, save: bool, name: str, email: str, url: str
) -> None:
    """Store the guest's details only when they ticked the opt-in; forget them otherwise."""
    if save:
        value = signing.dumps({"name": name, "email": email, "url": url})
        keep_signed(request, response, DETAILS_COOKIE, value, salt=DETAILS_SALT, max_age=YEAR)
    else:
        response.delete_cookie(DETAILS_COOKIE, samesite="Lax")
    remember_hint(request, response)


def remember_hint(request: HttpRequest, response: HttpResponse) -> None:
    """Tell comments.js that this guest has per-reader parts (saved details, own comments)."""
    response.set_cookie(HINT_COOKIE, "1", max_age=YEAR, samesite="Lax", secure=request.is_secure())


def guest_ids(request: HttpRequest) -> list[int]:
    """The ids of the guest's own comments, from their signed cookie (none if tampered)."""
    try:
        value = request.get_signed_cookie(
            MINE_COOKIE, salt=MINE_SALT, default="", max_age=settings.SESSION_COOKIE_AGE
        )
    except signing.BadSignature:
        return []
    return [int(part) for part in value.split(".") if part.isdecimal()][-MINE_KEPT:]


def guest_key(request: HttpRequest) -> str:
    """The guest's random browser id from its signed cookie ("" if none or tampered)."""
    try:
        value = request.get_signed_cookie(GUEST_COOKIE, salt=GUEST_SALT, default="")
    except signing.BadSignature:
        return ""
    return value if 16 <= len(value) <= 40 else ""


def new_guest_key() -> str:
    return secrets.token_urlsafe(18)


def remember_guest_key(request: HttpRequest, response: HttpResponse, key: str) -> None:
    """Keep the guest's id (a year) and tell comments.js to fetch the reader's part."""
    keep_signed(request, response, GUEST_COOKIE, key, salt=GUEST_SALT, max_age=YEAR)
    remember_hint(request, response)


def remember_comment(request: HttpRequest, response: HttpResponse, comment: Comment) -> None:
    if comment.user_id is None:
        ids = (guest_ids(request) + [comment.pk])[-MINE_KEPT:]
        value = ".".join(map(str, ids))
        max_age = settings.SESSION_COOKIE_AGE
        keep_signed(request, response, MINE_COOKIE, value, salt=MINE_SALT, max_age=max_age)


def own_comments(request: HttpRequest, article_id: int) -> list[Comment]:
    """The reader's own comments on this article with something others cannot see yet (held,
    or a held edit) or that they may still edit or delete (published within the edit window),
    newest first. A published text is in the thread: the page links to it, never repeats it."""
    user = request.user
    ids = [] if user.is_authenticated else guest_ids(request)
    if not (user.is_authenticated or ids):
        return []  # a guest without comments: no query built (a millisecond of a page)
    editable_since = timezone.now() - timedelta(seconds=settings.COMMENTS_EDIT_WINDOW)
    awaiting = Q(status=Comment.Status.PENDING) | Q(status=Comment.Status.APPROVED) & ~Q(
        pending_body=""
    )
    editable = Q(status=Comment.Status.APPROVED, created_at__gte=editable_since)
    mine = Comment.objects.filter(article_id=article_id).filter(awaiting | editable)
    mine = mine.filter(user=user) if user.is_authenticated else mine.filter(pk__in=ids)
    return list(mine.order_by("-created_at")[:10])


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def reader_for(request, article: Article, form: CommentForm | None = None) -> dict:
    """The per-reader part. On a page the cache will share it holds nobody's details or
    comments: the reader's browser fetches those from ``reader_part``."""
    conf = caching.discussion_settings(request)
    closed = rules.closed_reason(article, conf)
    shared = pagecache.is_shared(request)
    if form is None and not closed:
        initial = {"parent": _int(request.GET.get("replytocom"))}
        details = {} if shared else saved_details(request)
        initial |= details | {"save_details": bool(details)}
        form = CommentForm(
            initial=initial,
            article=article,
            user=request.user,
            require_name_email=conf.require_name_email,
        )
    anchor = f"{article.get_absolute_url()}#respond"
    login_url = f"{reverse('account_login')}?{urlencode({'next': anchor})}"
    return {
        "form": form,
        "closed": closed,
        # A refused form is shown again whatever the rules, so the reader keeps their text.
        "login_required": conf.require_login
        and not request.user.is_authenticated
        and closed == ""
        and not (form is not None and form.is_bound),
        "next": anchor,
        "login_url": login_url,
        "logout_url": f"{reverse('account_logout')}?{urlencode({'next': anchor})}",
        "change_url": f"{reverse('account_logout')}?{urlencode({'next': login_url})}",
        "own": [] if shared else own_for(request, article),
        "part_url": reverse("comments:reader", args=[article.pk]),
        # A shared page's form token is as old as the page: comments.js fetches a fresh one.
        "shared": shared,
    }


def own_for(request, article: Article) -> list[Comment]:
    ids = guest_ids(request)
    own = own_comments(request, article.pk)
    for comment in own:
        comment.changeable = editing.can_change(comment=comment, user=request.user, guest_ids=ids)
    return own
