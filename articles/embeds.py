"""Embeds (issue 15): a known provider's address in the body, shown to readers as a facade.

The body stores a reference, never a frame:
``<figure data-embed="youtube" data-url="https://…" data-title="…" data-poster="embeds/…">
<figcaption>…</figcaption></figure>``. The sanitiser keeps those attributes only when they
pass the checks here; the facade (title, provider, poster, a link to the original and a
"Load content from …" button) is made when the page is rendered, from settings.EMBED_PROVIDERS,
so changing the setting changes every article. No third party is asked for anything until
the reader clicks; only the editor's save asks the provider's oEmbed endpoint (bounded
timeouts) for a title and a poster image, which the site stores and serves itself.
"""

import hashlib
import html
import json
import re
import urllib.request
from dataclasses import dataclass
from urllib.error import URLError
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from articles.images import image_clean_upload
from articles.sanitize import clean_html

TITLE_MAX_LENGTH = 300
POSTER_NAME = re.compile(r"embeds/[a-z0-9]{1,30}-[0-9a-f]{20}\.(?:jpg|png|webp)")
# Anything that is not a printable, non-space ASCII character has no place in an address
# we accept (the editor pastes addresses as they are; IDN hosts come as punycode).
URL_CHARACTERS = re.compile(r"[!#$%&()*+,\-./0-9:;=?@A-Z\[\]_a-z~]+")

UNKNOWN = (
    "Embeds come from known providers only: {names}. Paste the address of the video, "
    "post, chart or map itself."
)


@dataclass(frozen=True)
class Embed:
    provider: str  # the key in settings.EMBED_PROVIDERS
    name: str  # the provider's name for readers
    url: str  # the address as pasted (validated)
    frame_url: str  # the frame's address, made only from the pattern's groups


def _providers() -> dict:
    return settings.EMBED_PROVIDERS


def provider_names() -> str:
    return ", ".join(p["name"] for p in _providers().values())


def frame_origins() -> list[str]:
    """Every frame origin of every provider: what the CSP's frame-src allows."""
    return sorted({o for p in _providers().values() for o in p["frame_origins"]})


def embed_parse(value: str) -> Embed:
    """The embed a pasted address stands for, or a ValidationError saying why not.

    Strict: https only, the host exactly one of a provider's hosts (no credentials, no port,
    no trailing dot), the whole path and query matching one of its patterns, a length cap.
    """
    value = (value or "").strip()
    if not value:
        raise ValidationError("Paste the address of what you want to embed.", code="empty")
    limit = settings.EMBED_URL_MAX_LENGTH
    if len(value) > limit:
        raise ValidationError(
            f"This address is {len(value)} characters long; the limit is {limit}.",
            code="too_long",
        )
    if value.startswith("<") or "<iframe" in value.lower() or "<script" in value.lower():
        raise ValidationError(
            "Paste the address of the video or post (https://…), not HTML code: "
            "iframes and scripts are not accepted.",
            code="html",
        )
    if not URL_CHARACTERS.fullmatch(value):
        raise ValidationError(
            "This address has spaces or characters an address cannot have.", code="characters"
        )
    if value.startswith("/") and not value.startswith("//"):
        return _match_site(value)
    parts = urlsplit(value)
    if parts.scheme.lower() != "https" or not value.lower().startswith("https://"):
        raise ValidationError(
            "Only https:// addresses can be embedded.",
            code="scheme",
        )
    if "@" in parts.netloc or ":" in parts.netloc or "\\" in value:
        raise ValidationError(
            "This address has a user name, password or port in it: paste the provider's "
            "own address.",
            code="netloc",
        )
    host = parts.netloc.lower()
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    for key, provider in _providers().items():
        if provider.get("site") or host not in provider["hosts"]:
            continue
        for pattern in provider["patterns"]:
            found = re.fullmatch(pattern, target)
            if found:
                frame = provider["frame"].format(host=host, **found.groupdict(""))
                return Embed(key, provider["name"], value, frame)
        raise ValidationError(
            f"This {provider['name']} address does not point to something that can be "
            "embedded: paste the address of the video, post or page itself.",
            code="pattern",
        )
    raise ValidationError(UNKNOWN.format(names=provider_names()), code="unknown")


def _match_site(path: str) -> Embed:
    parts = urlsplit(path)
    for key, provider in _providers().items():
        if not provider.get("site"):
            continue
        for pattern in provider["patterns"]:
            found = re.fullmatch(pattern, parts.path) if not parts.query else None
            if found and ".." not in parts.path:
                frame = provider["frame"].format(host="", **found.groupdict(""))
                return Embed(key, provider["name"], path, frame)
    raise ValidationError(UNKNOWN.format(names=provider_names()), code="unknown")


# --- Title and poster, fetched once when the embed is saved ------------------------------


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an error here: no hop to another host


_opener = urllib.request.build_opener(_NoRedirects)


def _fetch(url: str, max_bytes: int) -> bytes:
    if urlsplit(url).scheme not in {"http", "https"}:
        raise ValueError(f"not an http(s) address: {url[:80]}")
    headers = {"User-Agent": "Newsroom embeds"}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - http(s) checked above
    with _opener.open(request, timeout=settings.EMBED_FETCH_TIMEOUT) as response:
        body = response.read(max_bytes + 1)
    if len(body) > max_bytes:
        raise ValueError("answer too long")
    return body


