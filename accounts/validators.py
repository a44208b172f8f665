"""Checks on what a person may call themselves: the same rule as a commenter's name."""

from django.core.exceptions import ValidationError

from newsroom.text import forbidden_in_name, is_blank


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
