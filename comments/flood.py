"""Flood control: one comment per commenter (and per address) every few seconds."""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone

from comments.models import Comment


def _keys(*, user, email: str, ip: str | None) -> list[str]:
    who = f"user:{user.pk}" if user else f"email:{email.lower()}"
    keys = [f"comments:flood:{who}"]
    if ip:
        keys.append(f"comments:flood:ip:{ip}")
    return keys


def _refusal() -> ValidationError:
    return ValidationError(
        f"You are posting too quickly. Wait {settings.COMMENTS_FLOOD_SECONDS} seconds "
        "and send it again.",
        code="flood",
    )


def acquire(*, user, email: str, ip: str | None) -> list[str]:
    """Take the commenter's (and their address's) flood slots, or refuse.

    cache.add is the lock: it is atomic in Redis (SET NX), so of two simultaneous posts
    through any number of workers only one gets the slot. When the cache cannot answer
    (Redis down: add fails and get misses), the database judges instead: a comment by the
    same commenter or address within the window refuses the post. Returns the keys taken,
    to give back with release if the comment is refused later on.
    """
    seconds = settings.COMMENTS_FLOOD_SECONDS
    if seconds <= 0:
        return []  # flood control off (a "0 seconds" slot raced concurrent posts into refusals)
    taken = []
    for key in _keys(user=user, email=email, ip=ip):
        if cache.add(key, 1, seconds):
            taken.append(key)
            continue
        if cache.get(key) is None and not _recent_in_database(user=user, email=email, ip=ip):
            continue  # the cache is down (or the slot just expired): the database says go
        release(taken)
        raise _refusal()
    return taken


def _recent_in_database(*, user, email: str, ip: str | None) -> bool:
    since = timezone.now() - timedelta(seconds=settings.COMMENTS_FLOOD_SECONDS)
    recent = Comment.objects.filter(created_at__gte=since)
    mine = recent.by_commenter(user=user, email=email)
    return mine.exists() or bool(ip and recent.filter(ip_address=ip).exists())


def release(keys: list[str]) -> None:
    if keys:
        cache.delete_many(keys)
