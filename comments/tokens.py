"""Signed tokens: the form timestamp and the links in notification emails."""

import time

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError

FORM_SALT = "comments.form"
MODERATE_SALT = "comments.moderate"
UNSUBSCRIBE_SALT = "comments.unsubscribe"
CONFIRM_SALT = "comments.confirm"


def form_token(article_id: int, *, issued_at: float | None = None) -> str:
    """A token binding the form to its article and the time it was shown."""
    issued = int(issued_at if issued_at is not None else time.time())
    return signing.dumps({"a": article_id, "t": issued}, salt=FORM_SALT)


def form_token_check(token: str, *, article_id: int, now: float | None = None) -> None:
    """Raise ValidationError unless token is genuine, for this article, and neither too fast
    (a bot) nor too old (a stale page)."""
    try:
        data = signing.loads(token, salt=FORM_SALT)
    except signing.BadSignature as error:
        raise ValidationError(
            "The form was changed on its way here; please send it again.", code="tampered"
        ) from error
    if data.get("a") != article_id:
        raise ValidationError(
            "This form belongs to another article; please send it again.", code="tampered"
        )
    age = (now if now is not None else time.time()) - data.get("t", 0)
    if age < settings.COMMENTS_MIN_SECONDS:
        raise ValidationError(
            "That was quicker than anyone can type. Please check your comment and send it again.",
            code="too_fast",
        )
    if age > settings.COMMENTS_FORM_MAX_AGE:
        raise ValidationError(
            "This form was open too long and has expired. Your text is kept below: send it again.",
            code="too_old",
        )


def moderation_token(*, comment, action: str, moderator_id: int) -> str:
    payload = {"c": comment.pk, "a": action, "m": moderator_id, "s": comment.status}
    return signing.dumps(payload, salt=MODERATE_SALT)


def moderation_token_read(token: str) -> dict:
    """The payload of a moderation link; ValidationError when forged or expired."""
    try:
        return signing.loads(
            token, salt=MODERATE_SALT, max_age=settings.COMMENTS_MODERATION_LINK_MAX_AGE
        )
    except signing.SignatureExpired as error:
        raise ValidationError("This moderation link has expired.", code="expired") from error
    except signing.BadSignature as error:
        raise ValidationError("This moderation link is not valid.", code="invalid") from error


def unsubscribe_token(*, email: str, kind: str, subscription_id: int | None = None) -> str:
    return signing.dumps({"e": email, "k": kind, "s": subscription_id}, salt=UNSUBSCRIBE_SALT)


def confirm_token(subscription_id: int) -> str:
    return signing.dumps({"s": subscription_id}, salt=CONFIRM_SALT)


def signed_read(token: str, *, salt: str) -> dict:
    try:
        return signing.loads(token, salt=salt)
    except signing.BadSignature as error:
        raise ValidationError("This link is not valid.", code="invalid") from error
