"""The "Leave a Reply" form: reader fields, a honeypot and a signed timestamp."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from comments import rules, tokens
from comments.models import Comment, Report
from core import text

HONEYPOT = "homepage_url"


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment",
        max_length=settings.COMMENTS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": settings.COMMENTS_MAX_LENGTH}),
        error_messages={"required": "Please write a comment."},
    )
    name = forms.CharField(label="Name", max_length=100, required=False)
    email = forms.EmailField(
        label="Email", required=False, help_text="Never published.", max_length=254
    )
    url = forms.URLField(label="Website", required=False, max_length=200, assume_scheme="https")
    subscribe = forms.BooleanField(
        label="Notify me of replies to my comment",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    save_details = forms.BooleanField(
        label="Save my name, email and website in this browser for the next time I comment.",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    token = forms.CharField(widget=forms.HiddenInput)
    homepage_url = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, article, user=None, require_name_email: bool = True, **kwargs):
        self.article = article
        self.user = user if user is not None and user.is_authenticated else None
        super().__init__(*args, **kwargs)
        # Signed when the form is shown, not when a post is read (a bound form never shows it).
        self.fields["token"].initial = lambda: tokens.form_token(article.pk)
        if self.user is not None:
            for field in ("name", "email", "url", "save_details"):
                del self.fields[field]
        elif require_name_email:
            self.fields["name"].required = self.fields["email"].required = True
            self.fields["name"].error_messages["required"] = "Please give your name."
            self.fields["email"].error_messages["required"] = "Please give your email address."

    @property
    def contact_fields(self) -> list:
        """The name, email and website fields a guest fills in (none for an account)."""
        return [self[name] for name in ("name", "email", "url") if name in self.fields]

    def clean_body(self) -> str:
        """A body of only invisible characters is as empty as a blank one."""
        body = self.cleaned_data["body"]
        if text.is_blank(body):
            raise ValidationError(self.fields["body"].error_messages["required"], code="required")
        return body

    def clean_name(self) -> str:
        """A name of only invisible characters is no name: missing where one is required."""
        name = self.cleaned_data["name"]
        if not text.is_blank(name):
            return name
        if self.fields["name"].required:
            raise ValidationError(self.fields["name"].error_messages["required"], code="required")
        return ""

    def clean_parent(self) -> Comment | None:
        parent_id = self.cleaned_data.get("parent")
        if parent_id is None:
            return None
        parent = Comment.objects.select_related("user").filter(pk=parent_id).first()
        rules.check_parent(article=self.article, parent=parent, asked=True)
        return parent

    def clean(self):
        cleaned = super().clean()
        if self.data.get(HONEYPOT):
            raise ValidationError(
                "Your comment looks automated and was not sent. If you are a person, leave the "
                "last field empty.",
                code="honeypot",
            )
        if token := cleaned.get("token"):
            tokens.form_token_check(token, article_id=self.article.pk)
        return cleaned

    def refresh_token(self) -> None:
        """Give a re-shown form a fresh timestamp, so the reader can send it again."""
        self.data = self.data.copy()
        self.data[self.add_prefix("token")] = tokens.form_token(self.article.pk)


class CommentEditForm(forms.Form):
    body = forms.CharField(
        label="Comment",
        max_length=settings.COMMENTS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": settings.COMMENTS_MAX_LENGTH}),
    )


class ModerationReasonForm(forms.Form):
    reason = forms.CharField(label="Reason (optional)", max_length=300, required=False)


class ReportForm(forms.Form):
    """Why a reader reports a comment (comments.reports checks it again)."""

    reason = forms.ChoiceField(
        label="What is wrong with this comment?",
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why you report this comment."},
    )
    text = forms.CharField(
        label="Details",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
        help_text='Required for "Other". Moderators read it; it is never published.',
    )

    def clean(self):
        data = super().clean()
        if data.get("reason") == Report.Reason.OTHER and not data.get("text", "").strip():
            self.add_error("text", 'Say in a few words what is wrong ("Other").')
        return data
