from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group

from accounts.models import GroupPolicy, User
from accounts.services import user_sync_staff


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (
        ("Profile", {"fields": ("display_name", "bio", "website", "avatar")}),
    )
    list_display = ("username", "email", "display_name", "is_staff", "is_active")
    search_fields = ("username", "email", "display_name", "first_name", "last_name")
    # Staff status follows the role groups (Editor, Reporter, Moderator): not a free choice.
    # Avatars are made by the profile page (checked, resized, stripped): not uploaded raw here.
    readonly_fields = ("is_staff", "avatar")

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        user_sync_staff(user=form.instance)

    def has_view_permission(self, request, obj=None) -> bool:
        # Reporters and editors hold view_user only so the byline's author autocomplete
        # can search users; user management itself stays with those who may change users.
        match = request.resolver_match
        if match and match.url_name == "autocomplete":
            return super().has_view_permission(request, obj)
        return self.has_change_permission(request, obj)


class GroupPolicyInline(admin.StackedInline):
    model = GroupPolicy
    can_delete = False


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(BaseGroupAdmin):
    inlines = [GroupPolicyInline]
