from django import template
from django.utils.html import format_html

from accounts.avatars import avatar_url

register = template.Library()
BRANDED_PROVIDERS = {"google", "github", "facebook"}


@register.simple_tag
def avatar(user, size: int = 48, css_class: str = "") -> str:
    """<img> of the user's avatar at `size` CSS pixels: {% avatar user 48 %}."""
    size = int(size)
    return format_html(
        '<img class="avatar rounded-circle {}" src="{}" width="{}" height="{}" alt=""'
        ' loading="lazy">',
        css_class,
        avatar_url(user, size),
        size,
        size,
    )


@register.filter
def provider_icon(provider_id: str) -> str:
    """Static path of a provider's icon; a generic key for OpenID Connect and the rest."""
    name = provider_id if provider_id in BRANDED_PROVIDERS else "openid"
    return f"img/providers/{name}.svg"
