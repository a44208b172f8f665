"""Importing from other systems, the articles' half: the summary every importer keeps,
authors, sections, tags and pictures (WordPress's posts are in articles.wpimport).

Imported rows keep where they came from (``import_source``, ``import_id``): a re-run finds
them and changes only what differs, so running the same export twice changes nothing."""

import hashlib
from collections import Counter, defaultdict
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db.models import Q
from django.utils.text import slugify

from articles.media import image_checked, image_store
from articles.media_models import Image
from articles.models import Section, Tag
from articles.wxr import Attachment, Author, Term

UPLOADS = "/wp-content/uploads/"
REPORTER = "Reporter"
DRY_RUN_IMAGE = 999_999_999  # the id a dry run gives a picture it would import


class Summary:
    """Created / updated / unchanged / skipped / kept / deleted per kind, and the warnings,
    for the report. "kept": changed in Newsroom since it was imported, so not overwritten;
    "deleted": deleted in Newsroom since it was imported, so not brought back."""

    ACTIONS = ("created", "updated", "unchanged", "skipped", "kept", "deleted")

    def __init__(self) -> None:
        self.counts: dict[str, Counter] = defaultdict(Counter)
        self.warnings: list[str] = []

    def add(self, kind: str, action: str, n: int = 1) -> None:
        self.counts[kind][action] += n

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def changed(self) -> int:
        return sum(c["created"] + c["updated"] for c in self.counts.values())

    def lines(self) -> list[str]:
        rows = [
            f"{kind:<12} " + "  ".join(f"{a} {self.counts[kind][a]}" for a in self.ACTIONS)
            for kind in sorted(self.counts)
        ]
        return [*rows, f"warnings     {len(self.warnings)}"]


def author_sync(author: Author, summary: Summary):
    """The account for a WordPress author: matched by login, then by email; else a new
    Reporter with no usable password (they set one through "forgot password")."""
    User = get_user_model()
    match = Q(username__iexact=author.login)
    if author.email:
        match |= Q(email__iexact=author.email)
    user = User.objects.filter(match).order_by("-is_staff", "pk").first()
    if user is not None:
        summary.add("authors", "unchanged")
        return user
    user = User(
        username=author.login[:150],
        email=author.email,
        display_name=author.display_name[:100] if author.display_name != author.login else "",
        first_name=author.first_name[:150],
        last_name=author.last_name[:150],
        bio=author.bio,
        is_staff=True,
    )
    user.set_unusable_password()
    user.save()
    user.groups.add(Group.objects.get_or_create(name=REPORTER)[0])
    summary.add("authors", "created")
    return user


def section_sync(term: Term, summary: Summary) -> Section:
    """The section for a WordPress category: the one with its slug (or name), else new."""
    return _term_sync(Section, "sections", term, summary)


def tag_sync(term: Term, summary: Summary) -> Tag:
    return _term_sync(Tag, "tags", term, summary)


def _term_sync(model, kind: str, term: Term, summary: Summary):
    slug = slugify(term.slug)[:80] or slugify(term.name)[:80] or "imported"
    found = model.objects.filter(Q(slug=slug) | Q(name__iexact=term.name)).first()
    if found:
        summary.add(kind, "unchanged")
        return found
    summary.add(kind, "created")
    return model.objects.create(slug=slug, name=term.name[:80] or slug)


class Pictures:
    """WordPress's pictures as library images, found under ``media`` (a copy of
    wp-content/uploads); each imported once (by attachment id), then referred to."""

    def __init__(self, *, source: str, attachments: dict, media, summary, dry_run=False):
        self.source, self.media, self.summary, self.dry_run = source, media, summary, dry_run
        self.attachments = attachments
        self.by_file = {self._file_of(a): a for a in attachments.values()}
        self.known = dict(Image.objects.filter(import_source=source).values_list("import_id", "pk"))
        self.deleted = Image.deleted_here(source)  # deleted from the library here: left out

    @staticmethod
    def _file_of(attachment: Attachment) -> str:
        return attachment.file or uploads_path(attachment.url)

    def image_for(self, src: str, attachment_id: str = "") -> int | None:
        """The library image for a picture in a post (its address, its attachment id)."""
        attachment = self.attachments.get(attachment_id) or self.by_file.get(
            full_size(uploads_path(src))
        )
        if attachment is None:
            attachment = self.unattached(src)
        return self.image_of(attachment) if attachment else None

    def unattached(self, src: str) -> Attachment | None:
        """A picture under wp-content/uploads that no attachment in the export names
        (deleted from the library, uploaded by hand): known by its path."""
        relative = full_size(uploads_path(src))
        if not relative:
            return None
        key = "file:" + hashlib.sha256(relative.encode()).hexdigest()[:32]
        name = PurePosixPath(relative).stem
        return Attachment(key, src, "", "", name, "", "", "", relative)

    def image_of(self, attachment: Attachment) -> int | None:
        if attachment.wp_id in self.known:
            self.summary.add("images", "unchanged")
            return self.known[attachment.wp_id]
        if attachment.wp_id in self.deleted:
            self.summary.add("images", "deleted")
            self.deleted.discard(attachment.wp_id)  # counted and named once
            self.summary.warn(
                f"picture {attachment.wp_id} ({attachment.title[:40]}): deleted from the "
                "library in Newsroom since it was imported; not brought back"
            )
            return None
        path = self._located(self._file_of(attachment))
        if path is None:
            return None
        if self.dry_run:
            self.summary.add("images", "created")
            return DRY_RUN_IMAGE
        try:
            image = self._store(attachment, path)
        except ValidationError as error:
            self.summary.warn(f"picture refused ({path.name}): {'; '.join(error.messages)}")
            return None
        self.known[attachment.wp_id] = image.pk
        self.summary.add("images", "created")
        return image.pk

    def _located(self, relative: str) -> Path | None:
        if not self.media or not relative:
            return None
        root = Path(self.media).resolve()
        path = (root / relative).resolve()
        # Only files inside the media folder: a crafted path (../../etc) is not followed.
        if not path.is_relative_to(root) or not path.is_file():
            return None
        return path

    def _store(self, attachment: Attachment, path: Path) -> Image:
        with path.open("rb") as handle:
            cleaned = image_checked(File(handle, name=path.name))
        image = Image(
            title=(attachment.title or path.stem)[:200],
            alt=attachment.alt[:300],
            caption=attachment.caption[:300],
            credit=attachment.credit[:150],
            import_source=self.source,
            import_id=attachment.wp_id,
        )
        return image_store(image=image, cleaned=cleaned, by=None)


def uploads_path(url: str) -> str:
    """The part of a WordPress upload's address under wp-content/uploads ("" if none)."""
    path = unquote(urlsplit(url).path)
    _, found, rest = path.partition(UPLOADS)
    return rest if found else ""


def full_size(relative: str) -> str:
    """flood-300x200.png → flood.png: WordPress's resized copies name their original."""
    name = PurePosixPath(relative)
    stem, _, size = name.stem.rpartition("-")
    if stem and size.count("x") == 1 and size.replace("x", "").isdigit():
        return str(name.with_name(stem + name.suffix))
    return relative
