"""Response headers Django has no setting for: Permissions-Policy, Cache-Control for
personal pages, the CSP exceptions."""

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.csp import CSP

# allauth's views are not ours to decorate: its account, two-factor and social-account pages
# show addresses, codes and keys, so they get the headers never_cache gives our own such views.
ALLAUTH_PAGES = ("account_", "mfa_", "socialaccount_")


def build_permissions_policy(policy: dict[str, list[str]]) -> str:
    """Render {"camera": [], "fullscreen": ["self"]} as 'camera=(), fullscreen=(self)'."""
    return ", ".join(f"{feature}=({' '.join(origins)})" for feature, origins in policy.items())


class PermissionsPolicyMiddleware:
    """Send settings.PERMISSIONS_POLICY on every response that has not set its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = build_permissions_policy(getattr(settings, "PERMISSIONS_POLICY", {}))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


class PrivatePagesMiddleware:
    """Cache-Control for pages only some people may see, where the view set none: allauth's
    account pages are never stored (as our views with a secret are, by ``never_cache``); a
    response built for one reader (logged in, or setting a cookie such as their CSRF token)
    is ``private``, so no shared cache or CDN keeps it. Cache hits never get here
    (PageCacheMiddleware is outer)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        match = request.resolver_match
        if match and (match.url_name or "").startswith(ALLAUTH_PAGES):
            add_never_cache_headers(response)
        elif built_for_one_reader(request, response):
            patch_cache_control(response, private=True)
        return response


def built_for_one_reader(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether the response sets a cookie (a page holding a CSRF token always sets it) or
    was rendered for a logged-in user."""
    if response.cookies:
        return True
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


class CSPExceptionsMiddleware:
    """The two reviewed exceptions to the site-wide CSP, each on the views that need it.

    - Social-login views post to this site, which redirects to the identity provider;
      browsers apply form-action to that redirect, so there form-action also allows https:
      and the configured OpenID Connect servers.
    - The admin's rich-text editor (ProseMirror) injects <style> elements at run time, so
      admin pages allow inline styles (never inline scripts).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = dict(settings.SECURE_CSP)
        match = request.resolver_match
        if match and (match.url_name or "").endswith("_login") and "form-action" in policy:
            policy["form-action"] = [*policy["form-action"], "https:", *provider_origins()]
            response._csp_config = policy
        elif match and match.namespace == "admin":
            # A nonce would make browsers ignore 'unsafe-inline', so the admin has none here.
            policy["style-src"] = [CSP.SELF, CSP.UNSAFE_INLINE]
            response._csp_config = policy
        return response


def provider_origins() -> list[str]:
    """Origins of the OpenID Connect servers configured in the admin (may be plain http)."""
    from allauth.socialaccount.models import SocialApp

    origins = set()
    for app_settings in SocialApp.objects.values_list("settings", flat=True):
        parts = urlsplit((app_settings or {}).get("server_url", ""))
        if parts.scheme in {"http", "https"} and parts.netloc:
            origins.add(f"{parts.scheme}://{parts.netloc}")
    return sorted(origins)
