import json

from django import template
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import _json_script_escapes, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def media_url(name: str) -> str:
    """The public URL of a stored file name (renditions are kept as names)."""
    return default_storage.url(name) if name else ""


@register.filter
def srcset(renditions: list) -> str:
    """[[width, name], ...] -> "url 480w, url 800w"."""
    return ", ".join(f"{default_storage.url(name)} {width}w" for width, name in renditions or [])


@register.filter
def jsonld(value: dict) -> SafeString:
    """A JSON-LD <script> with json_script's escaping (<, >, & become \\u escapes)."""
    text = json.dumps(value, cls=DjangoJSONEncoder).translate(_json_script_escapes)
    # Same escaping and the same mark_safe as django.utils.html.json_script, which
    # hard-codes type="application/json"; search engines want application/ld+json.
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308
