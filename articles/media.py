"""Media library workflows: upload, edit rights, uses in articles, deletion."""

import re
from pathlib import PurePosixPath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from articles import caching
from articles.images import (
    image_clean_upload,
    image_make_card,
    image_make_renditions,
    image_refuse_polyglot,
)
from articles.media_models import Image, ImageUse
from core import pagecache

# The reference the sanitiser lets through (articles.sanitize): an integer id, nothing else.
FIGURE_REFERENCE = re.compile(r'<figure data-image="([0-9]+)">')


def is_library_editor(user) -> bool:
    """Editors (and superusers) edit every library image."""
    return bool(user and user.is_active and user.has_perm("articles.publish_article"))


def image_can_edit(*, image: Image, user) -> bool:
    """Editors edit all images; reporters the ones they uploaded."""
    if not (user and user.is_active and user.is_staff):
        return False
    if is_library_editor(user):
        return True
    return user.has_perm("articles.change_image") and image.uploaded_by_id == user.pk


def image_checked(file):
    """The upload checked like the lead image (content, bytes, pixels), refused if it hides
    markup, EXIF (GPS) stripped, re-encoded: the only bytes the library stores."""
    cleaned = image_clean_upload(file)
    image_refuse_polyglot(file)
    return cleaned


def image_store(*, image: Image, cleaned, by) -> Image:
    """Save ``image`` with the checked file ``cleaned`` and make its renditions."""
    image.uploaded_by = by
    image.file.save(cleaned.name, cleaned, save=False)
    image.save()
    image.renditions = image_make_renditions(image.file)
    image_recrop(image=image)
    return image


def image_recrop(*, image: Image) -> None:
    """Make the crops that follow the focal point (the social card) and save them."""
    card = image_make_card(image.file, image.focal_x, image.focal_y)
    image.renditions = {**image.renditions, "card": card}
    image.save(update_fields=["renditions"])


@transaction.atomic
def image_upload(*, file, by, alt: str = "", is_decorative: bool = False, **words) -> Image:
    """A library item from an upload (the editor's drop, paste or button)."""
    if not (by and by.is_active and by.is_staff and by.has_perm("articles.add_image")):
        raise PermissionDenied("You may not upload images.")
    cleaned = image_checked(file)
    title = (words.pop("title", "") or "").strip() or PurePosixPath(cleaned.name).stem
    image = Image(
        title=title[:200],
        alt=alt.strip(),
        is_decorative=is_decorative,
        uploaded_by=by,
        **{k: (v or "").strip() for k, v in words.items()},
    )
    image.full_clean(exclude=["file"])
    return image_store(image=image, cleaned=cleaned, by=by)


def body_image_ids(body: str) -> list[int]:
    """The library images a (sanitised) body refers to, in order, each once."""
    return list(dict.fromkeys(int(pk) for pk in FIGURE_REFERENCE.findall(body or "")))


def image_uses_sync(*, article, role: str = ImageUse.Role.BODY, ids=None) -> None:
    """Record which library images the article uses (the body's references by default)."""
    wanted = set(body_image_ids(article.body) if ids is None else ids)
    uses = ImageUse.objects.filter(article=article, role=role)
    recorded = set(uses.values_list("image_id", flat=True))
    if wanted == recorded:
        return
    uses.exclude(image_id__in=wanted).delete()
    existing = Image.objects.filter(pk__in=wanted - recorded).values_list("pk", flat=True)
    ImageUse.objects.bulk_create(
        [ImageUse(article=article, image_id=pk, role=role) for pk in existing]
    )


def images_missing_alt(article) -> list[Image]:
    """Body images of the article that readers who cannot see them would miss."""
    body = Image.objects.filter(uses__article=article, uses__role=ImageUse.Role.BODY)
    return [image for image in body.distinct() if image.needs_alt()]


def image_changed(*, image: Image) -> None:
    """Expire the pages of every article that shows the image (they render it by id)."""
    ids = image.uses.values_list("article_id", flat=True).distinct()
    pagecache.invalidate(*(caching.article_scope(pk) for pk in ids))


def image_delete(*, image: Image, by) -> None:
    """Delete an unused image; one in use names the articles that use it."""
    if not image_can_edit(image=image, user=by):
        raise PermissionDenied("You may delete only your own uploads.")
    used_in = sorted({use.article.title for use in image.uses.select_related("article")})
    if used_in:
        raise ValidationError(
            "This image is used in: " + "; ".join(used_in) + ". Remove it there first.",
            code="in_use",
        )
    image.file.delete(save=False)
    image.delete()


def image_from_lead(*, article, by) -> Image | None:
    """An article's uploaded lead image as a library item (the same stored file, already
    checked by the lead-image form), so every upload is in the library; None when the lead
    image came from the library or there is none."""
    if not article.lead_image or article.lead_library_image_id:
        return None
    image = Image(
        title=article.lead_image_caption[:200] or article.title[:200],
        alt=article.lead_image_alt,
        caption=article.lead_image_caption,
        credit=article.lead_image_credit,
        uploaded_by=by,
    )
    image.file = article.lead_image.name
    image.width, image.height = article.lead_image_width, article.lead_image_height
    image.save()
    image.renditions = image_make_renditions(image.file)
    image_recrop(image=image)
    article.lead_library_image = image
    article.save()
    return image
