"""Hostile uploads to both image entry points (article images, avatars), at default limits.

Covered elsewhere: EXIF with GPS stripped (tests/articles/test_images.py::test_gps_exif_*,
tests/accounts/test_avatars.py::test_upload_makes_each_size_once_without_exif), text named
.jpg, limits lowered in settings, GIF/BMP refused by format, SVG avatar refused
(tests/accounts/test_avatars.py::test_svg_is_refused).
"""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.avatars import avatar_open, avatar_renditions
from articles.images import image_clean_upload
from tests.factories import make_image_bytes

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def article_image(upload) -> list[bytes]:
    return [image_clean_upload(upload).read()]


def avatar(upload) -> list[bytes]:
    return list(avatar_renditions(avatar_open(upload)).values())


CLEANERS = pytest.mark.parametrize("clean", [article_image, avatar], ids=["article", "avatar"])


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def png_bomb(side: int = 50_000) -> bytes:
    """A real decompression bomb: a 1-bit PNG of side×side pixels (2.5 gigapixels, 312 MB
    decoded) that is a few hundred KB on the wire."""
    row = b"\0" * (1 + (side + 7) // 8)
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", data)
        + (_chunk(b"IEND", b""))
    )


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


@CLEANERS
def test_decompression_bomb_is_refused_from_its_header(clean):
    bomb = png_bomb()
    assert len(bomb) < 2 * 1024 * 1024  # under both byte limits: only the pixel cap stops it
    with pytest.raises(ValidationError, match="pixels"):
        clean(upload("bomb.png", bomb))


@CLEANERS
@pytest.mark.parametrize("where", ["appended", "comment"])
def test_image_that_is_also_html_comes_out_as_a_plain_image(clean, where):
    jpeg = make_image_bytes()
    if where == "appended":
        polyglot = jpeg + HTML
    else:  # a JPEG comment segment right after SOI: browsers sniffing see the markup early
        polyglot = jpeg[:2] + b"\xff\xfe" + struct.pack(">H", len(HTML) + 2) + HTML + jpeg[2:]
    assert HTML in polyglot and Image.open(io.BytesIO(polyglot)).format == "JPEG"
    for data in clean(upload("both.html", polyglot)):
        assert b"<script" not in data and b"<html" not in data
        assert Image.open(io.BytesIO(data)).format in {"JPEG", "PNG", "WEBP"}


def test_article_image_with_a_wrong_extension_is_named_by_its_content():
    cleaned = image_clean_upload(upload("page.html", make_image_bytes(fmt="PNG")))
    assert cleaned.name == "page.png"
    cleaned = image_clean_upload(upload("photo.png", make_image_bytes(fmt="JPEG")))
    assert cleaned.name == "photo.jpg"


def test_article_svg_with_script_is_refused():
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
    )
    with pytest.raises(ValidationError, match="not an image we can read"):
        image_clean_upload(SimpleUploadedFile("chart.svg", svg, content_type="image/svg+xml"))


@CLEANERS
@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_truncated_file_is_refused_with_a_message(clean, fmt):
    whole = make_image_bytes(size=(400, 300), fmt=fmt)
    with pytest.raises(ValidationError, match="not an image we can read"):
        clean(upload("cut.img", whole[: len(whole) // 2]))


@CLEANERS
def test_huge_dimensions_in_a_tiny_header_are_refused(clean):
    """A header claiming 60,000×60,000 with no pixel data at all."""
    header = struct.pack(">IIBBBBB", 60_000, 60_000, 8, 2, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IEND", b"")
    with pytest.raises(ValidationError, match="pixels"):
        clean(upload("huge.png", data))
