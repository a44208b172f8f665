"""What the site remembers about one reader: saved details and their own comments, each in a
signed cookie, kept apart from the thread so a cache can serve the thread to everyone.

A guest has no session: remembering their comment writes nothing to the database, so a
database lost just after their comment committed cannot turn the stored comment into an
error page, and a guest's cached page needs no session lookup."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from comments.models import Comment

DETAILS_COOKIE = "comment_author"
DETAILS_SALT = "comments.details"
# Readable by comments.js (holds nothing but "1"): only readers who carry it ask for their
# per-reader part, so everybody else's cached page costs no second request.
HINT_COOKIE = "comment_reader"
MINE_COOKIE = "comments_mine"
MINE_SALT = "comments.mine"
MINE_KEPT = 20  # the newest comments a guest may still see while held, edit or delete
YEAR = 365 * 24 * 60 * 60


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
        response.set_signed_cookie(
            DETAILS_COOKIE,
            value,
            salt=DETAILS_SALT,
            max_age=YEAR,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
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


def remember_comment(request: HttpRequest, response: HttpResponse, comment: Comment) -> None:
    if comment.user_id is None:
        ids = (guest_ids(request) + [comment.pk])[-MINE_KEPT:]
        response.set_signed_cookie(
            MINE_COOKIE,
            ".".join(map(str, ids)),
            salt=MINE_SALT,
            max_age=settings.SESSION_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )


def own_comments(request: HttpRequest, article_id: int) -> list[Comment]:
    """The reader's own comments on this article with something others cannot see yet (held,
    or a held edit) or that they may still edit or delete (published within the edit window),
    newest first. A published text is in the thread: the page links to it, never repeats it."""
    user = request.user
    editable_since = timezone.now() - timedelta(seconds=settings.COMMENTS_EDIT_WINDOW)
    awaiting = Q(status=Comment.Status.PENDING) | Q(status=Comment.Status.APPROVED) & ~Q(
        pending_body=""
    )
    editable = Q(status=Comment.Status.APPROVED, created_at__gte=editable_since)
    mine = Comment.objects.filter(article_id=article_id).filter(awaiting | editable)
    if user.is_authenticated:
        mine = mine.filter(user=user)
    else:
        ids = guest_ids(request)
        if not ids:
            return []
        mine = mine.filter(pk__in=ids)
    return list(mine.order_by("-created_at")[:10])
