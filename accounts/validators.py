"""Checks on what a person may call themselves: the same rule as a commenter's name."""

from django.conf import settings
from django.core.exceptions import ValidationError

from core.text import forbidden_in_name, is_blank


def validate_display_name(value: str) -> None:
    """No control or invisible formatting characters: they break the XML feeds and let one
    reader pass for another (an override can make a name read as someone else's)."""
    if any(map(forbidden_in_name, value)):
        raise ValidationError(
            "Use letters, digits, spaces and punctuation only: your name has an invisible "
            "or control character.",
            code="invisible",
        )
    if is_blank(value):
        raise ValidationError(
            "Your name shows nothing: use letters, digits or punctuation.", code="blank"
        )


def password_too_long(password: str | None) -> ValidationError | None:
    """The error for a password over ACCOUNTS_PASSWORD_MAX_LENGTH, or None.

    Hashing cost grows with the length, so a long enough one ties up a worker for seconds:
    it is refused before any hasher sees it."""
    limit = settings.ACCOUNTS_PASSWORD_MAX_LENGTH
    if password is None or len(password) <= limit:
        return None
    return ValidationError(
        "Use a password of at most %(limit)s characters (this one has %(length)s).",
        code="password_too_long",
        params={"limit": f"{limit:,}", "length": f"{len(password):,}"},
    )


class MaximumLengthValidator:
    """AUTH_PASSWORD_VALIDATORS entry: new passwords over the maximum are refused."""

    def validate(self, password: str, user=None) -> None:
        error = password_too_long(password)
        if error is not None:
            raise error

    def get_help_text(self) -> str:
        limit = settings.ACCOUNTS_PASSWORD_MAX_LENGTH
        return f"Your password can’t be longer than {limit:,} characters."
