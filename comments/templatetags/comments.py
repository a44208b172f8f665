"""Template tags for the article page: the thread, the reader's part, the comment body."""

from django import template

from comments import render

register = template.Library()


@register.filter
def comment_body(text: str):
    """Plain text as paragraphs with line breaks and linked URLs; nothing typed is HTML."""
    return render.body_html(text)


@register.simple_tag
def thread_html(thread):
    """The thread page as nested lists, built in Python (comments/render.py)."""
    return thread.html or render.thread_html(thread)


@register.simple_tag
def thread_pages(thread):
    """The thread's page links, built in Python (comments/render.py)."""
    return render.pages_html(thread)


@register.simple_tag(takes_context=True)
def comment_thread(context, article):
    """The page of the thread the request asks for (?cpage=, ?corder=)."""
    from comments import caching

    return caching.thread_for(context["request"], article)


@register.simple_tag
def comment_live(article, thread):
    """The live notice's attributes on the thread's section (comments.js polls the URL and
    compares with the page's newest comment); nothing when the thread is closed or the
    notice is off. The same bytes for every reader."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils.html import format_html

    every = settings.COMMENTS_LIVE_POLL_SECONDS
    if thread.closed or every <= 0:
        return ""
    return format_html(
        ' data-live-url="{}" data-live-show="{}" data-live-latest="{}" data-live-count="{}"'
        ' data-live-every="{}"',
        reverse("comments:live", args=[article.pk]),
        reverse("comments:permalink", args=[0]),
        thread.latest,
        thread.count,
        every,
    )


@register.simple_tag(takes_context=True)
def comment_reader(context, article):
    """The per-reader part: form (prefilled), "commenting as", the reader's own comments."""
    from comments import reader

    return reader.reader_for(context["request"], article)


@register.simple_tag
def pending_comment_count() -> int:
    from comments.models import Comment

    return Comment.objects.awaiting_moderation().count()


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
