"""Uploaded images: checked by content, capped, stripped of EXIF, resized once."""

import io
import re
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def _open_checked(upload) -> Image.Image:
    """Open the upload as an image, whatever its name says, or refuse it with a reason."""
    max_bytes = settings.ARTICLES_IMAGE_MAX_BYTES
    if upload.size > max_bytes:
        raise ValidationError(
            f"The image is {upload.size / 1_000_000:.1f} MB; the limit is "
            f"{max_bytes / 1_000_000:.1f} MB.",
            code="too_big",
        )
    upload.seek(0)
    try:
        image = Image.open(upload)
        if image.format not in FORMATS:
            raise ValidationError(
                f"{image.format} images are not accepted: upload a JPEG, PNG or WebP.",
                code="format",
            )
        if image.width * image.height > settings.ARTICLES_IMAGE_MAX_PIXELS:
            raise ValidationError(
                f"The image is {image.width}×{image.height} pixels; the limit is "
                f"{settings.ARTICLES_IMAGE_MAX_PIXELS:,} pixels.",
                code="too_many_pixels",
            )
        image.load()
    except Image.DecompressionBombError as error:  # Pillow's own cap, checked at open
        raise ValidationError(
            f"The image has too many pixels; the limit is "
            f"{settings.ARTICLES_IMAGE_MAX_PIXELS:,} pixels.",
            code="too_many_pixels",
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise ValidationError(
            "This file is not an image we can read (JPEG, PNG or WebP).", code="invalid"
        ) from error
    return image


def image_clean_upload(upload) -> ContentFile:
    """A re-encoded copy of the upload with no EXIF (no GPS) and the right extension."""
    image = _open_checked(upload)
    fmt = image.format
    image = ImageOps.exif_transpose(image)  # keep the picture upright once EXIF is gone
    image.info.clear()
    if fmt == "JPEG" and image.mode not in {"RGB", "L"}:
        image = image.convert("RGB")
    buffer = io.BytesIO()
    options = {"quality": 88, "optimize": True} if fmt in {"JPEG", "WEBP"} else {}
    image.save(buffer, fmt, **options)
    stem = PurePosixPath(upload.name or "image").stem[:80] or "image"
    return ContentFile(buffer.getvalue(), name=f"{stem}.{FORMATS[fmt]}")


def _save_rendition(image: Image.Image, name: str, fmt: str) -> str:
    if default_storage.exists(name):
        return name
    buffer = io.BytesIO()
    image.save(buffer, fmt, quality=80)
    return default_storage.save(name, ContentFile(buffer.getvalue()))


def image_make_renditions(field_file) -> dict:
    """WebP and JPEG copies at each configured width (no upscaling), made once per file.

    Returns {"webp": [[width, name], ...], "jpeg": [...], "source": name}.
    """
    if not field_file:
        return {}
    with field_file.open("rb") as source:
        original = Image.open(source)
        original.load()
    original = original.convert("RGB")
    stem = PurePosixPath(field_file.name).with_suffix("")
    result = {"source": field_file.name, "webp": [], "jpeg": []}
    widths = sorted({w for w in settings.ARTICLES_IMAGE_WIDTHS if w < original.width})
    for width in widths + [original.width]:
        height = round(original.height * width / original.width)
        resized = original.resize((width, height), Image.Resampling.LANCZOS)
        for fmt, ext in (("WEBP", "webp"), ("JPEG", "jpeg")):
            name = _save_rendition(resized, f"renditions/{stem}-{width}w.{ext}", fmt)
            result[ext].append([width, name])
    return result


# Markup a browser (or a server) could run if it sniffed the file as something else.
HIDDEN_MARKUP = re.compile(rb"<(?:script|html|svg|\?xml|\?php|!doctype|iframe|body)", re.I)


def image_refuse_polyglot(upload) -> None:
    """Refuse a file that is an image and something else too (markup inside or appended).

    Re-encoding would drop it anyway; the library says so instead of keeping a file its
    uploader did not mean to send."""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if HIDDEN_MARKUP.search(data):
        raise ValidationError(
            "This file holds HTML or script besides the picture. Export the picture again "
            "(e.g. save it as JPEG from a photo editor) and upload that.",
            code="polyglot",
        )


def focal_crop_box(width: int, height: int, ratio: float, fx: float, fy: float) -> tuple:
    """The largest box of aspect ``ratio`` (width/height) inside width×height, centred on
    the focal point (fx, fy in 0..1) as far as the picture's edges allow."""
    crop_w, crop_h = (width, round(width / ratio))
    if crop_h > height:
        crop_w, crop_h = round(height * ratio), height
    left = min(max(round(fx * width - crop_w / 2), 0), width - crop_w)
    top = min(max(round(fy * height - crop_h / 2), 0), height - crop_h)
    return (left, top, left + crop_w, top + crop_h)


CARD_SIZE = (1200, 630)  # social cards (Open Graph, X): 1.91:1


def image_make_card(field_file, fx: float, fy: float) -> str:
    """A social-card JPEG cropped around the focal point; a new name for each focal point,
    so caches and CDNs never serve an old crop."""
    with field_file.open("rb") as source:
        original = Image.open(source)
        original.load()
    original = original.convert("RGB")
    box = focal_crop_box(original.width, original.height, CARD_SIZE[0] / CARD_SIZE[1], fx, fy)
    card = original.crop(box)
    if card.width > CARD_SIZE[0]:
        card = card.resize(CARD_SIZE, Image.Resampling.LANCZOS)
    stem = PurePosixPath(field_file.name).with_suffix("")
    return _save_rendition(card, f"renditions/{stem}-card-{fx:.3f}-{fy:.3f}.jpeg", "JPEG")
