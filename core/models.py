"""The shared layer's one table: edge purges waiting to be sent (core/edgepurge.py)."""

from django.db import models


class PendingPurge(models.Model):
    """A page-cache scope whose pages the edge (Varnish, a CDN) must drop, written in the
    transaction that changed them and deleted once every edge confirmed the purge."""

    scope = models.CharField(max_length=255, unique=True)
    requested_at = models.DateTimeField(help_text="The latest change that asked for it.")
    attempts = models.PositiveIntegerField(default=0)
    next_try_at = models.DateTimeField(help_text="Not sent again before this moment.")
    last_error = models.CharField(max_length=255, blank=True)

    class Meta:
        indexes = [models.Index(fields=["next_try_at"], name="core_purge_due")]

    def __str__(self) -> str:
        return self.scope
