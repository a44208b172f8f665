"""WordPress's post markup made into what Newsroom's body holds (before the sanitiser).

Block comments and ``<!--more-->`` go; ``[caption]`` and image blocks become figure
references to library images (``<figure data-image="ID">``); embed blocks, ``[embed]`` and a
bare provider address on its own line become embed references (articles.embeds) when the
provider is known, else a plain link; classic-editor text gets its paragraphs (wpautop's
main rule). Pictures are looked up through ``image_for(src, attachment_id)``, which answers
a library image id or None; a picture it cannot find is left out with a warning.
"""

import html
import re
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.html import escape

from articles.embeds import embed_parse

BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.S)
MORE = re.compile(r"<!--\s*(?:more|nextpage|noteaser)\b.*?-->", re.S)
CAPTION = re.compile(r"\[caption([^\]]*)\](.*?)\[/caption\]", re.S)
EMBED_SHORTCODE = re.compile(r"\[embed[^\]]*\](.*?)\[/embed\]", re.S)
EMBED_BLOCK = re.compile(
    r'<figure[^>]*class="[^"]*wp-block-embed[^"]*"[^>]*>\s*<div[^>]*>\s*(\S+?)\s*</div>'
    r"\s*(<figcaption[^>]*>.*?</figcaption>)?\s*</figure>",
    re.S,
)
IMAGE_BLOCK = re.compile(r'<figure[^>]*class="[^"]*wp-block-image[^"]*"[^>]*>(.*?)</figure>', re.S)
BARE_URL = re.compile(r"^[ \t]*(https?://[^\s<>\"]+)[ \t]*$", re.M)
IMG = re.compile(r"<img\b[^>]*>", re.S | re.I)
LINKED_IMG = re.compile(r"<a\b[^>]*>\s*(<img\b[^>]*>)\s*</a>", re.S | re.I)
ATTRIBUTE = re.compile(r"([a-zA-Z][\w:-]*)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
FIGCAPTION = re.compile(r"<figcaption[^>]*>(.*?)</figcaption>", re.S)
WP_IMAGE = re.compile(r"wp-image-([0-9]+)")
ATTACHMENT = re.compile(r"attachment_([0-9]+)")
BLOCK_START = re.compile(
    r"^\s*<(?:p|h[1-6]|ul|ol|li|blockquote|figure|pre|table|div|hr|address)\b", re.I
)

ImageFor = Callable[[str, str], "int | None"]


def attributes(tag: str) -> dict[str, str]:
    return {
        m[1].lower(): html.unescape(m[2] if m[2] is not None else m[3])
        for m in ATTRIBUTE.finditer(tag)
    }


def translate(body: str, image_for: ImageFor, warnings: list[str]) -> str:
    """The body Newsroom stores for a WordPress post's content (the sanitiser comes after)."""
    is_blocks = "<!-- wp:" in body
    body = MORE.sub("", BLOCK_COMMENT.sub("", body))
    body = EMBED_BLOCK.sub(lambda m: _embed(m[1], m[2] or "", warnings), body)
    body = EMBED_SHORTCODE.sub(lambda m: _embed(m[1].strip(), "", warnings), body)
    body = CAPTION.sub(lambda m: _caption(m, image_for, warnings), body)
    body = IMAGE_BLOCK.sub(lambda m: _image_block(m[1], image_for, warnings), body)
    body = LINKED_IMG.sub(lambda m: _figure(m[1], "", image_for, warnings), body)
    body = IMG.sub(lambda m: _figure(m[0], "", image_for, warnings), body)
    body = BARE_URL.sub(lambda m: _embed(m[1], "", warnings), body)
    return re.sub(r"\n\s*\n(?:\s*\n)+", "\n\n", body) if is_blocks else autop(body)


def _embed(url: str, caption_html: str, warnings: list[str]) -> str:
    url = html.unescape(url.strip())
    caption = FIGCAPTION.search(caption_html)
    figcaption = f"<figcaption>{caption[1]}</figcaption>" if caption else ""
    try:
        embed = embed_parse(url)
    except ValidationError:
        warnings.append(f"embed of an unknown provider kept as a link: {url[:120]}")
        return f'<p><a href="{escape(url)}">{escape(url)}</a></p>'
    return (
        f'<figure data-embed="{escape(embed.provider)}" data-url="{escape(embed.url)}">'
        f"{figcaption}</figure>"
    )


def _caption(match: re.Match, image_for: ImageFor, warnings: list[str]) -> str:
    options, inner = attributes(match[1]), match[2]
    found = IMG.search(inner)
    if not found:
        return inner
    words = IMG.sub("", LINKED_IMG.sub("", inner)).strip()
    caption = options.get("caption") or words
    attachment = ATTACHMENT.search(options.get("id", ""))
    return _figure(found[0], caption, image_for, warnings, attachment[1] if attachment else "")


def _image_block(inner: str, image_for: ImageFor, warnings: list[str]) -> str:
    found = IMG.search(inner)
    if not found:
        return ""
    caption = FIGCAPTION.search(inner)
    return _figure(found[0], caption[1] if caption else "", image_for, warnings)


def _figure(img: str, caption: str, image_for: ImageFor, warnings, attachment: str = "") -> str:
    attrs = attributes(img)
    src = attrs.get("src", "")
    numbered = WP_IMAGE.search(attrs.get("class", ""))
    image_id = image_for(src, attachment or (numbered[1] if numbered else ""))
    if image_id is None:
        warnings.append(f"picture not found, left out: {src[:160]}")
        return ""
    figcaption = f"<figcaption>{caption.strip()}</figcaption>" if caption.strip() else ""
    return f'<figure data-image="{int(image_id)}">{figcaption}</figure>'


def autop(body: str) -> str:
    """Classic-editor text: blank lines make paragraphs, single newlines line breaks
    (the main rule of WordPress's wpautop); block elements are left as they are."""
    parts = []
    for chunk in re.split(r"\n\s*\n", body.replace("\r\n", "\n")):
        chunk = chunk.strip()
        if not chunk:
            continue
        if BLOCK_START.match(chunk):
            parts.append(chunk)
        else:
            parts.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    return "\n".join(parts)
