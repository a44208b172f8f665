"""Readers' reactions to comments: one "like" (COMMENTS_REACTION_LABEL) per reader per
comment, toggled. Comment.reaction_count keeps the total, changed with F() in the same
transaction as the reaction row, so the thread reads counts in its one query."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from comments import caching, limits
from comments.limits import Reader
from comments.models import Comment, Reaction


def _limit(reader: Reader) -> None:
    count, seconds = settings.COMMENTS_REACTION_RATE

    def over() -> bool:
        since = timezone.now() - timedelta(seconds=seconds)
        recent = Reaction.objects.filter(created_at__gte=since, **reader.owner())
        return recent.count() >= count

    keys = [reader.key, f"ip:{reader.client}"]
    limits.take("reactions", keys, rate=settings.COMMENTS_REACTION_RATE, over_in_database=over)


@transaction.atomic
def reaction_toggle(*, comment: Comment, reader: Reader) -> tuple[bool, int]:
    """Like the comment, or take the like back: (liked now, the comment's count)."""
    _limit(reader)
    counted = Comment.objects.filter(pk=comment.pk)
    taken_back, _ = Reaction.objects.filter(comment=comment, **reader.owner()).delete()
    if taken_back:
        counted.filter(reaction_count__gt=0).update(reaction_count=F("reaction_count") - 1)
    else:
        try:
            with transaction.atomic():
                Reaction.objects.create(comment=comment, **reader.owner())
        except IntegrityError:
            pass  # the same reader's second click raced this one: it is liked already
        else:
            counted.update(reaction_count=F("reaction_count") + 1)
    caching.reactions_changed(comment.article_id)
    return not taken_back, counted.values_list("reaction_count", flat=True).get()


def liked_on(article_id: int, reader: Reader) -> list[int]:
    """The ids of the comments on an article this reader likes (for the reader's part)."""
    if not reader.user and not reader.guest:
        return []
    mine = Reaction.objects.filter(comment__article_id=article_id, **reader.owner())
    return list(mine.values_list("comment_id", flat=True))
