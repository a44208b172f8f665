"""Comments on articles: the thread, the site's discussion settings, subscriptions, the log."""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Upper
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from core.models import ImportedRow

PATH_WIDTH = 10  # zero-padded ids keep string order equal to id order in the thread path


def thread_path(pk: int, parent_path: str = "") -> str:
    """The thread-path rule, in its one home: the parent's path, then this comment's id
    zero-padded to PATH_WIDTH, so sorting by path gives thread order. (A migration keeps
    its own copy of the rule it applies.)"""
    own = str(pk).zfill(PATH_WIDTH)
    return f"{parent_path}/{own}" if parent_path else own


def author_name(*, account_name: str | None, typed_name: str) -> str:
    """Who a comment is by: the account's display name (accounts.models.display_name)
    when a user wrote it (account_name is None for a guest), else the name typed."""
    if account_name is not None:
        return account_name
    return typed_name or "Anonymous"


class CommentQuerySet(models.QuerySet):
    def approved(self) -> "CommentQuerySet":
        return self.filter(status=Comment.Status.APPROVED)

    def public(self) -> "CommentQuerySet":
        """Published comments on published articles: what readers may report or react to."""
        return self.approved().filter(article__in=Article.objects.published())

    def reported(self) -> "CommentQuerySet":
        """Comments with readers' reports no moderator has answered yet (the queue's
        "reported" tab, comments.queue)."""
        return self.filter(pk__in=Report.objects.open().values("comment_id"))

    def pending(self) -> "CommentQuerySet":
        return self.filter(status=Comment.Status.PENDING)

    def awaiting_moderation(self) -> "CommentQuerySet":
        """Held comments, and published ones whose held edit waits for a moderator."""
        return self.filter(
            models.Q(status=Comment.Status.PENDING)
            | models.Q(status=Comment.Status.APPROVED) & ~models.Q(pending_body="")
        )

    def shown(self) -> "CommentQuerySet":
        """Rows that keep a place in a thread: approved ones and removed/spam placeholders."""
        return self.filter(
            status__in=[Comment.Status.APPROVED, Comment.Status.REMOVED, Comment.Status.SPAM]
        )

    def top_level(self) -> "CommentQuerySet":
        return self.filter(parent__isnull=True)

    def in_thread_order(
        self, *, newest_first: bool = False, most_liked: bool = False
    ) -> "CommentQuerySet":
        """Display order: top-level comments by age (or by their likes, then age), each
        followed by its replies, depth-first."""
        if most_liked:
            return self.order_by("-root__reaction_count", "root_id", "path")
        root = "-root_id" if newest_first else "root_id"
        return self.order_by(root, "path")

    def save_in_thread(self, comment: "Comment") -> "Comment":
        """Save a new comment (parent and depth already set) with its place in the thread:
        path (thread_path) and root, which need its id. An id reserved beforehand
        (``comment.pk`` set, see next_id) gives one INSERT; without one the row is inserted,
        then updated with its place."""
        parent = comment.parent
        if comment.pk is not None:
            comment.path = thread_path(comment.pk, parent.path if parent else "")
            comment.root_id = parent.root_id if parent else comment.pk
            comment.save(force_insert=True)
            return comment
        comment.save()
        comment.path = thread_path(comment.pk, parent.path if parent else "")
        comment.root_id = parent.root_id if parent else comment.pk
        self.filter(pk=comment.pk).update(path=comment.path, root_id=comment.root_id)
        return comment

    def next_id(self, using: str) -> models.Expression | None:
        """An expression taking the next comment id from its sequence, for a read that
        reserves it (PostgreSQL); None where the database has no sequence to take from."""
        if connections[using].vendor != "postgresql":
            return None
        table = self.model._meta.db_table
        pk = self.model._meta.pk.column
        return RawSQL(
            "nextval(pg_get_serial_sequence(%s, %s))", (table, pk), models.BigIntegerField()
        )

    def create_in_thread(self, *, parent: "Comment | None" = None, **fields) -> "Comment":
        """Create a comment under parent (None: a new thread), depth from the parent."""
        fields.setdefault("depth", parent.depth + 1 if parent else 1)
        return self.save_in_thread(self.model(parent=parent, **fields))

    def featured(self) -> "CommentQuerySet":
        """Editors' picks still published, newest pick first."""
        return self.approved().filter(featured_at__isnull=False).order_by("-featured_at", "-id")

    def by_commenter(self, *, user=None, email: str = "") -> "CommentQuerySet":
        if user is not None:
            return self.filter(user=user)
        return self.filter(user__isnull=True, email__iexact=email)

    def for_thread(self) -> "CommentQuerySet":
        """Only the columns a thread renders, as tuples (comments.threads.ThreadRow builds
        each row from one); the commenters' accounts are read apart (threads.with_speakers)."""
        return self.values_list(*THREAD_COLUMNS)


