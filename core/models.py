"""The shared layer's tables: edge purges waiting to be sent (core/edgepurge.py), and the
imported-row fields every app's imported models share."""

import datetime
import hashlib
import json

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
    # What the last import wrote (ImportedRow.digest of the imported fields as stored): a
    # row whose fields no longer match was changed here (an editor's edit, a moderator's
    # decision, a person's erased details), and a re-run keeps it rather than overwrite it.
    import_digest = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        abstract = True

    @staticmethod
    def digest(values: dict) -> str:
        """A digest of ``values`` (field name -> value as read from the database): moments in
        UTC, files by name, related rows by id."""

        def plain(value):
            if isinstance(value, datetime.datetime) and value.tzinfo is not None:
                return value.astimezone(datetime.UTC).isoformat()
            if isinstance(value, models.Model):
                return value.pk
            if hasattr(value, "name") and hasattr(value, "storage"):  # a stored file
                return value.name or ""
            return str(value)

        text = json.dumps(values, sort_keys=True, default=plain)
        return hashlib.sha256(text.encode()).hexdigest()

    def changed_here(self, values: dict) -> bool:
        """Whether this row's imported ``values`` (as stored now) differ from what the last
        import wrote (False for a row imported before digests were kept)."""
        return bool(self.import_digest) and self.import_digest != self.digest(values)

    @staticmethod
    def unique_import(name: str) -> models.UniqueConstraint:
        """One row per (source, id) among imported rows; rows made here carry no id."""
        return models.UniqueConstraint(
            fields=["import_id", "import_source"], condition=~models.Q(import_id=""), name=name
        )
