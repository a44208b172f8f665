"""Notification emails about comments: who gets which, with signed one-click links."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from comments import tokens
from comments.models import Comment, EmailOptOut, Subscription


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def unsubscribe_url(*, email: str, kind: str, subscription_id: int | None = None) -> str:
    token = tokens.unsubscribe_token(email=email, kind=kind, subscription_id=subscription_id)
    return absolute(reverse("comments:unsubscribe", kwargs={"token": token}))


def send(*, to: str, subject: str, template: str, context: dict, unsubscribe: str) -> None:
    """One plain-text email with a one-click unsubscribe (RFC 8058) header."""
    body = render_to_string(template, context | {"unsubscribe_url": unsubscribe})
    message = EmailMessage(
        subject=subject,
        body=body,
        to=[to],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.send()


def opted_out(email: str, kind: str) -> bool:
    return EmailOptOut.objects.filter(email=email.lower(), kind=kind).exists()


def moderators():
    perm = Permission.objects.get(codename="moderate_comment", content_type__app_label="comments")
    who = Q(is_superuser=True) | Q(groups__permissions=perm) | Q(user_permissions=perm)
    return get_user_model().objects.filter(who, is_active=True).exclude(email="").distinct()


def moderation_links(comment: Comment, moderator_id: int) -> dict:
    links = {}
    for action in ("approve", "spam", "remove"):
        token = tokens.moderation_token(comment=comment, action=action, moderator_id=moderator_id)
        links[action] = absolute(reverse("comments:moderate", kwargs={"token": token}))
    return links


def send_held(comment: Comment) -> int:
    sent = 0
    for moderator in moderators():
        if opted_out(moderator.email, EmailOptOut.Kind.MODERATION):
            continue
        send(
            to=moderator.email,
            subject=f"Please moderate: a comment on “{comment.article.title}”",
            template="comments/email/held.txt",
            context={
                "comment": comment,
                "links": moderation_links(comment, moderator.pk),
                "admin_url": absolute(reverse("admin:comments_comment_changelist")),
            },
            unsubscribe=unsubscribe_url(email=moderator.email, kind=EmailOptOut.Kind.MODERATION),
        )
        sent += 1
    return sent


def send_approved(comment: Comment, *, moderated: bool) -> int:
    """Authors, the commenter (when a moderator approved it), and reply subscribers."""
    context = {"comment": comment, "url": absolute(comment.get_absolute_url())}
    title = comment.article.title
    sent = 0
    for author in comment.article.authors.exclude(email="").exclude(email__iexact=comment.email):
        if not opted_out(author.email, EmailOptOut.Kind.ARTICLE):
            send(
                to=author.email,
                subject=f"New comment on “{title}”",
                template="comments/email/article_author.txt",
                context=context,
                unsubscribe=unsubscribe_url(email=author.email, kind=EmailOptOut.Kind.ARTICLE),
            )
            sent += 1
    if moderated and comment.email and not opted_out(comment.email, EmailOptOut.Kind.APPROVED):
        send(
            to=comment.email,
            subject=f"Your comment on “{title}” is published",
            template="comments/email/approved.txt",
            context=context,
            unsubscribe=unsubscribe_url(email=comment.email, kind=EmailOptOut.Kind.APPROVED),
        )
        sent += 1
    for subscription in comment.subscriptions.filter(is_confirmed=False):
        confirm = tokens.confirm_token(subscription.pk)
        send(
            to=subscription.email,
            subject=f"Confirm reply notifications on “{title}”",
            template="comments/email/confirm.txt",
            context=context
            | {"confirm_url": absolute(reverse("comments:confirm", args=[confirm]))},
            unsubscribe=unsubscribe_url(
                email=subscription.email, kind="reply", subscription_id=subscription.pk
            ),
        )
        sent += 1
    return sent + send_reply(comment)


def send_reply(comment: Comment) -> int:
    answered = comment.replied_to_id or comment.parent_id
    if answered is None:
        return 0
    subscribers = Subscription.objects.filter(comment_id=answered, is_confirmed=True)
    sent = 0
    for subscription in subscribers.exclude(email__iexact=comment.email):
        send(
            to=subscription.email,
            subject=f"{comment.author_name} replied to your comment on “{comment.article.title}”",
            template="comments/email/reply.txt",
            context={"comment": comment, "url": absolute(comment.get_absolute_url())},
            unsubscribe=unsubscribe_url(
                email=subscription.email, kind="reply", subscription_id=subscription.pk
            ),
        )
        sent += 1
    return sent
