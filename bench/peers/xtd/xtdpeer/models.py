"""The peer's article: a title and a 1,000-word body, with xtd's moderation on."""

from django.db import models
from django.urls import reverse
from django_comments.moderation import moderator
from django_comments_xtd.moderation import SpamModerator


class Story(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    standfirst = models.TextField(blank=True)
    body = models.TextField()  # HTML, cleaned by Newsroom when the benchmark copied it
    published_at = models.DateTimeField()
    allow_comments = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("story", args=[self.slug])


class StoryModerator(SpamModerator):
    """Every rule xtd has: blacklisted domains (SpamModerator), comments can be closed per
    story, and every comment held for approval (moderate_after 0 days)."""

    enable_field = "allow_comments"
    auto_moderate_field = "published_at"
    moderate_after = 0
    email_notification = False  # Newsroom queues its moderator email; no SMTP here either


moderator.register(Story, StoryModerator)
