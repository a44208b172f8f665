"""allauth's password forms with the site's maximum length checked before any hashing.

Kept apart from accounts/forms.py: allauth imports that module (the sign-up extras)
while its own forms module loads, so these subclasses would import in a circle there."""

from allauth.account import forms as allauth_forms
from django import forms

from accounts.validators import password_too_long


def refuse_overlong(value: str) -> None:
    error = password_too_long(value)
    if error is not None:
        raise error


class PasswordLengthMixin:
    """Every password box of the form refuses an overlong value at the field: the form's
    own checks (authenticate, check_password) then never run on it."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.PasswordInput):
                field.validators.append(refuse_overlong)


class LoginForm(PasswordLengthMixin, allauth_forms.LoginForm):
    pass


class SignupForm(PasswordLengthMixin, allauth_forms.SignupForm):
    pass


class ReauthenticateForm(PasswordLengthMixin, allauth_forms.ReauthenticateForm):
    pass


class ChangePasswordForm(PasswordLengthMixin, allauth_forms.ChangePasswordForm):
    pass


class SetPasswordForm(PasswordLengthMixin, allauth_forms.SetPasswordForm):
    pass


class ResetPasswordKeyForm(PasswordLengthMixin, allauth_forms.ResetPasswordKeyForm):
    pass
