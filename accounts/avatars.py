"""Avatars: check an upload by its content, strip its metadata, make each size once.

Also the fallbacks when a user has none: a generated initials SVG or a Gravatar URL.
"""

import hashlib
import io
import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
PALETTE = ["#1f6feb", "#8250df", "#bf3989", "#cf222e", "#bc4c00", "#1a7f37", "#0969da"]


def avatar_open(upload) -> Image.Image:
    """Return the upload as a decoded image, or raise ValidationError saying what is wrong."""
    max_bytes = settings.ACCOUNTS_AVATAR_MAX_BYTES
    if upload.size > max_bytes:
        raise ValidationError(
            f"The image is too large: at most {max_bytes // 1024} KB.", code="too_large"
        )
    upload.seek(0)
    try:
        image = Image.open(upload)
        # Refuse by header before decoding, so a decompression bomb is never expanded.
        if image.width * image.height > settings.ACCOUNTS_AVATAR_MAX_PIXELS:
            raise ValidationError("The image has too many pixels.", code="too_many_pixels")
        if image.format not in ALLOWED_FORMATS:
            raise ValidationError("Upload a JPEG, PNG, GIF or WebP image.", code="format")
        image.load()
    except Image.DecompressionBombError as error:  # Pillow's own cap, checked at open
        raise ValidationError("The image has too many pixels.", code="too_many_pixels") from error
    except (UnidentifiedImageError, OSError) as error:
        raise ValidationError("This file is not an image we can read.", code="invalid") from error
    return image


def avatar_renditions(image: Image.Image) -> dict[int, bytes]:
    """Square JPEGs for each configured size, upright and without EXIF or other metadata."""
    upright = ImageOps.exif_transpose(image)
    if upright.mode not in ("RGB", "L"):
        background = Image.new("RGB", upright.size, "white")
        rgba = upright.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        upright = background
    renditions = {}
    for size in settings.ACCOUNTS_AVATAR_SIZES:
        square = ImageOps.fit(upright.convert("RGB"), (size, size), Image.Resampling.LANCZOS)
        square.info.clear()  # Pillow writes a JPEG comment (or ICC profile) kept in info
        buffer = io.BytesIO()
        square.save(buffer, "JPEG", quality=85, optimize=True)  # no exif= argument: none kept
        renditions[size] = buffer.getvalue()
    return renditions


def avatar_store(*, user, image: Image.Image) -> str:
    """Write every size under a fresh name; return the largest one's storage name."""
    token = secrets.token_hex(8)
    names = {}
    for size, data in avatar_renditions(image).items():
        name = f"avatars/{user.pk}/{token}-{size}.jpg"
        names[size] = default_storage.save(name, ContentFile(data))
    return names[max(names)]


def avatar_delete_files(name: str) -> None:
    for size in settings.ACCOUNTS_AVATAR_SIZES:
        default_storage.delete(rendition_name(name, size))


def rendition_name(name: str, size: int) -> str:
    stem, _, _ = name.rpartition("-")
    return f"{stem}-{size}.jpg"


def best_size(size: int) -> int:
    """The smallest stored size at least as big as asked (the biggest if none is)."""
    sizes = sorted(settings.ACCOUNTS_AVATAR_SIZES)
    return next((s for s in sizes if s >= size), sizes[-1])


def avatar_url(user, size: int) -> str:
    """URL of the user's avatar at about `size` pixels, or the configured fallback."""
    if user.avatar:
        return default_storage.url(rendition_name(user.avatar.name, best_size(size)))
    if settings.ACCOUNTS_AVATAR_FALLBACK == "gravatar" and user.email:
        digest = hashlib.sha256(user.email.strip().lower().encode()).hexdigest()
        query = urlencode({"s": size, "d": "identicon"})
        return f"https://www.gravatar.com/avatar/{digest}?{query}"
    return reverse("accounts:initials", kwargs={"initials": user.get_initials() or "?"})


def initials_svg(initials: str) -> str:
    """A round coloured badge with up to two letters; the letters are XML-escaped."""
    from django.utils.html import escape

    letters = escape(initials[:2].upper())
    colour = PALETTE[int(hashlib.sha256(initials.encode()).hexdigest(), 16) % len(PALETTE)]
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">'
        f'<circle cx="32" cy="32" r="32" fill="{colour}"/>'
        '<text x="50%" y="50%" dy=".35em" text-anchor="middle" fill="#fff" '
        f'font-family="sans-serif" font-size="26">{letters}</text></svg>'
    )
