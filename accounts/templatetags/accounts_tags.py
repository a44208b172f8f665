from urllib.parse import quote_plus

from django import template
from django.utils.html import format_html

from accounts.avatars import avatar_url
from accounts.caching import cached_social_logins
from core.prepared import Prepared

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
    """``{% social_logins next as logins %}``: logins(request, next_url)."""
    return logins(context["request"], next_url)


def logins(request, next_url: str) -> list[dict]:
    """One entry per configured social provider (id, name, login URL back to ``next_url``).

    allauth reads the apps and builds every provider on each call (1.8 ms of an article
    page); the list is cached as a fragment until a social app changes (accounts.caching),
    and past the cache built again only when the apps' rows differ from the last build's."""

    def build() -> list[tuple[str, str, str]]:
        return _logins_for(request)

    back = quote_plus(next_url)
    return [
        {"id": provider_id, "name": name, "url": url.replace(NEXT, back)}
        for provider_id, name, url in cached_social_logins(build)
    ]


def _site_apps(*, site_id: int):
    from allauth.socialaccount.models import SocialApp

    fields = [field.attname for field in SocialApp._meta.concrete_fields]
    return SocialApp.objects.filter(sites__id=site_id).order_by("pk").values_list(*fields)


_SITE_APPS = Prepared(_site_apps)
_last_build: list = [None, None]  # the apps' rows (JSON settings: not hashable), their entries


def _logins_for(request) -> list[tuple[str, str, str]]:
    """The entries allauth builds for the site's apps. The apps' rows are read each time (one
    compiled query) and compared with the last build's: the same rows give the same entries
    (settings-backed apps and app-less providers are fixed for the process), so the costly
    part, allauth's providers, runs only when an app changed."""
    from allauth.socialaccount.adapter import get_adapter
    from django.contrib.sites.shortcuts import get_current_site

    rows = _SITE_APPS.read(site_id=get_current_site(request).pk)
    kept_rows, entries = _last_build
    if rows == kept_rows:
        return entries
    entries = [
        (provider.id, provider.name, provider.get_login_url(request, process="login", next=NEXT))
        for provider in get_adapter().list_providers(request)
    ]
    _last_build[:] = [rows, entries]
    return entries