def embed_fetch_details(embed: Embed) -> dict:
    """{"title", "poster"} from the provider's oEmbed endpoint (from the providers setting);
    empty values when it has none, cannot be reached or answers nonsense: a plain card."""
    endpoint = _providers()[embed.provider].get("oembed")
    if not endpoint:
        return {"title": "", "poster": ""}
    query = urlencode({"url": embed.url, "format": "json", "maxwidth": 1280})
    try:
        data = json.loads(_fetch(f"{endpoint}?{query}", settings.EMBED_OEMBED_MAX_BYTES))
    except (OSError, URLError, ValueError, TimeoutError):
        return {"title": "", "poster": ""}
    if not isinstance(data, dict):
        return {"title": "", "poster": ""}
    title = " ".join(str(data.get("title") or "").split())[:TITLE_MAX_LENGTH]
    thumbnail = data.get("thumbnail_url")
    poster = _poster_store(embed, thumbnail) if isinstance(thumbnail, str) else ""
    return {"title": title, "poster": poster}


def _poster_store(embed: Embed, thumbnail_url: str) -> str:
    """The poster through the same checks as an upload, saved with Django's storage API."""
    try:
        raw = _fetch(thumbnail_url, settings.ARTICLES_IMAGE_MAX_BYTES)
        cleaned = image_clean_upload(ContentFile(raw, name="poster"))
    except (OSError, URLError, ValueError, TimeoutError, ValidationError):
        return ""
    digest = hashlib.sha256(embed.url.encode()).hexdigest()[:20]
    extension = cleaned.name.rsplit(".", 1)[-1]
    name = f"embeds/{embed.provider[:30]}-{digest}.{extension}"
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, cleaned)


def embed_resolve(value: str) -> dict:
    """What the editor stores for a pasted address, or a ValidationError with the reason."""
    embed = embed_parse(value)
    details = embed_fetch_details(embed)
    return {
        "provider": embed.provider,
        "name": embed.name,
        "url": embed.url,
        "title": details["title"],
        "poster": details["poster"],
        "poster_url": default_storage.url(details["poster"]) if details["poster"] else "",
    }


# --- The sanitiser's checks ---------------------------------------------------------------


def embed_attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    """nh3's attribute_filter for the embed reference: each data-* value is kept only when
    valid (an unknown provider, a bad address or poster name is dropped)."""
    if tag != "figure" or not attribute.startswith("data-"):
        return value
    if attribute == "data-embed":
        return value if value in _providers() else None
    if attribute == "data-url":
        try:
            embed_parse(value)
        except ValidationError:
            return None
        return value
    if attribute == "data-title":
        return value[:TITLE_MAX_LENGTH]
    if attribute == "data-poster":
        return value if POSTER_NAME.fullmatch(value) else None
    return value  # another data-* the allow-list admits is not the embed's to judge


# --- The facade, made at render time ------------------------------------------------------

# Attribute values in the sanitiser's output are double-quoted, with " escaped as &quot;.
FIGURE = re.compile(r'<figure((?: [a-z-]+="[^"]*")*)>(.*?)</figure>', re.DOTALL)
ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')
CAPTION = re.compile(r"<figcaption>(.*?)</figcaption>", re.DOTALL)


def has_embeds(cleaned_html: str) -> bool:
    return ' data-embed="' in cleaned_html


def embeds_render(body: str) -> SafeString:
    """The body through the sanitiser, each embed reference in it replaced by its facade.

    The facade is a template rendered with autoescape from values the sanitiser kept and
    embed_parse accepted again here; the caption is the sanitiser's output."""
    return mark_safe(embed_facades(clean_html(body)))  # noqa: S308 - see embed_facades


def embed_facades(cleaned: str) -> str:
    """The sanitiser's output ``cleaned`` with each embed reference replaced by its facade
    (a template rendered with autoescape); other markup, image references included, is
    left as it is."""
    if not has_embeds(cleaned):
        return cleaned
    return FIGURE.sub(_facade, cleaned)


def embeds_as_links(body: str) -> str:
    """The body through the sanitiser, each embed as a link to the original (for feeds,
    where no script runs and no facade can load anything)."""
    cleaned = clean_html(body)
    if not has_embeds(cleaned):
        return cleaned
    return clean_html(FIGURE.sub(_link, cleaned))


def _link(found: re.Match) -> str:
    attrs = {k: html.unescape(v) for k, v in ATTRIBUTE.findall(found.group(1))}
    try:
        embed = embed_parse(attrs.get("data-url", ""))
    except ValidationError:
        return found.group(0)
    caption = CAPTION.search(found.group(2))
    title = attrs.get("data-title") or "Content"
    link = format_html('<p><a href="{}">{} ({})</a></p>', embed.url, title, embed.name)
    return f"<figure>{link}{caption.group(0) if caption else ''}</figure>"


def _facade(found: re.Match) -> str:
    attrs = {k: html.unescape(v) for k, v in ATTRIBUTE.findall(found.group(1))}
    if "data-embed" not in attrs:
        return found.group(0)
    try:
        embed = embed_parse(attrs.get("data-url", ""))
    except ValidationError:
        return found.group(0)
    if embed.provider != attrs.get("data-embed"):
        return found.group(0)
    caption = CAPTION.search(found.group(2))
    poster = attrs.get("data-poster", "")
    context = {
        "embed": embed,
        "title": attrs.get("data-title") or f"Content from {embed.name}",
        "poster_url": default_storage.url(poster) if POSTER_NAME.fullmatch(poster) else "",
        # The caption is the sanitiser's output already.
        "caption": mark_safe(clean_html(caption.group(1))) if caption else "",  # noqa: S308
    }
    return render_to_string("articles/_embed.html", context)
