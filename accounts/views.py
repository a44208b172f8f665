import json

from allauth.core import ratelimit
from allauth.socialaccount.models import SocialAccount, SocialApp
from allauth.socialaccount.providers import registry
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts import avatars, identity, privacy, services
from accounts.forms import (
    AccountDeleteForm,
    GuestEraseForm,
    GuestPrivacyRequestForm,
    ProfileForm,
    WorkflowEmailForm,
)


def json_download(data: dict, filename: str) -> HttpResponse:
    body = json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    patch_cache_control(response, private=True, no_store=True)
    return response


def linked_accounts(user) -> list[dict]:
    """The user's social accounts, each with the provider's name as readers know it."""
    app_names = {app.provider_id or app.provider: app.name for app in SocialApp.objects.all()}
    linked = []
    for social in SocialAccount.objects.filter(user=user).order_by("pk"):
        provider_class = registry.get_class(social.provider)
        name = app_names.get(social.provider) or getattr(provider_class, "name", social.provider)
        data = social.extra_data
        # OpenID Connect keeps the claims under "userinfo" / "id_token"; others at the top.
        claims = data.get("userinfo") or data.get("id_token") or data
        linked.append({"name": name, "email": claims.get("email", "")})
    return linked


@never_cache  # personal data: no cache or CDN keeps it
@login_required
@require_GET
def account(request):
    context = {
        "social_accounts": linked_accounts(request.user),
        "panels": privacy.account_panels(),
        "delete_form": AccountDeleteForm(),
    }
    if request.user.is_staff:
        context["workflow_email_form"] = WorkflowEmailForm(instance=request.user)
    return render(request, "accounts/account.html", context)


@never_cache  # personal data: no cache or CDN keeps it
@login_required
@require_http_methods(["POST"])
def workflow_email(request):
    """Staff turn the editorial workflow emails on or off (an unticked box is "off")."""
    if not request.user.is_staff:
        return HttpResponseForbidden("Only newsroom staff get workflow emails.")
    form = WorkflowEmailForm(request.POST)
    form.is_valid()  # a checkbox: any input is valid, absent means off
    wanted = bool(form.cleaned_data.get("wants_workflow_email"))
    services.user_set_workflow_email(user=request.user, wanted=wanted)
    if wanted:
        messages.success(request, "You will get emails about editorial work.")
    else:
        messages.success(request, "You will not get emails about editorial work any more.")
    return redirect("accounts:account")


@never_cache  # personal data: no cache or CDN keeps it
@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    form = ProfileForm(request.POST or None, request.FILES or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_profile_update(
                user=request.user,
                display_name=form.cleaned_data["display_name"],
                bio=form.cleaned_data["bio"],
                website=form.cleaned_data["website"],
                avatar_upload=form.cleaned_data["avatar_upload"] or None,
                remove_avatar=form.cleaned_data["remove_avatar"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("accounts:account")
    return render(request, "accounts/profile_form.html", {"form": form})


@login_required
@require_GET
def account_export(request):
    data = services.account_export(user=request.user)
    return json_download(data, f"{request.user.username}-data.json")


@never_cache  # personal data: no cache or CDN keeps it
@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    form = AccountDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_delete(user=request.user, mode=form.cleaned_data["mode"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            logout(request)
            messages.success(request, "Your account is deleted.")
            return redirect("/")
    return render(request, "accounts/account_delete.html", {"form": form})


@require_GET
def initials_avatar(request, initials: str):
    response = HttpResponse(avatars.initials_svg(initials), content_type="image/svg+xml")
    # Served as a file, never as a page: no scripts, and cached for a day.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    patch_cache_control(response, public=True, max_age=86400)
    return response


@require_http_methods(["GET", "POST"])
def guest_privacy_request(request):
    form = GuestPrivacyRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if not ratelimit.consume(request, action="privacy_link", key=email.lower()):
            return render(request, "accounts/rate_limited.html", status=429)
        services.guest_privacy_link_send(email=email, site_url=request.build_absolute_uri("/"))
        # The same answer whether or not we hold anything for this address.
        messages.success(request, f"We sent a link to {email}. It works for a limited time.")
        return redirect("accounts:privacy")
    return render(request, "accounts/privacy_request.html", {"form": form})


@never_cache  # the token is the key to a guest's data
@require_http_methods(["GET", "POST"])
def guest_privacy(request, token: str):
    try:
        email = services.guest_email_from_token(token=token)
    except ValidationError as error:
        context = {"error": error.messages[0]}
        return render(request, "accounts/privacy_invalid.html", context, status=400)
    if request.GET.get("download"):
        return json_download(services.guest_export(email=email), "my-comments-data.json")
    form = GuestEraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.guest_erase(email=email, mode=form.cleaned_data["mode"])
        messages.success(request, "Done: what you wrote with this address is erased.")
        return redirect("accounts:privacy")
    response = render(request, "accounts/privacy_guest.html", {"form": form, "email": email})
    identity.remember_proven_email(request, response, email)  # the mailed link proves it
    return response
