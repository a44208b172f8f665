"""Who a reader provably is: a verified account email, or a guest's address proven by
opening a link mailed to it. Comments trust only these, never an address typed in a form."""

from allauth.account.models import EmailAddress
from django.core import signing
from django.http import HttpRequest, HttpResponse

PROVEN_COOKIE = "guest_email"
PROVEN_SALT = "accounts.proven-email"
PROVEN_MAX_AGE = 365 * 24 * 60 * 60


def has_verified_email(user) -> bool:
    """Whether the account's email is one allauth verified (compared case-insensitively)."""
    if not (user and user.is_authenticated and user.email):
        return False
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


def remember_proven_email(request: HttpRequest, response: HttpResponse, email: str) -> None:
    """This browser opened a link mailed to email: keep that proof in a signed cookie."""
    response.set_signed_cookie(
        PROVEN_COOKIE,
        email.strip().lower(),
        salt=PROVEN_SALT,
        max_age=PROVEN_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def proven_email(request: HttpRequest) -> str:
    """The address this browser proved it reads, lowercased; "" when none (or tampered)."""
    try:
        return request.get_signed_cookie(
            PROVEN_COOKIE, salt=PROVEN_SALT, default="", max_age=PROVEN_MAX_AGE
        )
    except signing.BadSignature:
        return ""
