"""The admin's own login and password forms, replaced by the site's (allauth) ones.

Django's admin login checks a password and nothing else: no rate limits, no two-factor
step. Every way into the admin goes through the site's login instead, so the same limits,
the two-factor code and the "next" rules apply (allauth's "securing the admin login")."""

from allauth.account.adapter import get_adapter
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode


def admin_next(request: HttpRequest) -> str:
    """Where to go once logged in: the admin's "next" if it is on this site, else the admin."""
    wanted = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME)
    if wanted and get_adapter(request).is_safe_url(wanted):
        return wanted
    return reverse("admin:index")


def admin_login(request: HttpRequest, extra_context=None) -> HttpResponseRedirect:
    """Stands in for AdminSite.login: never checks a password itself.

    A visitor goes to the site's login with "next" kept; logged-in staff go on to the
    admin; anyone else logged in is refused (a POST here cannot switch users)."""
    if request.user.is_authenticated:
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied("This account has no access to the admin.")
        return HttpResponseRedirect(admin_next(request))
    query = urlencode({REDIRECT_FIELD_NAME: admin_next(request)})
    return HttpResponseRedirect(f"{reverse('account_login')}?{query}")


def admin_password_change(request: HttpRequest, extra_context=None) -> HttpResponseRedirect:
    """Stands in for AdminSite.password_change: the site's form has the same checks as
    everywhere else (the old password's length before it is hashed, the validators)."""
    return redirect("account_change_password")
