from django import forms
from django.conf import settings

from accounts import avatars
from accounts.models import User
from accounts.privacy import ERASE_MODES
from accounts.validators import validate_display_name


class ProfileForm(forms.ModelForm):
    avatar_upload = forms.FileField(
        label="Avatar",
        required=False,
        help_text="A JPEG, PNG, GIF or WebP image; it is cropped square.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    remove_avatar = forms.BooleanField(label="Remove my avatar", required=False)

    class Meta:
        model = User
        fields = ["display_name", "bio", "website"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}

    def clean_avatar_upload(self):
        upload = self.cleaned_data.get("avatar_upload")
        if upload:
            avatars.avatar_open(upload)  # raises ValidationError with a clear message
        return upload


class WorkflowEmailForm(forms.ModelForm):
    """Staff only: the editorial workflow emails, on or off."""

    class Meta:
        model = User
        fields = ["wants_workflow_email"]


class AccountDeleteForm(forms.Form):
    mode = forms.ChoiceField(
        label="Your comments",
        choices=list(ERASE_MODES.items()),
        widget=forms.RadioSelect,
        help_text="Replies to your comments stay readable either way.",
    )
    confirm = forms.BooleanField(
        label="Yes, delete my account. This cannot be undone.", required=True
    )


class GuestPrivacyRequestForm(forms.Form):
    email = forms.EmailField(
        label="The email address you commented with",
        help_text=f"We send a link valid for "
        f"{settings.ACCOUNTS_PRIVACY_LINK_MAX_AGE // 3600} hours to this address.",
    )


class GuestEraseForm(forms.Form):
    mode = AccountDeleteForm.base_fields["mode"]
    confirm = forms.BooleanField(label="Yes, erase this. It cannot be undone.", required=True)


class SignupExtraForm(forms.Form):
    """Fields allauth's sign-up form adds (ACCOUNT_SIGNUP_FORM_CLASS)."""

    display_name = forms.CharField(
        label="Display name",
        max_length=100,
        required=False,
        help_text="Shown on your comments. Leave blank to use your username.",
        validators=[validate_display_name],
    )

    def signup(self, request, user) -> None:
        user.display_name = self.cleaned_data["display_name"]
        user.save(update_fields=["display_name"])
