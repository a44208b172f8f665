"""The shared layer's tables: edge purges waiting to be sent (core/edgepurge.py), and the
imported-row fields every app's imported models share."""

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


class ImportedRow(models.Model):
    """Where a row brought in by an importer (manage.py import_wordpress / import_disqus)
    came from and its id there, so a re-run updates it instead of adding a copy. Articles,
    images and comments inherit it; each names its own ``unique_import`` constraint."""

    import_source = models.CharField(max_length=100, blank=True, editable=False)
    import_id = models.CharField(max_length=40, blank=True, editable=False)

    class Meta:
        abstract = True

    @staticmethod
    def unique_import(name: str) -> models.UniqueConstraint:
        """One row per (source, id) among imported rows; rows made here carry no id."""
        return models.UniqueConstraint(
            fields=["import_id", "import_source"], condition=~models.Q(import_id=""), name=name
        )
