"""The site's discussion rules, as pure checks on a comment about to be saved."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.models import Article
from comments.models import Comment, DiscussionSettings
from core import text

URL_RE = re.compile(r"(https?://[^\s<>\"']+|www\.[^\s<>\"']+)", re.IGNORECASE)
PARENT_REFUSED = "You can only reply to a published comment on this article."


@dataclass(frozen=True)
class Verdict:
    status: str
    reason: str = ""


def closed_reason(article: Article, conf: DiscussionSettings, now=None) -> str:
    """Why comments on article are closed, or "" when they are open."""
    if not article.comments_open:
        return "Comments are closed on this article."
    if conf.close_after_days and article.published_at:
        now = now or timezone.now()
        if article.published_at < now - timedelta(days=conf.close_after_days):
            return f"Comments close {conf.close_after_days} days after publication."
    return ""


def closes_at(article: Article, conf: DiscussionSettings):
    """When comments on article close by age (close_after_days), or None if they never do."""
    if not (article.comments_open and conf.close_after_days and article.published_at):
        return None
    return article.published_at + timedelta(days=conf.close_after_days)


def count_links(text: str) -> int:
    return len(URL_RE.findall(text))


def first_match(words: list[str], fields: list[str]) -> str:
    haystack = "\n".join(field.lower() for field in fields if field)
    return next((word for word in words if word in haystack), "")


def judge(
    comment: Comment, conf: DiscussionSettings, *, approved_before: int | Callable[[], int]
) -> Verdict:
    """WordPress's order: disallowed words → spam; then manual approval, links, held words,
    and the trusted-commenter rule hold; otherwise the comment is published.
    ``approved_before`` may be a function: its query then runs only if that rule is reached."""
    fields = [comment.body, comment.name, comment.email, comment.url, comment.ip_address or ""]
    if first_match(DiscussionSettings.words(conf.disallowed_words), fields):
        return Verdict(Comment.Status.SPAM, "matched a disallowed word")
    if conf.require_approval:
        return Verdict(Comment.Status.PENDING, "manual approval is on")
    links = count_links(comment.body)
    if conf.hold_links and links >= conf.hold_links:
        return Verdict(Comment.Status.PENDING, f"{links} links, limit {conf.hold_links}")
    if held := first_match(DiscussionSettings.words(conf.moderation_words), fields):
        return Verdict(Comment.Status.PENDING, f'held word: "{held[:150]}"')
    if conf.trusted_after and callable(approved_before):
        approved_before = approved_before()
    if conf.trusted_after and approved_before < conf.trusted_after:
        reason = (
            "first comment"
            if approved_before == 0
            else (f"{approved_before} approved comments, trusted after {conf.trusted_after}")
        )
        return Verdict(Comment.Status.PENDING, reason)
    return Verdict(Comment.Status.APPROVED)


def check_parent(*, article: Article, parent: Comment | None, asked: bool = False) -> None:
    """The reply-parent check, in its one home (the form and comments.posting both ask):
    a reply goes under a published comment of the same article. ``asked``: the reader
    named a parent, so finding none (a made-up id) is refused too."""
    if parent is None and not asked:
        return
    if (
        parent is None
        or parent.article_id != article.pk
        or parent.status != Comment.Status.APPROVED
    ):
        raise ValidationError(PARENT_REFUSED, code="tampered")


def check_author(*, conf: DiscussionSettings, user, name: str, email: str) -> None:
    if user is not None:
        return
    if conf.require_login:
        raise ValidationError("Please log in to comment.", code="login_required")
    if conf.require_name_email and (text.is_blank(name) or not email.strip()):
        raise ValidationError("Please give your name and email.", code="name_email")


def clean_name(name: str) -> str:
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


def clean_body(body: str) -> str:
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