# The order of comments.threads.ThreadRow's fields: the comment's own columns, then
# SPEAKER_COLUMNS, its account's. The accounts are read in a query of their own, not
# joined: without the join PostgreSQL plans the thread's read once for every thread, 5
# comments or 2,000 (joined, a plan made once read the users table for every row).
THREAD_COLUMNS = (
    "id",
    "parent_id",
    "depth",
    "status",
    "body",
    "name",
    "url",
    "user_id",
    "in_reply_to_name",
    "created_at",
    "edited_at",
    "reaction_count",
    "replied_to_id",
    "featured_at",
)
SPEAKER_COLUMNS = ("username", "display_name", "first_name", "last_name", "is_staff", "avatar")


class Comment(ImportedRow):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        SPAM = "spam", "Spam"
        REMOVED = "removed", "Removed"

    # Indexed by comment_counts below (its first column), not by an index of its own.
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="comments", db_index=False
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    root = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The top-level comment of this thread (itself for a top-level comment).",
    )
    path = models.CharField(
        max_length=255,
        blank=True,
        editable=False,
        help_text="Materialised path of zero-padded ids: sorting by it gives thread order.",
    )
    depth = models.PositiveSmallIntegerField(default=1, editable=False)
    replied_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The comment the reader answered (the parent, unless the thread was too deep).",
    )
    in_reply_to_name = models.CharField(
        max_length=100,
        blank=True,
        help_text="Set when a reply below the deepest level attaches one level up.",
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    hold_reason = models.CharField(max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True, help_text="Never published.")
    url = models.URLField("website", max_length=200, blank=True)
    body = models.TextField()
    pending_body = models.TextField(
        "proposed new text",
        blank=True,
        help_text="The writer's edit of a published comment, held by the discussion rules: "
        "the published text stays shown until a moderator approves or rejects it.",
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        "Ban",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hidden_comments",
        editable=False,
        help_text="The ban that hid this published comment (shown as removed); lifting the "
        "ban publishes it again.",
    )
    reaction_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="Readers' reactions (likes), kept with F()."
    )
    featured_at = models.DateTimeField(
        "featured (editors' pick) at",
        null=True,
        blank=True,
        editable=False,
        help_text="Set when a moderator features the comment; it then shows among the "
        "editors' picks above the thread and in the site-wide picks feed.",
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["root_id", "path"]
        constraints = [
            ImportedRow.unique_import("comment_import_unique"),
        ]
        permissions = [("moderate_comment", "Can approve, spam and remove comments")]
        indexes = [
            models.Index(fields=["article", "status", "root", "path"], name="comment_thread"),
            # The triggers that keep ThreadCount (migration 0013) count an article's
            # comments again on each change from this index alone on PostgreSQL (an
            # index-only scan). It stands in for the article key's own index.
            models.Index(
                fields=["article", "status", "parent", "featured_at", "id"], name="comment_counts"
            ),
            # A thread page's top-level comments, oldest or newest first: the page's 50
            # read in order from here (a LIMIT over the index, the status checked in it),
            # not all the article's roots read from comment_counts and sorted. The status
            # is not in the condition: the page's read is a prepared statement, whose
            # generic plan cannot prove a condition on a bound value.
            models.Index(
                fields=["article", "id", "status"],
                condition=models.Q(parent__isnull=True),
                name="comment_roots",
            ),
            models.Index(fields=["status", "created_at"], name="comment_queue"),
            models.Index(fields=["email"], name="comment_email"),
            # by_commenter() matches email case-insensitively (UPPER(email) = UPPER(%s)):
            # without this, counting a guest's approved comments read the whole table.
            models.Index(Upper("email"), name="comment_email_upper"),
            # The queue's other half (awaiting_moderation): the few held edits, so the
            # queue never reads the published comments to find them.
            models.Index(
                fields=["created_at"],
                condition=~models.Q(pending_body=""),
                name="comment_held_edit",
            ),
            # The picks: an article's few featured comments and the site-wide picks feed.
            models.Index(
                fields=["article", "featured_at"],
                condition=models.Q(featured_at__isnull=False),
                name="comment_featured",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.body[:40]}"

    def get_absolute_url(self) -> str:
        return reverse("comments:permalink", kwargs={"pk": self.pk})

    @property
    def author_name(self) -> str:
        account = self.user.get_display_name() if self.user_id and self.user else None
        return author_name(account_name=account, typed_name=self.name)

    @property
    def is_placeholder(self) -> bool:
        return self.status in {self.Status.REMOVED, self.Status.SPAM}


class ThreadCount(models.Model):
    """An article's thread in four numbers, kept by the database itself, as WordPress keeps
    wp_posts.comment_count: triggers on the comments table (migration 0013) count an
    article's row again whenever a statement adds or removes one of its comments or changes
    a comment's status, parent, pick or article, whoever wrote it (a view, the admin's bulk
    actions, an import, an erasure, a cascade). The thread page reads this row instead of
    counting a 2,000-comment thread on every build (docs/decisions.md).

    No foreign key: the triggers run while an article's comments are deleted with it, and
    would otherwise write a row for an article about to go. Articles without a comment ever
    written have no row (comments.threads.counts_of reads that as zeros)."""

    article_id = models.BigIntegerField(primary_key=True)
    approved = models.PositiveIntegerField(default=0)  # approved comments
    roots = models.PositiveIntegerField(default=0)  # top-level rows shown (approved, removed)
    featured = models.PositiveIntegerField(default=0)  # approved editors' picks
    latest = models.BigIntegerField(null=True)  # the newest approved comment's id

    def __str__(self) -> str:
        return f"thread of article {self.article_id}: {self.approved} approved"


class DiscussionSettings(models.Model):
    """The site's discussion rules (WordPress's Settings → Discussion); one row."""

    CACHE_KEY = "comments:discussion-settings"

    require_approval = models.BooleanField(
        "comment must be manually approved",
        default=False,
        help_text="Every comment waits for a moderator.",
    )
    trusted_after = models.PositiveSmallIntegerField(
        "trusted after N approved comments",
        default=1,
        help_text="A commenter with this many approved comments is published at once; 0 trusts "
        "everyone. Only a verified identity earns trust: a logged-in reader whose email is "
        "verified, or a guest whose browser opened a link mailed to the address (the "
        "reply-notification confirmation or the privacy link). An address a guest only typed "
        "always counts as a first comment.",
    )
    hold_links = models.PositiveSmallIntegerField(
        "hold at N links",
        default=2,
        help_text="Hold a comment with this many links or more; 0 switches the rule off.",
    )
    moderation_words = models.TextField(
        blank=True,
        help_text="One word or IP per line. A match in the body, name, email, website or IP "
        "holds the comment for moderation.",
    )
    disallowed_words = models.TextField(
        blank=True,
        help_text="One word or IP per line. A match in the same fields sends the comment to spam.",
    )
    close_after_days = models.PositiveIntegerField(
        default=0, help_text="Close comments on articles older than this; 0 never closes."
    )
    require_name_email = models.BooleanField(
        "comment author must fill out name and email", default=True
    )
    require_login = models.BooleanField("users must be logged in to comment", default=False)
    thread_depth = models.PositiveSmallIntegerField(
        default=5, help_text="Replies nest this many levels deep (1 = no nesting)."
    )
    per_page = models.PositiveSmallIntegerField("top-level comments per page", default=50)
    newest_first = models.BooleanField(
        default=False, help_text="Default order for readers who have not chosen one."
    )

    class Meta:
        verbose_name = verbose_name_plural = "discussion settings"

    def __str__(self) -> str:
        return "Discussion settings"

    def save(self, *args, **kwargs) -> None:
        self.pk = 1
        super().save(*args, **kwargs)
        cache.delete(self.CACHE_KEY)
        # Cached pages show the old rules (an open form, the old depth): expire them all.
        from comments import caching  # caching reads these settings: imported when saved

        caching.discussion_changed()

    def delete(self, *args, **kwargs):
        raise ValidationError("The discussion settings cannot be deleted.")

    @classmethod
    def load(cls) -> "DiscussionSettings":
        """The settings row, read through the shared cache."""
        return cls.from_cached(cache.get(cls.CACHE_KEY))

    @classmethod
    def from_cached(cls, current) -> "DiscussionSettings":
        """The settings row from what the shared cache held at CACHE_KEY (None: nothing,
        then read and kept), for a caller that read the key with others in one request."""
        if current is None:
            # Unsaved defaults until an admin saves the settings: reading never writes.
            current = cls.objects.filter(pk=1).first() or cls(pk=1)
            cache.set(cls.CACHE_KEY, current, 300)
        return current

    @staticmethod
    def words(text: str) -> list[str]:
        return [line.strip().lower() for line in text.splitlines() if line.strip()]


class Subscription(models.Model):
    """ "Notify me of replies to my comment"; a guest's waits for confirmation (double opt-in)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="subscriptions")
    email = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    is_confirmed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "email"], name="subscription_unique")
        ]

    def __str__(self) -> str:
        return f"{self.email} on comment {self.comment_id}"


class EmailOptOut(models.Model):
    """An address that clicked "unsubscribe" on a kind of notification."""

    class Kind(models.TextChoices):
        MODERATION = "moderation", "Comments to moderate"
        ARTICLE = "article", "Comments on my articles"
        APPROVED = "approved", "My comment was approved"

    email = models.EmailField()
    kind = models.CharField(max_length=12, choices=Kind)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["email", "kind"], name="optout_unique")]

    def __str__(self) -> str:
        return f"{self.email}: no {self.kind}"


def normalise_email(email: str) -> str:
    """The one form a guest's address is banned and matched in: trimmed, case-folded.
    (Provider rules such as Gmail's dots and +tags are not applied: see docs/decisions.md.)"""
    return email.strip().casefold()


class BanQuerySet(models.QuerySet):
    def in_force(self, now=None) -> "BanQuerySet":
        """Bans not lifted and not yet ended at ``now``: they end by themselves."""
        now = now or timezone.now()
        return self.filter(lifted_at__isnull=True).filter(
            models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=now)
        )

    def matching(self, *, user=None, email: str = "", ip: str | None = None) -> "BanQuerySet":
        """Bans naming this account, this address (normalised) or this IP address."""
        ip = self.model._meta.get_field("ip_address").get_prep_value(ip) if ip else ""
        return self.naming(user=user, email=normalise_email(email), ip=ip)

    def naming(self, *, user=None, email: str = "", ip: str = "") -> "BanQuerySet":
        """matching() for an address and IP address already normalised. The IP address is
        a plain string parameter of the SQL, cast there (not adapted in Python), so a
        compiled read (core.prepared, comments.posting) can swap it."""
        who = models.Q(pk__in=[])
        if user is not None:
            who |= models.Q(user=user)
        if email:
            who |= models.Q(email=email)
        if ip:
            address = Cast(models.Value(ip, models.CharField()), models.GenericIPAddressField())
            who |= models.Q(ip_address=address)
        return self.filter(who)


class Ban(models.Model):
    """A commenter refused (or, on probation, always held) until ``ends_at`` or for good."""

    class Kind(models.TextChoices):
        BAN = "ban", "Banned: may not comment"
        PROBATION = "probation", "On probation: every comment is held"

    kind = models.CharField(max_length=10, choices=Kind, default=Kind.BAN)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comment_bans",
        help_text="An account: it may not comment, logged in or as a guest with its address.",
    )
    email = models.EmailField(
        blank=True,
        help_text="A guest's address, matched whatever its case or the name typed with it.",
    )
    ip_address = models.GenericIPAddressField(
        "IP address",
        null=True,
        blank=True,
        help_text="Optional: also refuse every guest posting from this address (shared "
        "addresses, such as an office's, refuse everyone behind them).",
    )
    reason = models.CharField(
        max_length=300, help_text="Logged, and shown to the commenter when they try to post."
    )
    ends_at = models.DateTimeField(
        null=True, blank=True, help_text="When the ban ends by itself; empty: for good."
    )
    hide_comments = models.BooleanField(
        "hide their published comments",
        default=False,
        help_text="Their published comments show as removed until the ban is lifted.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = BanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["email"], name="ban_email"),
            models.Index(fields=["ip_address"], name="ban_ip"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(user__isnull=True, email="", ip_address__isnull=True),
                name="ban_names_someone",
            )
        ]

    def __str__(self) -> str:
        who = self.email or (self.ip_address or "")
        return f"{self.get_kind_display()}: {who or self.user_id}"

    def save(self, *args, **kwargs) -> None:
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

    def is_in_force(self, now=None) -> bool:
        now = now or timezone.now()
        return self.lifted_at is None and (self.ends_at is None or self.ends_at > now)


class ModerationLog(models.Model):
    """Append-only: who did what to which comment or commenter (ban), when, the text
    before and after, why."""

    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="log"
    )
    ban = models.ForeignKey(
        Ban, null=True, blank=True, on_delete=models.SET_NULL, related_name="log"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text="Empty for the site's own automatic decisions and for guests.",
    )
    action = models.CharField(max_length=20)
    status_before = models.CharField(max_length=10, blank=True)
    status_after = models.CharField(max_length=10, blank=True)
    body_before = models.TextField(blank=True)
    body_after = models.TextField(blank=True)
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        if self.comment_id is None:
            return f"{self.action} ban {self.ban_id}"
        return f"{self.action} comment {self.comment_id}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValidationError("The moderation log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("The moderation log is append-only.")


