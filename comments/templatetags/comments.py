"""Template tags for the article page: the thread, the reader's part, the comment body."""

import re

from django import template
from django.utils.html import format_html, format_html_join

from comments.rules import URL_RE

register = template.Library()
TRAILING = ".,;:!?)]}'\""
PARAGRAPHS = re.compile(r"\n\s*\n")


def _link(url: str):
    href = url if url.lower().startswith(("http://", "https://")) else f"http://{url}"
    return format_html('<a href="{}" rel="nofollow ugc noopener">{}</a>', href, url)


def _linked(text: str):
    pieces = []
    for index, part in enumerate(URL_RE.split(text)):
        if index % 2 and part:
            url = part.rstrip(TRAILING)
            pieces.extend([_link(url), part[len(url) :]])
        else:
            pieces.append(part)
    return format_html_join("", "{}", ((piece,) for piece in pieces))


@register.filter
def comment_body(text: str):
    """Plain text as paragraphs with line breaks and linked URLs; nothing typed is HTML."""
    paragraphs = [p.strip() for p in PARAGRAPHS.split(text.replace("\r\n", "\n")) if p.strip()]
    lines = (
        (
            format_html_join(
                format_html("<br>{}", "\n"), "{}", ((_linked(line),) for line in p.split("\n"))
            ),
        )
        for p in paragraphs
    )
    return format_html_join("\n", "<p>{}</p>", lines)


@register.simple_tag(takes_context=True)
def comment_thread(context, article):
    """The page of the thread the request asks for (?cpage=, ?corder=)."""
    from comments import views

    return views.thread_for(context["request"], article)


@register.simple_tag(takes_context=True)
def comment_reader(context, article):
    """The per-reader part: form (prefilled), "commenting as", the reader's own comments."""
    from comments import views

    return views.reader_for(context["request"], article)


@register.simple_tag
def pending_comment_count() -> int:
    from comments.models import Comment

    return Comment.objects.pending().count()


@register.simple_tag
def comment_account(user) -> dict:
    """For the account page: the user's comments and reply subscriptions, with links."""
    from django.urls import reverse

    from comments import tokens
    from comments.models import Comment, Subscription

    comments = list(
        Comment.objects.filter(user=user).select_related("article").order_by("-created_at")[:50]
    )
    subscriptions = list(Subscription.objects.filter(user=user).select_related("comment__article"))
    for subscription in subscriptions:
        token = tokens.unsubscribe_token(
            email=subscription.email, kind="reply", subscription_id=subscription.pk
        )
        subscription.unsubscribe_url = reverse("comments:unsubscribe", args=[token])
    return {"comments": comments, "subscriptions": subscriptions}
