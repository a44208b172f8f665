"""Purge the edge (Varnish, Fastly or Cloudflare, reading core/edge.py's tags) when pages change.

Every page-cache invalidation (``pagecache.invalidate``) also writes its scopes to the
PendingPurge table, in the caller's transaction, and queues ``purge_edge`` through the
outbox: the purge exists exactly when the change does, and neither a slow nor a dead edge
delays a publish or an approval. The task (on the worker) drains the table: it bumps the
scopes in the page cache once more (a change made while Redis was down reaches the page
cache when Redis answers; see ``send``), then purges their tags at the edge core/cdn.py
names: each Varnish in ``EDGE_PURGE_URLS`` gets one ``PURGE`` with the tags in an
``xkey-purge`` header (deploy/varnish/newsroom.vcl), a CDN its API's purge by tag. A scope
asked for twice is one row, so one purge. A failure keeps the rows, notes the error and tries
again later (2, 4, 8 … 300 s); /healthz reports it (``purge_state``).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from core import cdn, outbox, pagecache
from core.cdn import PurgeFailed
from core.edge import edge_tag
from core.models import PendingPurge

logger = logging.getLogger(__name__)

BATCH = 200  # scopes a purge request names: 200 x 17 bytes fits any header limit
MAX_BACKOFF_SECONDS = 300
PURGE_METHOD = "PURGE"
TAGS_HEADER = "xkey-purge"


def enabled() -> bool:
    """Whether invalidations purge an edge: a CDN is chosen, or Varnishes are listed."""
    return cdn.backend() in cdn.APIS or bool(settings.EDGE_PURGE_URLS)


def purge_later(scopes) -> None:
    """Queue a purge of ``scopes`` at every edge, with the caller's transaction."""
    if not enabled() or not scopes:
        return
    now = timezone.now()
    rows = [
        PendingPurge(scope=scope, requested_at=now, next_try_at=now)
        for scope in dict.fromkeys(scopes)
    ]
    PendingPurge.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["scope"],
        update_fields=["requested_at", "next_try_at"],
    )
    outbox.enqueue(purge_edge)


@task()
def purge_edge() -> str:
    """Send the purges that are due (the worker runs this; tests call purge_due)."""
    return purge_due()


def purge_due() -> str:
    """Purge every due scope, a batch at a time; on failure, schedule the next try."""
    purged, started = 0, timezone.now()
    # Rows asked for after this run started are the next run's: their change queued it.
    while due := list(PendingPurge.objects.filter(next_try_at__lte=started).order_by("pk")[:BATCH]):
        try:
            send([row.scope for row in due])
        except PurgeFailed as error:
            retry_later(due, error)
            return f"failed after {purged}: {error}"
        # A row asked for again meanwhile (a newer requested_at) stays for the next run.
        done = Q()
        for row in due:
            done |= Q(pk=row.pk, requested_at=row.requested_at)
        PendingPurge.objects.filter(done).delete()
        purged += len(due)
    return f"purged {purged}"


def send(scopes: list[str]) -> None:
    """Bump ``scopes`` in the page cache, then purge their tags at every edge. A bump the
    cache did not take (Redis down) still purges the edge, since the site renders every
    page afresh meanwhile, and fails: the retry once Redis answers expires the pages Redis
    kept from before the change, and purges again what the edge fetched in between."""
    bumped = pagecache.bump_confirmed(scopes)
    if cdn.backend() in cdn.APIS:
        cdn.purge([edge_tag(scope) for scope in scopes])
    else:
        purge_varnish(" ".join(edge_tag(scope) for scope in scopes))
    if not bumped:
        raise PurgeFailed("page cache unavailable: its pages expire at the next try")


def purge_varnish(tags: str) -> None:
    for url in settings.EDGE_PURGE_URLS:
        try:
            status = _purge(url, tags)
        except OSError as error:  # refused, timed out, unknown host
            raise PurgeFailed(f"{url}: {error}") from error
        if status != 200:
            raise PurgeFailed(f"{url} answered {status}")


def _purge(url: str, tags: str) -> int:
    return cdn.request(PURGE_METHOD, url, {TAGS_HEADER: tags})[0]


def retry_later(rows: list[PendingPurge], error: PurgeFailed) -> None:
    logger.error("Edge purge failed (%s); %d scopes kept for a retry", error, len(rows))
    attempts = max(row.attempts for row in rows) + 1
    next_try = timezone.now() + timedelta(seconds=min(2**attempts, MAX_BACKOFF_SECONDS))
    PendingPurge.objects.filter(pk__in=[row.pk for row in rows]).update(
        attempts=attempts, next_try_at=next_try, last_error=str(error)[:255]
    )
    job = purge_edge
    if job.get_backend().supports_defer:
        outbox.enqueue(job.using(run_after=next_try))


def purge_state() -> str:
    """``ok``, or ``failed: …`` when a purge failed or waited longer than
    EDGE_PURGE_ALERT_SECONDS (no worker running?): /healthz shows it."""
    late = timezone.now() - timedelta(seconds=settings.EDGE_PURGE_ALERT_SECONDS)
    stuck = PendingPurge.objects.filter(Q(attempts__gt=0) | Q(requested_at__lt=late))
    oldest = stuck.order_by("requested_at").first()
    if oldest is None:
        return "ok"
    reason = oldest.last_error or "not sent yet (is the task worker running?)"
    return f"failed: {stuck.count()} waiting since {oldest.requested_at:%H:%M:%S}Z, {reason}"