class ReaderAction(models.Model):
    """What one reader did to a comment, once: an account by account, a guest by the random
    browser id of their signed cookie (comments.reader.guest_key)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    guest = models.CharField(
        max_length=40, blank=True, help_text="A guest's random browser id (signed cookie)."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "user"],
                condition=models.Q(user__isnull=False),
                name="%(class)s_once_per_account",
            ),
            models.UniqueConstraint(
                fields=["comment", "guest"],
                condition=~models.Q(guest=""),
                name="%(class)s_once_per_guest",
            ),
        ]


class ReportQuerySet(models.QuerySet):
    def open(self) -> "ReportQuerySet":
        """Reports no moderator has answered yet: the ones that count towards a hold."""
        return self.filter(resolved_at__isnull=True)


class Report(ReaderAction):
    """A reader's report of a comment; a moderator's decision on the comment resolves it."""

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam"
        ABUSE = "abuse", "Abuse or harassment"
        OFF_TOPIC = "off-topic", "Off-topic"
        MISINFORMATION = "misinformation", "Misinformation"
        OTHER = "other", "Other"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(max_length=20, choices=Reason)
    text = models.CharField("details", max_length=500, blank=True)
    client = models.CharField(
        max_length=45,
        help_text="The reporter's network (an IPv4 address, an IPv6 /64): distinct reporters "
        "must be distinct clients for a report to count towards a hold.",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta(ReaderAction.Meta):
        indexes = [models.Index(fields=["comment", "resolved_at"], name="report_open")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} on comment {self.comment_id}"


class Reaction(ReaderAction):
    """One reader's "like" of a comment (Comment.reaction_count keeps the total)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reactions")

    class Meta(ReaderAction.Meta):
        indexes = [models.Index(fields=["guest"], name="reaction_guest")]

    def __str__(self) -> str:
        return f"reaction to comment {self.comment_id}"
