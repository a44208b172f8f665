"""Response headers Django has no setting for: Permissions-Policy."""

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.csp import CSP


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
