"""Account workflows: profile, roles, data export and erasure (for readers and guests)."""

from typing import Any

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from accounts import avatars, privacy
from accounts.models import User

PRIVACY_SALT = "accounts.privacy-link"


@transaction.atomic
def user_sync_staff(*, user: User) -> User:
    """Staff status follows the role groups: a member of one is staff, a reader never is."""
    in_role = user.groups.filter(name__in=settings.ACCOUNTS_STAFF_GROUPS).exists()
    is_staff = user.is_superuser or in_role
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
    return user


@transaction.atomic
def user_profile_update(
    *,
    user: User,
    display_name: str,
    bio: str,
    website: str,
    avatar_upload=None,
    remove_avatar: bool = False,
) -> User:
    """Save the profile; a new avatar replaces the old one (all its sizes)."""
    old_avatar = user.avatar.name
    user.display_name, user.bio, user.website = display_name, bio, website
    if avatar_upload is not None:
        image = avatars.avatar_open(avatar_upload)
        user.avatar.name = avatars.avatar_store(user=user, image=image)
    elif remove_avatar:
        user.avatar.name = ""
    user.full_clean(exclude=["password", "username", "email", "avatar"])
    user.save()
    if old_avatar and old_avatar != user.avatar.name:
        transaction.on_commit(lambda: avatars.avatar_delete_files(old_avatar))
    return user


@transaction.atomic
def user_set_workflow_email(*, user: User, wanted: bool) -> User:
    """Turn the editorial workflow emails on or off. Staff only (readers get none)."""
    if not user.is_staff:
        raise ValidationError("Only newsroom staff get workflow emails.", code="permission")
    user.wants_workflow_email = wanted
    user.save(update_fields=["wants_workflow_email"])
    return user


def account_export(*, user: User) -> dict[str, Any]:
    """Everything the site holds about a reader, as JSON-able data."""
    profile = {
        "username": user.username,
        "email": user.email,
        "display_name": user.display_name,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "bio": user.bio,
        "website": user.website,
        "avatar": user.avatar.name or None,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
    }
    emails = [
        {"email": e.email, "verified": e.verified, "primary": e.primary}
        for e in EmailAddress.objects.filter(user=user).order_by("pk")
    ]
    socials = [
        {"provider": s.provider, "uid": s.uid, "date_joined": s.date_joined.isoformat()}
        for s in SocialAccount.objects.filter(user=user).order_by("pk")
    ]
    data = {"profile": profile, "email_addresses": emails, "social_accounts": socials}
    return data | privacy.run_exporters(user=user, email=user.email or None)


@transaction.atomic
def account_delete(*, user: User, mode: str) -> None:
    """Erase a reader: their comments removed or kept as "anonymous", then the account."""
    if mode not in privacy.ERASE_MODES:
        raise ValidationError("Choose what happens to your comments.", code="mode")
    if user.is_staff or user.is_superuser:
        raise ValidationError(
            "Staff accounts are closed by an administrator, not here.", code="staff"
        )
    privacy.run_erasers(user=user, email=user.email or None, mode=mode)
    avatar_name = user.avatar.name
    user.delete()
    if avatar_name:
        transaction.on_commit(lambda: avatars.avatar_delete_files(avatar_name))


def guest_privacy_link_send(*, email: str, site_url: str) -> None:
    """Email a signed, expiring link that lets whoever reads `email` export or erase its data."""
    token = signing.dumps({"email": email.strip().lower()}, salt=PRIVACY_SALT)
    link = site_url.rstrip("/") + reverse("accounts:guest-privacy", kwargs={"token": token})
    hours = settings.ACCOUNTS_PRIVACY_LINK_MAX_AGE // 3600
    context = {"link": link, "hours": hours, "SITE_NAME": settings.SITE_NAME}
    subject = render_to_string("accounts/email/privacy_link_subject.txt", context).strip()
    body = render_to_string("accounts/email/privacy_link_message.txt", context)
    send_mail(subject, body, None, [email])


def guest_email_from_token(*, token: str) -> str:
    """The email a privacy link was sent to; ValidationError when forged or expired."""
    try:
        data = signing.loads(
            token, salt=PRIVACY_SALT, max_age=settings.ACCOUNTS_PRIVACY_LINK_MAX_AGE
        )
    except signing.SignatureExpired as error:
        raise ValidationError(
            "This link has expired: ask for a new one.", code="expired"
        ) from error
    except signing.BadSignature as error:
        raise ValidationError("This link is not valid.", code="invalid") from error
    return data["email"]


def guest_export(*, email: str) -> dict[str, Any]:
    """What the site holds about a guest's email (their comments, subscriptions)."""
    return {"email": email} | privacy.run_exporters(email=email)


@transaction.atomic
def guest_erase(*, email: str, mode: str) -> None:
    """Erase what a guest wrote with `email`: removed, or kept as "anonymous"."""
    if mode not in privacy.ERASE_MODES:
        raise ValidationError("Choose what happens to your comments.", code="mode")
    privacy.run_erasers(email=email, mode=mode)
