import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS

from articles.sanitize import clean_html
from core.models import ImportedRow
from core.reversing import cached_reverse


class Section(models.Model):
    """A part of the paper: Europe, World, Culture."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in the navigation.")

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        from articles.redirects import slug_renamed, stored_value

        old_slug = stored_value(self, "slug", kwargs.get("update_fields"))
        super().save(*args, **kwargs)
        slug_renamed(self, old_slug)  # its old listing and feed URLs answer 301

    def get_absolute_url(self) -> str:
        return cached_reverse("articles:section", kwargs={"slug": self.slug})


class Tag(models.Model):
    """A subject that cuts across sections: NATO, elections, climate."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        from articles.redirects import slug_renamed, stored_value

        old_slug = stored_value(self, "slug", kwargs.get("update_fields"))
        super().save(*args, **kwargs)
        slug_renamed(self, old_slug)  # its old listing and feed URLs answer 301

    def get_absolute_url(self) -> str:
        return cached_reverse("articles:tag", kwargs={"slug": self.slug})


def local_date(moment) -> str:
    """ "12 January 2022" in the site's time zone (the one date format readers see)."""
    local = timezone.localtime(moment)
    return f"{local.day} {MONTHS[local.month]} {local.year}"


def local_datetime(moment) -> str:
    """ "12 January 2022, 14:05" in the site's time zone."""
    return f"{local_date(moment)}, {timezone.localtime(moment):%H:%M}"


class StaleArticle(ValidationError):
    """A save built on an older version of the article than the stored one."""

    def __init__(self, article) -> None:
        super().__init__(
            f"Someone else saved “{article}” after this copy was read (it is at a newer "
            f"version than {article.version}). Reload it and make the change again.",
            code="stale",
        )


