from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group
from django.db import models

from accounts.profiles import profile_url
from accounts.validators import validate_display_name


def initials_of(name: str) -> str:
    """The first letter or digit of the first two words of ``name`` that start with one,
    upper-cased ("" when none does): the generated avatar's letters, for an account and for
    a guest's name in a thread (comments.render). Only letters and digits."""
    letters = ""
    for word in name.split():
        if word[0].isalnum():
            letters += word[0]
            if len(letters) == 2:
                break
    return letters.upper()


def display_name(*, display_name: str, first_name: str, last_name: str, username: str) -> str:
    """The display-name rule, in its one home: the name chosen, else the full name, else
    the username (a thread row passes the columns it read; a User passes its fields)."""
    return display_name or f"{first_name} {last_name}".strip() or username


def avatar_upload_to(instance: "User", filename: str) -> str:
    return f"avatars/{instance.pk}/{filename}"


class User(AbstractUser):
    """A person on the site: reader, reporter, editor, moderator or admin."""

    display_name = models.CharField(
        max_length=100,
        blank=True,
        help_text="Shown on bylines and comments. Leave blank to use the full name.",
        validators=[validate_display_name],
    )
    bio = models.TextField(blank=True)
    website = models.URLField(blank=True, help_text="Your site or profile page (https://…).")
    avatar = models.ImageField(
        upload_to=avatar_upload_to,
        blank=True,
        help_text="The largest square version; smaller ones sit beside it (-48, -96).",
    )
    wants_workflow_email = models.BooleanField(
        "email me about editorial work",
        default=True,
        help_text="Submissions for review, stories sent back, publication, and notes "
        "that mention me.",
    )

    def __str__(self) -> str:
        return self.get_display_name()

    def get_display_name(self) -> str:
        return display_name(
            display_name=self.display_name,
            first_name=self.first_name,
            last_name=self.last_name,
            username=self.username,
        )

    def get_absolute_url(self) -> str:
        return profile_url(self)

    def get_initials(self) -> str:
        """Up to two letters from the display name, for the generated avatar."""
        return initials_of(self.get_display_name()) or self.username[:1].upper()

    def is_mfa_required(self) -> bool:
        """True when one of the user's groups demands two-factor login (setting or admin flag)."""
        required = models.Q(name__in=settings.ACCOUNTS_MFA_REQUIRED_GROUPS) | models.Q(
            policy__requires_mfa=True
        )
        return self.groups.filter(required).exists()

    def has_mfa(self) -> bool:
        """True when the user has set up an authenticator app (TOTP)."""
        return self.authenticator_set.filter(type="totp").exists()


class GroupPolicy(models.Model):
    """Security rules an admin sets on a role group."""

    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="policy")
    requires_mfa = models.BooleanField(
        "requires two-factor login",
        default=False,
        help_text="Members must set up an authenticator app before they can open the admin.",
    )

    class Meta:
        verbose_name = "security policy"
        verbose_name_plural = "security policies"

    def __str__(self) -> str:
        return f"Security policy for {self.group}"


class RateLimitFallbackEntry(models.Model):
    """A rate-limit count kept in the database while Redis is down (logins, sign-ups, resets).

    The table of the "ratelimits" DatabaseCache in settings.py, made by a migration rather
    than createcachetable so a deploy's `migrate` is enough; the cache reads and writes it,
    nothing else does. Column names and types are the ones Django's database cache uses."""

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "accounts_ratelimit_fallback"
        verbose_name = "rate-limit count kept during a cache outage"

    def __str__(self) -> str:
        return self.cache_key
