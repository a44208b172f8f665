"""WordPress posts as articles: fields, status, bylines, pictures, and the old links.

``PostImporter.save(post)`` writes one post (created, updated or left as it is) and records
the redirects its old addresses need; the caller batches posts in transactions."""

import html
from urllib.parse import urlsplit

from django.utils.html import strip_tags
from django.utils.text import slugify

from articles.caching import article_pages_changed
from articles.importing import DRY_RUN_IMAGE, Pictures, Summary, author_sync, section_sync, tag_sync
from articles.models import Article, Byline, Redirect
from articles.sanitize import clean_html
from articles.wpmarkup import translate
from articles.wxr import Header, Post

STATUSES = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.SCHEDULED,
    "draft": Article.Status.DRAFT,
    "pending": Article.Status.REVIEW,
}
PRIVATE = {"private", "trash"}  # imported (unpublished) only with --include-private
YOAST_PRIMARY = "_yoast_wpseo_primary_category"
LIVE = {Article.Status.PUBLISHED, Article.Status.SCHEDULED}


def source_of(header: Header) -> str:
    """The import_source of a WordPress site's rows: its address's host."""
    return "wordpress:" + (urlsplit(header.site_url).netloc or "unknown")[:90]


class PostImporter:
    def __init__(self, header: Header, *, media=None, include_private=False, dry_run=False):
        self.header, self.include_private = header, include_private
        self.source = source_of(header)
        self.summary = Summary()
        self.deleted = Article.deleted_here(self.source)  # posts deleted here: left out
        self.pictures = Pictures(
            source=self.source,
            attachments=header.attachments,
            media=media,
            summary=self.summary,
            dry_run=dry_run,
        )
        self.authors = {a.login: author_sync(a, self.summary) for a in header.authors.values()}
        self.users_by_wp_id = {
            a.wp_id: self.authors[a.login] for a in header.authors.values() if a.wp_id
        }
        self.sections = {s: section_sync(t, self.summary) for s, t in header.categories.items()}
        self.tags = {s: tag_sync(t, self.summary) for s, t in header.tags.items()}
        self.category_links()

    def status_for(self, post: Post) -> str | None:
        if post.post_type != "post":
            return None
        if post.status in PRIVATE:
            return Article.Status.UNPUBLISHED if self.include_private else None
        return STATUSES.get(post.status)

    def save(self, post: Post) -> Article | None:
        """The article for ``post`` (None when it is not imported: pages, private, trash)."""
        status = self.status_for(post)
        if status is None:
            self.summary.add(
                f"{post.post_type}s" if post.post_type != "post" else "posts", "skipped"
            )
            return None
        article = Article.objects.filter(import_source=self.source, import_id=post.wp_id).first()
        if article is None and post.wp_id in self.deleted:
            # Deleted in Newsroom after an import: a re-run does not bring it back.
            self.summary.add("posts", "deleted")
            self.summary.warn(
                f"post {post.wp_id} ({post.title[:40]}): deleted in Newsroom since it was "
                "imported; not brought back (Imported rows deleted here, in the admin)"
            )
            return None
        fields = self.fields(post, status, article)
        author = self.authors.get(post.author)
        tags = sorted({self.tags[t.slug].pk for t in post.tags if t.slug in self.tags})
        if article is None:
            article = Article(import_source=self.source, import_id=post.wp_id, **fields)
            article.created_by = author
            article.save()
            action = "created"
        elif article.changed_here(self.imported_state(article, fields)):
            # An editor's work is never overwritten: the post stays as Newsroom has it.
            self.summary.add("posts", "kept")
            self.summary.warn(
                f"post {post.wp_id} ({post.title[:40]}): changed in Newsroom since it was "
                "imported; kept as it is, not overwritten"
            )
            return article
        elif self.differs(article, fields, author, tags):
            for name, value in fields.items():
                setattr(article, name, value)
            article.save()
            action = "updated"
        else:
            self.summary.add("posts", "unchanged")
            self.remember(article, fields)  # an article imported before digests were kept
            return article
        article.tags.set(tags)
        Byline.objects.filter(article=article).exclude(author=author).delete()
        if author is not None:
            Byline.objects.get_or_create(article=article, author=author)
        self.remember(article, fields)
        self.summary.add("posts", action)
        self.old_links(post, article)
        article_pages_changed(article)  # the listings, feeds and pages it is on
        return article

    @staticmethod
    def imported_state(article: Article, fields: dict) -> dict:
        """The fields an import writes, with bylines and tags, as ``article``'s row has them."""
        state = {name: getattr(article, name) for name in fields}
        state["bylines"] = list(article.bylines.values_list("author_id", flat=True))
        state["tags"] = sorted(article.tags.values_list("pk", flat=True))
        return state

    def remember(self, article: Article, fields: dict) -> None:
        """Keep the digest of what this import wrote, read back from the database (the
        row's own spelling of each value), so a later change here can be told apart."""
        stored = Article.objects.get(pk=article.pk)
        digest = Article.digest(self.imported_state(stored, fields))
        if digest != article.import_digest:
            Article.objects.filter(pk=article.pk).update(import_digest=digest)
            article.import_digest = digest

    def fields(self, post: Post, status: str, article: Article | None) -> dict:
        warnings: list[str] = []
        body = translate(post.body, self.pictures.image_for, warnings)
        for warning in warnings:
            self.summary.warn(f"post {post.wp_id} ({post.title[:40]}): {warning}")
        fields = {
            "title": html.unescape(post.title)[:200] or f"Untitled ({post.wp_id})",
            "slug": self.slug_for(post, article),
            "standfirst": html.unescape(strip_tags(post.excerpt)).strip(),
            "body": clean_html(body),
            "status": status,
            "published_at": post.date if status in LIVE | {Article.Status.UNPUBLISHED} else None,
            "first_published_at": post.date if status == Article.Status.PUBLISHED else None,
            "section": self.section_for(post),
            "comments_open": post.comment_status == "open",
        }
        return fields | self.lead_image(post)

    def differs(self, article: Article, fields: dict, author, tags: list[int]) -> bool:
        if any(getattr(article, name) != value for name, value in fields.items()):
            return True
        bylines = list(article.bylines.values_list("author_id", flat=True))
        wanted = [author.pk] if author else []
        return bylines != wanted or sorted(article.tags.values_list("pk", flat=True)) != tags

    def slug_for(self, post: Post, article: Article | None) -> str:
        # A trashed post's slug gets "__trashed"; WordPress keeps the one it had.
        wanted = post.meta.get("_wp_desired_post_slug") or post.slug
        slug = slugify(wanted)[:200] or slugify(post.title)[:190] or f"post-{post.wp_id}"
        taken = Article.objects.filter(slug=slug)
        if article is not None:
            taken = taken.exclude(pk=article.pk)
        if taken.exists():  # a Newsroom article has it already: the WordPress id tells them apart
            slug = f"{slug[:180]}-wp{post.wp_id}"
        return slug

    def section_for(self, post: Post):
        primary = post.meta.get(YOAST_PRIMARY, "")
        slugs = [t.slug for t in post.categories]
        by_id = [s for s in slugs if s in self.sections and primary and s == primary]
        named = [s for s in slugs if s in self.sections and s != "uncategorized"]
        chosen = (by_id or named or [s for s in slugs if s in self.sections] or [None])[0]
        return self.sections.get(chosen)

    def lead_image(self, post: Post) -> dict:
        attachment = self.header.attachments.get(post.meta.get("_thumbnail_id", ""))
        if attachment is None:
            return {"lead_library_image_id": None}
        image_id = self.pictures.image_of(attachment)
        if image_id == DRY_RUN_IMAGE:
            return {"lead_library_image_id": None}
        if image_id is None:
            self.summary.warn(
                f"post {post.wp_id} ({post.title[:40]}): featured image not found, left "
                f"out: {attachment.file or attachment.url}"
            )
            return {"lead_library_image_id": None}
        return {
            "lead_library_image_id": image_id,
            "lead_image_alt": attachment.alt[:300],
            "lead_image_caption": html.unescape(strip_tags(attachment.caption))[:300],
            "lead_image_credit": attachment.credit[:150],
        }

    # --- Old links --------------------------------------------------------------------

    def old_links(self, post: Post, article: Article) -> None:
        """Redirects from the post's WordPress address (when Newsroom's differs) and from
        its pictures' attachment pages."""
        paths = [_path(post.link)]
        paths += [_path(a.link) for a in self.header.attachments.values() if a.parent == post.wp_id]
        new = article.get_absolute_url()
        for path in paths:
            if path and path != new and not urlsplit(path).query:
                self._redirect(path, article=article)

    def category_links(self) -> None:
        """/category/parent/child/ → the category's section (WordPress's category pages)."""
        parents = self.header.category_parents
        for slug, section in self.sections.items():
            chain, seen = [slug], {slug}
            while (parent := parents.get(chain[0])) and parent not in seen:
                chain.insert(0, parent)
                seen.add(parent)
            self._redirect("/category/" + "/".join(chain) + "/", section=section)
        for login, user in self.authors.items():
            if user.username != login:
                self._redirect(f"/author/{login}/", author=user)

    def _redirect(self, path: str, **target) -> None:
        if len(path) > Redirect._meta.get_field("old_path").max_length:
            return
        _, created = Redirect.objects.get_or_create(old_path=path, defaults=target)
        self.summary.add("redirects", "created" if created else "unchanged")


def _path(url: str) -> str:
    parts = urlsplit(url)
    if parts.query:
        return ""
    return parts.path or ""
