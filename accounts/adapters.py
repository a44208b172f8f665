"""allauth adapters: where the site's own rules plug into sign-up, login and social login."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.validators import password_too_long
from core.clientip import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        """The address login limits count: behind NEWSROOM_TRUSTED_PROXIES, as comments do."""
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def authenticate(self, request: HttpRequest, **credentials):
        """Refuse a password over the maximum before any backend hashes it (the forms say
        so first; this covers every other way in)."""
        error = password_too_long(credentials.get("password"))
        if error is not None:
            raise error
        return super().authenticate(request, **credentials)

    def is_safe_url(self, url: str | None) -> bool:
        """Only this site: relative paths, or absolute http(s) URLs on the request's own host."""
        if not url:
            return False
        request = self.request
        allowed = {request.get_host()} if request is not None else set()
        return url_has_allowed_host_and_scheme(
            url,
            allowed_hosts=allowed,
            require_https=request is not None and request.is_secure(),
        )


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request: HttpRequest, sociallogin, data: dict):
        """Take the provider's full name as the display name shown on comments."""
        user = super().populate_user(request, sociallogin, data)
        if data.get("name") and not user.display_name:
            user.display_name = data["name"][:100]
        return user
