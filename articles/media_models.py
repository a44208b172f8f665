"""The media library: every uploaded picture is an Image, used by reference in bodies."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from core.models import ImportedRow

FOCAL = [MinValueValidator(0.0), MaxValueValidator(1.0)]


class ImageQuerySet(models.QuerySet):
    def editable_by(self, user) -> "ImageQuerySet":
        """Images this user may edit: all for editors, their own uploads for reporters."""
        if user.is_superuser or user.has_perm("articles.publish_article"):
            return self
        return self.filter(uploaded_by=user)

    def search(self, text: str) -> "ImageQuerySet":
        """Images whose title, alt text, caption or credit contain ``text``."""
        text = text.strip()
        if not text:
            return self
        fields = ("title", "alt", "caption", "credit")
        query = models.Q()
        for field in fields:
            query |= models.Q(**{f"{field}__icontains": text})
        return self.filter(query)


class Image(ImportedRow):
    """A checked, re-encoded picture (no EXIF) with the words that go with it."""

    file = models.ImageField(
        upload_to="library/%Y/%m/", width_field="width", height_field="height", editable=False
    )
    width = models.PositiveIntegerField(null=True, editable=False)
    height = models.PositiveIntegerField(null=True, editable=False)
    renditions = models.JSONField(
        default=dict, blank=True, editable=False, help_text="Resized copies, made once."
    )
    title = models.CharField(max_length=200, help_text="For finding it in the library.")
    alt = models.CharField(
        "alt text",
        max_length=300,
        blank=True,
        help_text="What the picture shows, for readers who cannot see it. Required to publish "
        "unless the picture is decorative.",
    )
    is_decorative = models.BooleanField(
        "decorative", default=False, help_text="Adds nothing to the text: no alt text needed."
    )
    caption = models.CharField(max_length=300, blank=True)
    credit = models.CharField(max_length=150, blank=True)
    copyright = models.CharField(
        "copyright or licence", max_length=300, blank=True, help_text="Who owns it, on what terms."
    )
    focal_x = models.FloatField(default=0.5, validators=FOCAL, help_text="0 left, 1 right.")
    focal_y = models.FloatField(default=0.5, validators=FOCAL, help_text="0 top, 1 bottom.")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    articles = models.ManyToManyField(
        "articles.Article", through="ImageUse", related_name="images", blank=True
    )

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            ImportedRow.unique_import("image_import_unique"),
        ]

    def __str__(self) -> str:
        return self.title or f"Image {self.pk}"

    def needs_alt(self) -> bool:
        """True when readers who cannot see it would get nothing."""
        return not (self.is_decorative or self.alt.strip())


class ImageUse(models.Model):
    """One article using one library image: where it is used, and what stops its deletion."""

    class Role(models.TextChoices):
        BODY = "body", "In the body"
        LEAD = "lead", "Lead image"

    image = models.ForeignKey(Image, on_delete=models.PROTECT, related_name="uses")
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="image_uses"
    )
    role = models.CharField(max_length=4, choices=Role, default=Role.BODY)

    class Meta:
        ordering = ["article_id", "image_id"]
        constraints = [
            models.UniqueConstraint(fields=["image", "article", "role"], name="image_use_unique")
        ]

    def __str__(self) -> str:
        return f"{self.image} in “{self.article}” ({self.get_role_display().lower()})"
