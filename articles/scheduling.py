"""When the next scheduled article goes live, so cached listings expire at that moment.

Scheduled articles need no cron: every read compares the publish time with now. Cached
pages would hide a go-live until they expire, so listing pages expire at the next go-live.
The time is kept in the shared cache and recomputed from the database when it is unknown or
has passed (one query, once per go-live), and after every workflow transition.
"""

from datetime import datetime

from django.core.cache import cache
from django.utils import timezone

from articles.models import Article

KEY = "articles:next-go-live"
NONE = "none"  # cached answer for "nothing is scheduled"


def refresh_next_go_live(now: datetime | None = None) -> datetime | None:
    """Look up the next future publish time of a scheduled article and remember it."""
    now = now or timezone.now()
    upcoming = (
        Article.objects.filter(status=Article.Status.SCHEDULED, published_at__gt=now)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    cache.set(KEY, upcoming or NONE, timeout=None)
    return upcoming


def next_go_live(now: datetime | None = None) -> datetime | None:
    """The next moment a scheduled article goes live, or None when none is scheduled."""
    now = now or timezone.now()
    known = cache.get(KEY)
    if known == NONE:
        return None
    if known is None or known <= now:
        return refresh_next_go_live(now)
    return known
