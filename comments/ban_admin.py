"""The Ban admin: ban a commenter (often from a queue row's "Ban this commenter"), see
the bans, lift them. The workflows are comments.bans'; this only translates the admin."""

from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError
from django.template.defaultfilters import pluralize
from django.utils import timezone

from comments import bans, moderation
from comments.models import Ban, Comment


class BanForm(forms.ModelForm):
    class Meta:
        model = Ban
        fields = ["kind", "user", "email", "ip_address", "ends_at", "reason", "hide_comments"]

    def clean(self):
        data = super().clean()
        try:
            bans.check_ban(
                user=data.get("user"),
                email=data.get("email", ""),
                kind=data.get("kind", Ban.Kind.BAN),
                ends_at=data.get("ends_at"),
                reason=data.get("reason", ""),
            )
        except ValidationError as error:
            field = {"who": "email", "kind": "kind", "ends_at": "ends_at"}.get(error.code)
            self.add_error(field if field in self.fields else None, error)
        return data


class LiftActionForm(ActionForm):
    reason = forms.CharField(label="Reason (optional)", required=False, max_length=300)


@admin.action(description="Lift selected bans (the comments they hid come back)")
def lift(modeladmin, request, queryset):
    reason = request.POST.get("reason", "") or "lifted in the admin"
    for ban in queryset:
        bans.ban_lift(ban=ban, moderator=request.user, reason=reason)
    count = queryset.count()
    modeladmin.message_user(request, f"Lifted {count} ban{pluralize(count)}.")


lift.allowed_permissions = ["moderate"]


@admin.register(Ban)
class BanAdmin(admin.ModelAdmin):
    form = BanForm
    action_form = LiftActionForm
    actions = [lift]
    list_display = ["who", "kind", "reason", "ends_at", "state", "created_by", "created_at"]
    list_filter = ["kind", "created_at"]
    list_select_related = ["user", "created_by"]
    search_fields = ["email", "ip_address", "reason", "user__username", "user__email"]
    raw_id_fields = ["user"]

    @admin.display(description="commenter")
    def who(self, obj: Ban) -> str:
        names = [obj.user.get_display_name() if obj.user_id else "", obj.email]
        names.append(obj.ip_address or "")
        return " · ".join(name for name in names if name)

    @admin.display(description="state")
    def state(self, obj: Ban) -> str:
        if obj.lifted_at:
            return f"lifted {timezone.localtime(obj.lifted_at):%Y-%m-%d %H:%M}"
        return "in force" if obj.is_in_force() else "ended"

    def has_moderate_permission(self, request) -> bool:
        return moderation.is_moderator(request.user)

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and moderation.is_moderator(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a ban is lifted (the list's action), never rewritten

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the log points at it

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        comment = self._comment(request)
        if comment is not None:
            initial["user"] = comment.user_id
            initial["email"] = "" if comment.user_id else comment.email
        return initial

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        comment = self._comment(request)
        if comment is not None and comment.ip_address and "ip_address" in form.base_fields:
            field = form.base_fields["ip_address"]
            field.help_text += f" The comment was sent from {comment.ip_address}."
        return form

    def _comment(self, request) -> Comment | None:
        pk = request.GET.get("comment", "")
        return Comment.objects.filter(pk=int(pk)).first() if pk.isdigit() else None

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        ban = bans.ban_create(
            moderator=request.user,
            reason=data["reason"],
            user=data.get("user"),
            email=data.get("email", ""),
            ip_address=data.get("ip_address"),
            ends_at=data.get("ends_at"),
            kind=data["kind"],
            hide_comments=data.get("hide_comments", False),
            comment=self._comment(request),  # ?comment= stays in the form's address
        )
        obj.pk, obj.email, obj.created_at = ban.pk, ban.email, ban.created_at
