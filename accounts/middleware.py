"""Two-factor login for the groups that must have it, enforced at the admin's door."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse


class StaffMFAMiddleware:
    """Send members of groups that require two-factor login to set it up before the admin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.path.startswith(reverse("admin:index"))
            and request.user.is_authenticated
            and request.user.is_staff
            and request.user.is_mfa_required()
            and not request.user.has_mfa()
        ):
            messages.warning(request, "Your role requires two-factor login: set it up first.")
            return redirect("mfa_activate_totp")
        return self.get_response(request)