# Statuses a reader may see (once their time has come): the partial listing indexes' condition.
LIVE = models.Q(status__in=["published", "scheduled"])


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None) -> "ArticleQuerySet":
        """Articles readers may see: published, or scheduled and past their time."""
        now = now or timezone.now()
        return self.filter(
            status__in=[Article.Status.PUBLISHED, Article.Status.SCHEDULED],
            published_at__lte=now,
        )

    def shown_as(self, status: str, now=None) -> "ArticleQuerySet":
        """Articles whose status as readers see it (Article.shown_status) is ``status``."""
        now = now or timezone.now()
        if status == Article.Status.PUBLISHED:
            return self.published(now)
        if status == Article.Status.SCHEDULED:
            return self.filter(status=status).exclude(published_at__lte=now)
        return self.filter(status=status)

    def for_listing(self) -> "ArticleQuerySet":
        """What a list of article cards needs, in a fixed number of queries."""
        return (
            self.select_related("section")
            .defer("body")
            .with_comment_counts()
            .order_by("-published_at", "-id")
        )

    def with_comment_counts(self) -> "ArticleQuerySet":
        """``comment_count``: each article's published comments, a subquery per row
        returned (on the comments' (article, status, …) index), so a card costs no query.
        The comments app adds the ``comments`` relation (it imports articles, never the
        other way); "approved" is its published status."""
        comments = self.model._meta.get_field("comments").related_model
        published = (
            comments._default_manager.filter(article=models.OuterRef("pk"), status="approved")
            .order_by()
            .values("article")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return self.annotate(comment_count=Coalesce(models.Subquery(published), models.Value(0)))

    def with_last_correction(self) -> "ArticleQuerySet":
        """``last_correction``: each article's latest correction time, a subquery per row
        returned (a GROUP BY over the join aggregated every article before the LIMIT)."""
        latest = Correction.objects.filter(article=models.OuterRef("pk")).order_by("-created_at")
        return self.annotate(last_correction=models.Subquery(latest.values("created_at")[:1]))

    def awaiting_review(self) -> "ArticleQuerySet":
        """The editors' review queue, oldest submission first."""
        return self.filter(status=Article.Status.REVIEW).order_by("submitted_at", "id")

    def editable_by(self, user) -> "ArticleQuerySet":
        """Articles this user may open in the admin: all for editors, own for reporters."""
        if user.is_superuser or user.has_perm("articles.publish_article"):
            return self
        return self.filter(models.Q(created_by=user) | models.Q(authors=user)).distinct()


class Article(ImportedRow):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"

    title = models.CharField("headline", max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    standfirst = models.TextField(blank=True, help_text="One or two sentences under the headline.")
    dateline = models.CharField(
        max_length=100, blank=True, help_text="Where the story was filed, e.g. Brussels."
    )
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Byline", related_name="articles"
    )
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    body = models.TextField(blank=True, help_text="Sanitised to an allow-list on every save.")
    lead_image = models.ImageField(
        upload_to="articles/%Y/%m/",
        blank=True,
        width_field="lead_image_width",
        height_field="lead_image_height",
        help_text="JPEG, PNG or WebP; checked by content, EXIF (GPS!) removed on upload.",
    )
    lead_library_image = models.ForeignKey(
        "articles.Image",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="or choose from the library",
        help_text="A picture used before: its file, and its alt text, caption and credit where "
        "these fields are empty. Its focal point crops the social card.",
    )
    lead_image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    lead_image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    lead_image_renditions = models.JSONField(
        default=dict, blank=True, editable=False, help_text="Resized copies, made once."
    )
    lead_image_caption = models.CharField(max_length=300, blank=True)
    lead_image_credit = models.CharField(max_length=150, blank=True)
    lead_image_alt = models.CharField(
        "lead image alt text",
        max_length=300,
        blank=True,
        help_text="What the picture shows, for readers who cannot see it. Required to publish.",
    )
    status = models.CharField(max_length=12, choices=Status, default=Status.DRAFT, editable=False)
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="When readers first see it (the publish time)."
    )
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    revised_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Last change after publication."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    comments_open = models.BooleanField(default=True)
    is_featured = models.BooleanField(
        "featured", default=False, help_text="Featured articles lead the front page."
    )
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Goes up by one at every save; a save from an older version is refused.",
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_pub"),
            # Listings read the newest live articles: partial indexes in their exact order.
            models.Index(fields=["-published_at", "-id"], name="article_live_pub", condition=LIVE),
            models.Index(
                fields=["-published_at", "-id"],
                name="article_featured_pub",
                condition=LIVE & models.Q(is_featured=True),
            ),
            models.Index(
                fields=["section", "-published_at", "-id"],
                name="article_section_live_pub",
                condition=LIVE,
            ),
        ]
        constraints = [
            ImportedRow.unique_import("article_import_unique"),
        ]
        permissions = [("publish_article", "Can publish, schedule and unpublish articles")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        from articles.redirects import live_path_stored, old_path_record

        self.body = clean_html(self.body)
        self._apply_library_lead()
        # A live article whose slug or date changes keeps its old URL as a redirect.
        old_path = live_path_stored(self, kwargs.get("update_fields"))
        with transaction.atomic():
            if not self._state.adding:
                self._claim_next_version()
            super().save(*args, **kwargs)
        self._refresh_renditions()
        self._record_body_images()
        if old_path is not None:
            old_path_record(target=self, old_path=old_path)

    def get_absolute_url(self) -> str:
        local = timezone.localtime(self.published_at or self.created_at or timezone.now())
        return cached_reverse(
            "articles:detail",
            kwargs={
                "year": local.year,
                "month": f"{local.month:02d}",
                "day": f"{local.day:02d}",
                "slug": self.slug,
            },
        )

    def _claim_next_version(self) -> None:
        """Optimistic concurrency: this save is built on ``self.version``; it may land only
        if that is still the stored one (one conditional UPDATE, so two saves from the same
        version cannot both win). Every path that saves an article goes through here."""
        claimed = Article.objects.filter(pk=self.pk, version=self.version).update(
            version=models.F("version") + 1
        )
        if not claimed:
            raise StaleArticle(self)
        self.version += 1

    def is_published(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status in {self.Status.PUBLISHED, self.Status.SCHEDULED}
            and self.published_at is not None
            and self.published_at <= now
        )

    def shown_status(self, now=None) -> str:
        """The status readers see: scheduled articles go live by themselves (no cron), so
        one whose publish time has passed is published."""
        if self.status == self.Status.SCHEDULED and self.is_published(now):
            return self.Status.PUBLISHED
        return self.status

    def get_shown_status_display(self) -> str:
        return self.Status(self.shown_status()).label

    def _refresh_renditions(self) -> None:
        """Resized copies of the lead image, made once per uploaded file."""
        from articles.images import image_make_renditions

        source = self.lead_image.name if self.lead_image else ""
        if self.lead_image_renditions.get("source", "") == source:
            return
        self.lead_image_renditions = image_make_renditions(self.lead_image) if source else {}
        Article.objects.filter(pk=self.pk).update(lead_image_renditions=self.lead_image_renditions)

    def _apply_library_lead(self) -> None:
        """A lead image chosen from the library: its file, and its words where ours are empty."""
        image = self.lead_library_image
        if image is None:
            return
        if self.lead_image.name != image.file.name:
            self.lead_image = image.file.name
        for ours, theirs in (("alt", "alt"), ("caption", "caption"), ("credit", "credit")):
            if not getattr(self, f"lead_image_{ours}").strip():
                setattr(self, f"lead_image_{ours}", getattr(image, theirs))

    def _record_body_images(self) -> None:
        """Which library images the article uses (the library's "where it is used")."""
        from articles.media import image_uses_sync

        image_uses_sync(article=self)
        lead = [self.lead_library_image_id] if self.lead_library_image_id else []
        image_uses_sync(article=self, role=ImageUse.Role.LEAD, ids=lead)

    def was_updated(self) -> bool:
        """True when the article changed after it went live (shows "Updated …")."""
        return bool(self.revised_at and self.published_at and self.revised_at > self.published_at)

    def last_modified(self):
        """The time feeds and sitemaps give for this article."""
        return max(t for t in (self.published_at, self.revised_at) if t is not None)

    def byline(self) -> list:
        """Authors in byline order (uses the prefetch when there is one)."""
        return list(self.authors.all())


class Byline(models.Model):
    """One author's place in an article's byline."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="byline_unique_author")
        ]

    def __str__(self) -> str:
        return f"{self.author} on {self.article}"


class Transition(models.Model):
    """Who moved an article from one state to another, and when."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=12, choices=Article.Status)
    to_status = models.CharField(max_length=12, choices=Article.Status)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    publish_at = models.DateTimeField(null=True, blank=True, help_text="Publish time set.")
    note = models.TextField(blank=True, help_text="Why, for the authors (sent back to draft).")

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.article}: {self.from_status} → {self.to_status}"


