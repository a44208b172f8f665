from django import template
from django.utils.safestring import SafeString, mark_safe

from articles.embeds import embeds_render
from articles.sanitize import clean_html

register = template.Library()


@register.filter(name="sanitized")
def sanitized(value: str) -> SafeString:
    """Render rich text: the only mark_safe in templates, on the sanitiser's output."""
    return mark_safe(clean_html(str(value or "")))  # noqa: S308 - output of the sanitiser


@register.filter(name="with_embeds")
def with_embeds(value: str) -> SafeString:
    """An article body: sanitised, each embed reference shown as its facade (issue 15)."""
    return embeds_render(str(value or ""))
