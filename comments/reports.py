"""Readers' reports of comments, and the hold enough of them trigger (issue 16).

A reader reports a published comment once (an account by account, a guest by their browser
id and, whatever their cookies, once per client address). When COMMENTS_REPORTS_TO_HOLD
distinct clients have open reports on a comment, it goes back to the moderation queue with
"reported: abuse ×3" as its hold reason; a moderator's decision (comments.moderation)
resolves the reports.
"""

from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from comments import limits, moderation
from comments.limits import Reader
from comments.models import Comment, Report

HOLD_ACTION = "reported_hold"
TEXT_MAX = 500


def _limit(reader: Reader) -> None:
    count, seconds = settings.COMMENTS_REPORT_RATE

    def over() -> bool:
        since = timezone.now() - timedelta(seconds=seconds)
        return Report.objects.filter(client=reader.client, created_at__gte=since).count() >= count

    keys = [reader.key, f"ip:{reader.client}"]
    limits.take("reports", keys, rate=settings.COMMENTS_REPORT_RATE, over_in_database=over)


def _clean(reason: str, text: str) -> str:
    if reason not in Report.Reason.values:
        raise ValidationError("Choose why you report this comment.", code="reason")
    text = " ".join(text.split())[:TEXT_MAX]
    if reason == Report.Reason.OTHER and not text:
        raise ValidationError('Say in a few words what is wrong ("Other").', code="text")
    return text


def already_reported(comment: Comment, reader: Reader) -> bool:
    """An account reported it, or a guest from this browser or this client address."""
    mine = Q(user=reader.user) if reader.user else Q(guest=reader.guest)
    if not reader.user:
        mine |= Q(user__isnull=True, client=reader.client)
    return comment.reports.filter(mine).exists()


@transaction.atomic
def report_add(*, comment: Comment, reader: Reader, reason: str, text: str = "") -> Report:
    """Record reader's report of a published comment; hold it if enough clients did."""
    text = _clean(reason, text)
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.status != Comment.Status.APPROVED:
        raise ValidationError("This comment is not published.", code="gone")
    duplicate = ValidationError("You have already reported this comment.", code="duplicate")
    if already_reported(comment, reader):
        raise duplicate
    _limit(reader)
    try:
        with transaction.atomic():
            report = Report.objects.create(
                comment=comment, reason=reason, text=text, client=reader.client, **reader.owner()
            )
    except IntegrityError:  # the same reader's second click, a moment later
        raise duplicate from None
    hold_if_reported(comment)
    return report


def hold_reason(comment: Comment) -> str:
    """ "reported: abuse ×3, spam ×1": the open reports' reasons, most frequent first."""
    reasons = Counter(comment.reports.open().values_list("reason", flat=True))
    return "reported: " + ", ".join(f"{r} ×{n}" for r, n in reasons.most_common())


def hold_if_reported(comment: Comment) -> bool:
    """Send a published comment back to the queue once enough distinct clients report it."""
    threshold = settings.COMMENTS_REPORTS_TO_HOLD
    if threshold <= 0 or comment.status != Comment.Status.APPROVED:
        return False
    clients = comment.reports.open().values("client").distinct().count()
    if clients < threshold:
        return False
    why = hold_reason(comment)[:200]
    comment.hold_reason = why
    comment.save(update_fields=["hold_reason"])
    before = moderation.set_status(comment, Comment.Status.PENDING)  # expires its pages
    moderation.log(comment, actor=None, action=HOLD_ACTION, status_before=before, reason=why)
    return True
