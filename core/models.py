"""The shared layer's tables: edge purges waiting to be sent (core/edgepurge.py), the
imported-row fields every app's imported models share, and the imported rows deleted here."""

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

    @classmethod
    def deleted_here(cls, source: str) -> set[str]:
        """The import ids of this model's rows from ``source`` deleted here (ImportDeletion):
        a re-run of the importer leaves them deleted."""
        found = ImportDeletion.objects.filter(model=cls._meta.label_lower, import_source=source)
        return set(found.values_list("import_id", flat=True))

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


class ImportDeletion(models.Model):
    """An imported row (an article, a picture, a comment) deleted here: a re-run of its
    importer with the same or a newer export does not bring it back, as it does not undo an
    edit (ImportedRow.import_digest). Written when the row is deleted, whoever deletes it
    (core.apps connects every ImportedRow model); deleting this record in the admin lets the
    next re-run import the row again."""

    model = models.CharField(max_length=100, help_text='The row\'s model, e.g. "articles.article".')
    import_source = models.CharField(max_length=100)
    import_id = models.CharField(max_length=40)
    deleted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "imported row deleted here"
        verbose_name_plural = "imported rows deleted here"
        constraints = [
            models.UniqueConstraint(
                fields=["model", "import_source", "import_id"], name="import_deletion_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.import_id} from {self.import_source}"


def remember_deletion(sender, instance, origin=None, **kwargs) -> None:
    """post_delete of an ImportedRow model: an imported row leaves its ImportDeletion,
    unless it went with a row of another model (an article's comments): no insert per row of
    the cascade, and those rows come back with their article if its record is deleted. A
    reply deleted with its comment (the same model) is recorded, so it never comes back
    on its own."""
    if isinstance(origin, models.QuerySet):
        origin = origin.model
    elif isinstance(origin, models.Model):
        origin = type(origin)
    if origin is not None and origin is not sender:
        return
    if instance.import_id:
        ImportDeletion.objects.bulk_create(
            [
                ImportDeletion(
                    model=sender._meta.label_lower,
                    import_source=instance.import_source,
                    import_id=instance.import_id,
                )
            ],
            ignore_conflicts=True,
        )
