"""The moderation queue's tabs: pending, reported, featured, all, and "all by this
commenter"; the admin's list filters behind them and their counts."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from comments.models import Comment, CommentQuerySet, normalise_email

QUEUE_PARAM = "queue"
COMMENTER_PARAM = "commenter"
DEFAULT = "pending"
# The tabs draw these filters (templates/admin/comments/comment/change_list.html).
HIDDEN = "admin/comments/comment/_tab_filter.html"


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    method: str  # the CommentQuerySet method that picks its comments; "" for all


# The tabs, in order. A tab shows when CommentQuerySet has its method: "reported" comes
# with the readers' reports (CommentQuerySet.reported), "featured" with editors' picks
# (CommentQuerySet.featured).
TABS = [
    Tab("pending", "Pending", "awaiting_moderation"),
    Tab("reported", "Reported", "reported"),
    Tab("featured", "Featured", "featured"),
    Tab("all", "All", ""),
]


def tabs() -> list[Tab]:
    return [tab for tab in TABS if not tab.method or hasattr(CommentQuerySet, tab.method)]


def _pick(queryset, tab: Tab):
    return getattr(queryset, tab.method)() if tab.method else queryset


def commenter_key(comment: Comment) -> str:
    """Who wrote comment, as the "all by this commenter" view names them: the account, or
    for a guest the normalised address (names typed with it do not matter)."""
    if comment.user_id:
        return f"user:{comment.user_id}"
    return f"email:{normalise_email(comment.email)}" if comment.email.strip() else ""


def by_commenter(queryset, key: str):
    kind, _, value = key.partition(":")
    if kind == "user" and value.isdigit():
        return queryset.filter(user_id=int(value))
    if kind == "email" and value:
        return queryset.filter(user__isnull=True, email__iexact=value)
    return queryset.none()


def commenter_url(comment: Comment) -> str:
    """The queue's "all by this commenter" view of comment's writer ("" for a guest
    without an address)."""
    key = commenter_key(comment)
    if not key:
        return ""
    query = urlencode({QUEUE_PARAM: "all", COMMENTER_PARAM: key})
    return f"{reverse('admin:comments_comment_changelist')}?{query}"


class QueueFilter(admin.SimpleListFilter):
    """The tab shown: pending unless another is chosen. Drawn as tabs, not in the sidebar."""

    title = "queue"
    parameter_name = QUEUE_PARAM

    def lookups(self, request, model_admin):
        return [(tab.key, tab.label) for tab in tabs()]

    template = HIDDEN

    def has_output(self) -> bool:
        return True  # a filter without output is not applied; HIDDEN keeps it off the sidebar

    def value(self):
        return super().value() or DEFAULT

    def queryset(self, request, queryset):
        tab = next((tab for tab in tabs() if tab.key == self.value()), None)
        return _pick(queryset, tab) if tab else queryset.none()


class CommenterFilter(admin.SimpleListFilter):
    """Everything by one commenter (commenter_key); reached from a row's commenter link."""

    title = "commenter"
    parameter_name = COMMENTER_PARAM

    def lookups(self, request, model_admin):
        return []

    template = HIDDEN

    def has_output(self) -> bool:
        return True  # a filter without output is not applied; HIDDEN keeps it off the sidebar

    def queryset(self, request, queryset):
        return by_commenter(queryset, self.value()) if self.value() else queryset


def _commenter_label(key: str) -> str:
    kind, _, value = key.partition(":")
    if kind == "user" and value.isdigit():
        user = get_user_model().objects.filter(pk=int(value)).first()
        return user.get_display_name() if user else "a deleted account"
    return value or "this commenter"


def tab_links(request) -> list[dict]:
    """The tabs to draw: label, link, count, and which is current. One count a tab, each
    read through its own indexes (one aggregate over all of them read the whole table)."""
    base = Comment.objects.order_by()
    shown = tabs()
    totals = {tab.key: _pick(base, tab).count() for tab in shown}
    commenter = request.GET.get(COMMENTER_PARAM, "")
    if commenter:
        totals["commenter"] = by_commenter(base, commenter).count()
    current = "commenter" if commenter else request.GET.get(QUEUE_PARAM) or DEFAULT
    links = [
        {
            "label": tab.label,
            "url": "?" + urlencode({QUEUE_PARAM: tab.key}),
            "count": totals[tab.key],
            "current": tab.key == current,
        }
        for tab in shown
    ]
    if commenter:
        links.append(
            {
                "label": f"All by {_commenter_label(commenter)}",
                "url": "?" + urlencode({QUEUE_PARAM: "all", COMMENTER_PARAM: commenter}),
                "count": totals["commenter"],
                "current": True,
            }
        )
    return links
