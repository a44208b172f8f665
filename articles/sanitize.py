"""The one HTML sanitiser: everything rendered as HTML passes through clean_html."""

import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "figure",
    "figcaption",
    "hr",
    "code",
    "pre",
    "sub",
    "sup",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    # A body picture is a reference to a library image (articles.body renders its <img>);
    # no <img> is stored, so no body can load a picture from another host. An embed's
    # reference (issue 15): each value checked by articles.embeds.
    "figure": {"data-image", "data-embed", "data-url", "data-title", "data-poster"},
}
IMAGE_ID_DIGITS = 9
ALLOWED_SCHEMES = {"http", "https", "mailto"}


def clean_html(html: str) -> str:
    """Return html reduced to the allow-list: no scripts, handlers or dangerous URLs."""
    if not html:
        return ""
    # Lone surrogates (possible in a JSON body) cannot be encoded: make them U+FFFD.
    html = html.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    cleaned = _clean_once(html)
    # The HTML parser can re-nest what one pass leaves (e.g. <a><object><a>): clean again
    # until a pass changes nothing, so cleaning a cleaned text never changes it. Stored text
    # is already clean: its first pass changes nothing, and one pass is all it costs.
    for _ in range(3):
        if cleaned == html:
            break
        html, cleaned = cleaned, _clean_once(cleaned)
    return cleaned


def _clean_once(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    """Keep an attribute's value, or drop it (None): a figure's image reference only as a
    plain positive integer; the embed reference's data-* values only when valid (a known
    provider, an address it accepts)."""
    if tag != "figure":
        return value
    if attribute == "data-image":
        digits = value.isascii() and value.isdigit() and not value.startswith("0")
        return value if digits and len(value) <= IMAGE_ID_DIGITS else None
    from articles.embeds import embed_attribute_filter  # noqa: PLC0415 - embeds uses clean_html

    return embed_attribute_filter(tag, attribute, value)
