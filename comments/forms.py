"""The "Leave a Reply" form: reader fields, a honeypot and a signed timestamp."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe

from comments import rules, tokens
from comments.models import Comment, Report
from core import text

HONEYPOT = "homepage_url"
INPUT_TYPES = {"email": "email", "url": "url"}  # else text
INVALID = ' aria-invalid="true"'


def _value(field) -> str:
    value = field.value()
    return "" if value is None else conditional_escape(value)


def _errors(field) -> str:
    """The field's messages, escaped, one space apart (as the join filter wrote them)."""
    return " ".join(conditional_escape(error) for error in field.errors)


def _error_block(field, errors: str) -> str:
    if not errors:
        return ""
    return f'        <div class="invalid-feedback" id="{field.auto_id}-error">{errors}</div>\n'


def _contact_field(field) -> str:
    """One of a guest's name, email and website: label, input, message, help."""
    errors, help_text, required = _errors(field), field.help_text, field.field.required
    described = [f"{field.auto_id}-error"] if errors else []
    if help_text:
        described.append(f"{field.auto_id}-help")
    star = ' <span aria-hidden="true">*</span>' if required else ""
    aria = f' aria-describedby="{" ".join(described)}"' if described else ""
    aria += INVALID if errors else ""
    return "".join(
        (
            f'      <div class="mb-3">\n        <label class="form-label" for="{field.auto_id}">'
            f"{conditional_escape(field.label)}{star}</label>\n"
            f'        <input class="form-control{" is-invalid" if errors else ""}"'
            f' type="{INPUT_TYPES.get(field.name, "text")}" name="{field.html_name}"'
            f' id="{field.auto_id}" value="{_value(field)}"'
            f' maxlength="{field.field.max_length}"{" required" if required else ""}{aria}>\n',
            _error_block(field, errors),
            f'        <small id="{field.auto_id}-help" class="form-text">'
            f"{conditional_escape(help_text)}</small>\n"
            if help_text
            else "",
            "      </div>\n",
        )
    )


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

    def fields_html(self) -> SafeString:
        """The comment box, a guest's name, email and website, the honeypot and the two
        checkboxes, as comments/_reader.html shows them. Written out here, as the thread is
        (comments/render.py): the template's loop over these fields cost the article page
        0.9 ms, a tenth of its build. Every value and message is escaped."""
        body = self["body"]
        limit = body.field.max_length
        errors = _errors(body)
        described = f"{body.auto_id}-error comment-counter" if errors else "comment-counter"
        parts = [
            f'<div class="mb-3">\n        <label class="form-label" for="{body.auto_id}">Comment'
            ' <span aria-hidden="true">*</span></label>\n        <textarea class="form-control'
            f'{" is-invalid" if errors else ""}" name="{body.html_name}" id="{body.auto_id}"'
            f' rows="6" maxlength="{limit}" required aria-describedby="{described}"'
            f"{INVALID if errors else ''}>{_value(body)}</textarea>\n",
            _error_block(body, errors),
            f'        <small id="comment-counter" class="form-text" data-max="{limit}">Up to'
            f" {limit} characters. Plain text; links are kept as links.</small>\n      </div>\n",
        ]
        for name in ("name", "email", "url"):
            if name in self.fields:
                parts.append(_contact_field(self[name]))
        parts.append(
            '      <div class="comment-hp" aria-hidden="true">\n        <label'
            f' for="id_homepage_url">{escape(self.fields[HONEYPOT].label)}</label><input'
            ' type="text" name="homepage_url" autocomplete="off" tabindex="-1"'
            ' id="id_homepage_url">\n      </div>\n'
        )
        for name, last in (("subscribe", ""), ("save_details", " mb-3")):
            if name in self.fields:
                field = self[name]
                checked = " checked" if field.value() else ""
                parts.append(
                    f'      <div class="form-check{last}"><input type="checkbox" name="{name}"'
                    f' class="form-check-input" id="id_{name}"{checked}><label'
                    f' class="form-check-label" for="{field.auto_id}">'
                    f"{conditional_escape(field.label)}</label></div>\n"
                )
        return mark_safe("".join(parts))  # noqa: S308 (built from escaped parts above)

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
