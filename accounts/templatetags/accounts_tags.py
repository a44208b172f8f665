from urllib.parse import quote_plus

from django import template
from django.utils.html import format_html

from accounts.avatars import avatar_url
from accounts.caching import cached_social_logins

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


NEXT = "__next__"  # where each kept login URL takes the page to come back to


@register.simple_tag(takes_context=True)
def social_logins(context, next_url: str) -> list[dict]:
    """One entry per configured social provider (id, name, login URL back to ``next_url``).

    allauth reads the apps and builds every provider on each call (1.8 ms of an article
    page); the list is cached as a fragment until a social app changes (accounts.caching)."""
    request = context["request"]

    def build() -> list[tuple[str, str, str]]:
        from allauth.socialaccount.adapter import get_adapter

        return [
            (
                provider.id,
                provider.name,
                provider.get_login_url(request, process="login", next=NEXT),
            )
            for provider in get_adapter().list_providers(request)
        ]

    back = quote_plus(next_url)
    return [
        {"id": provider_id, "name": name, "url": url.replace(NEXT, back)}
        for provider_id, name, url in cached_social_logins(build)
    ]
