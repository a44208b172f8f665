from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse


class User(AbstractUser):
    """A person on the site: reader, reporter, editor, moderator or admin."""

    display_name = models.CharField(
        max_length=100,
        blank=True,
        help_text="Shown on bylines and comments. Leave blank to use the full name.",
    )
    bio = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.get_display_name()

    def get_display_name(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    def get_absolute_url(self) -> str:
        return reverse("articles:author", kwargs={"username": self.username})
