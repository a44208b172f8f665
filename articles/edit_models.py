"""Who is editing an article right now (EditLock) and their unsaved text (Autosave).

Neither is content: no revision, never published, never read by a reader page."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class EditLockQuerySet(models.QuerySet):
    def live(self, now=None) -> "EditLockQuerySet":
        """Locks whose holder's page beat within ARTICLES_LOCK_SECONDS."""
        return self.filter(heartbeat_at__gt=lock_cutoff(now))


def lock_cutoff(now=None):
    return (now or timezone.now()) - timedelta(seconds=settings.ARTICLES_LOCK_SECONDS)


class EditLock(models.Model):
    """One person's claim to edit an article, kept alive by their page's heartbeat."""

    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, related_name="edit_lock"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    acquired_at = models.DateTimeField(default=timezone.now)
    heartbeat_at = models.DateTimeField(default=timezone.now)
    taken_from = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Held it before a takeover (told at their next beat or save).",
    )

    objects = EditLockQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.user} editing {self.article_id}"

    def is_live(self, now=None) -> bool:
        return self.heartbeat_at > lock_cutoff(now)


class Autosave(models.Model):
    """A person's unsaved text of one article, saved by their page every ~30 s."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="autosaves"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict, help_text="The form's text fields as typed.")
    version = models.PositiveIntegerField(help_text="The article version it was typed on.")
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="autosave_one_per_person")
        ]

    def __str__(self) -> str:
        return f"Autosave of {self.article_id} by {self.user_id}"