class EditorialNoteQuerySet(models.QuerySet):
    def visible_to(self, user) -> "EditorialNoteQuerySet":
        """Notes this user may read: editors all, a reporter those on their own articles,
        anyone else (readers, moderators) none."""
        if not (user and user.is_active and user.is_staff):
            return self.none()
        if user.is_superuser or user.has_perm("articles.publish_article"):
            return self
        if not user.has_perm("articles.view_article"):
            return self.none()
        return self.filter(article__in=Article.objects.editable_by(user).values("pk"))


class EditorialNote(models.Model):
    """A staff note on an article, in a thread, never shown to readers (plain text)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="notes")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(help_text="Plain text; @username emails that person.")
    anchor = models.CharField(
        "quoted passage", max_length=300, blank=True, help_text="The words of the body it is about."
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = EditorialNoteQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Note by {self.author or 'someone removed'} on {self.article}"


class CorrectionQuerySet(models.QuerySet):
    def of_live_articles(self, now=None) -> "CorrectionQuerySet":
        """Corrections readers may see: those of published articles."""
        return self.filter(article__in=Article.objects.published(now))


class Correction(models.Model):
    """A dated note an editor attaches to a published article."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    text = models.TextField(help_text="What was wrong and what is right now. Plain text.")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Correction to {self.article} ({local_date(self.created_at)})"


def new_token() -> str:
    return secrets.token_urlsafe(32)


class PreviewLinkQuerySet(models.QuerySet):
    def usable(self, now=None) -> "PreviewLinkQuerySet":
        """Links that still open their article: not revoked, not expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


def default_preview_expiry():
    return timezone.now() + timedelta(days=settings.ARTICLES_PREVIEW_DAYS)


class PreviewLink(models.Model):
    """A secret link that shows an unpublished article to someone without an account."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="preview_links")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(default=default_preview_expiry)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Preview of {self.article} until {local_datetime(self.expires_at)}"

    def get_absolute_url(self) -> str:
        return reverse("articles:preview-link", kwargs={"token": self.token})

    def get_full_url(self) -> str:
        """The link to send: absolute, on the public site (SITE_URL)."""
        return settings.SITE_URL + self.get_absolute_url()


class PreviewView(models.Model):
    """One opening of a preview link (the log editors read)."""

    link = models.ForeignKey(PreviewLink, on_delete=models.CASCADE, related_name="views")
    viewed_at = models.DateTimeField(default=timezone.now)
    user_agent = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-viewed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.link_id} at {local_datetime(self.viewed_at)}"


class Redirect(models.Model):
    """An old path of this site that answers with a redirect, consulted only on a 404.

    Recorded by a rename (``is_automatic``) or added by an editor. It points at an article,
    section, tag or author (followed wherever they move: a chain of renames is one hop) or
    at a URL on this site."""

    class Code(models.IntegerChoices):
        PERMANENT = 301, "Permanent (301)"
        TEMPORARY = 302, "Temporary (302)"

    old_path = models.CharField(
        max_length=300,
        unique=True,
        help_text="A path here, e.g. /2025/01/31/old-slug/; used when no page is.",
    )
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="redirects"
    )
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, null=True, blank=True, on_delete=models.CASCADE)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_url = models.CharField(
        "URL",
        max_length=300,
        blank=True,
        help_text="Or a path here, e.g. /section/politics/ (never another site).",
    )
    status_code = models.PositiveSmallIntegerField(
        "type", choices=Code, default=Code.PERMANENT, help_text="Temporary for a campaign."
    )
    is_automatic = models.BooleanField("recorded at a rename", default=False, editable=False)
    hits = models.PositiveIntegerField(default=0, editable=False)
    last_hit_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["old_path"]

    def __str__(self) -> str:
        return self.old_path

    def target(self):
        """The article, section, tag or author this path stands for (None for a URL)."""
        return self.article or self.section or self.tag or self.author

    def target_path(self) -> str | None:
        """Where the redirect leads now; None while its article is not live."""
        if self.article_id is not None:
            return self.article.get_absolute_url() if self.article.is_published() else None
        obj = self.target()
        return obj.get_absolute_url() if obj is not None else self.target_url or None


# The media library's models live beside these; Django finds them through this module.
# The editing session's records (edit locks, private autosaves) live in their own module.
from articles.edit_models import Autosave, EditLock  # noqa: E402, F401
from articles.media_models import Image, ImageUse  # noqa: E402, F401
