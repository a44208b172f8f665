"""The moderation queue, the discussion settings and the read-only moderation log."""

from collections import Counter

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import (
    Case,
    CharField,
    Count,
    IntegerField,
    OuterRef,
    Q,
    StringAgg,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import redirect
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.html import format_html

from comments import moderation, posting, queue
from comments.models import Comment, DiscussionSettings, ModerationLog, Report
from core.clientip import client_ip


class ReasonActionForm(ActionForm):
    reason = forms.CharField(label="Reason (optional)", required=False, max_length=300)


def _history(status: str):
    same = (
        Comment.objects.filter(email=OuterRef("email"), status=status)
        .exclude(email="")
        .order_by()
        .values("email")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(same, output_field=IntegerField()), Value(0))


class CommentAdminForm(forms.ModelForm):
    reason = forms.CharField(
        required=False, max_length=300, help_text="Why you changed the status or text (logged)."
    )
    reply = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Reply as yourself; a pending comment is approved first.",
    )
    edit_decision = forms.ChoiceField(
        label="Held edit",
        required=False,
        choices=[
            ("", "Decide later"),
            ("approve", "Publish the proposed new text"),
            (moderation.REJECT_EDIT, "Reject it: keep the published text"),
        ],
        help_text="Only for a published comment whose writer's edit was held.",
    )

    class Meta:
        model = Comment
        fields = ["status", "body"]

    def clean(self):
        data = super().clean()
        if data.get("edit_decision"):
            if not self.instance.pending_body:
                self.add_error("edit_decision", "This comment has no held edit to decide on.")
            elif data.get("status") != self.instance.status:
                self.add_error(
                    "edit_decision",
                    "Change the status or decide on the held edit, not both at once.",
                )
        return data


def _open_reports():
    """The reasons of a comment's open reports ("abuse,spam,abuse"), as a subquery of the
    list's one query (no query per row, none added to the queue's)."""
    reasons = Report.objects.open().filter(comment=OuterRef("pk")).order_by()
    joined = reasons.values("comment").annotate(r=StringAgg("reason", Value(","))).values("r")
    return Coalesce(Subquery(joined, output_field=CharField()), Value(""))


def _picks(featured: bool, label: str, done: str):
    """An admin action featuring (or unfeaturing) each selected comment as an editors' pick."""

    def run(modeladmin, request, queryset):
        reason, changed = request.POST.get("reason", ""), 0
        for comment in queryset:
            try:
                moderation.comment_feature(
                    comment=comment, moderator=request.user, featured=featured, reason=reason
                )
                changed += 1
            except ValidationError as error:
                modeladmin.message_user(
                    request, f"{comment.pk}: {error.messages[0]}", messages.ERROR
                )
        if changed:
            modeladmin.message_user(request, done.format(f"{changed} comment{pluralize(changed)}"))

    run.__name__ = "feature" if featured else "unfeature"
    return admin.action(description=label, permissions=["moderate"])(run)


def _bulk(action: str, label: str, done: str):
    """An admin action running ``action`` on each selected comment; ``done`` is the message,
    e.g. "Approved {}" ("Approved 2 comments.")."""

    def run(modeladmin, request, queryset):
        reason = request.POST.get("reason", "")
        moved = 0
        for comment in queryset:
            moderation.comment_moderate(
                comment=comment, moderator=request.user, action=action, reason=reason
            )
            moved += 1
        modeladmin.message_user(request, done.format(f"{moved} comment{pluralize(moved)}") + ".")

    run.__name__ = f"bulk_{action}"
    return admin.action(description=f"{label} selected comments", permissions=["moderate"])(run)


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    form = CommentAdminForm
    action_form = ReasonActionForm
    actions = [
        _bulk("approve", "Approve", "Approved {}"),
        _bulk("spam", "Mark as spam", "Marked {} as spam"),
        _bulk("remove", "Remove", "Removed {}"),
        _bulk(moderation.REJECT_EDIT, "Reject the held edits of", "Rejected the held edits of {}"),
        _picks(True, "Feature as editors' picks", "Featured {} as editors' picks."),
        _picks(False, "Take out of the editors' picks", "Took {} out of the editors' picks."),
    ]
    list_display = [
        "excerpt",
        "proposed",
        "status",
        "hold_reason",
        "reports",
        "featured_at",
        "article",
        "parent_excerpt",
        "commenter",
        "history",
        "created_at",
        "ban_link",
    ]
    list_filter = [queue.QueueFilter, queue.CommenterFilter, "status", "created_at"]
    search_fields = ["body", "pending_body", "name", "email", "ip_address"]
    list_select_related = ["article", "parent", "user"]
    readonly_fields = [
        "article",
        "parent",
        "commenter",
        "email",
        "url",
        "ip_address",
        "user_agent",
        "hold_reason",
        "reports",
        "report_details",
        "pending_body",
        "created_at",
        "edited_at",
        "featured_at",
        "history",
        "ban_link",
    ]
    list_per_page = 50

    class Media:
        css = {"all": ["css/admin-comments.css"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_approved=_history("approved"),
                n_spam=_history("spam"),
                n_removed=_history("removed"),
                report_reasons=_open_reports(),
            )
        )

    def get_ordering(self, request):
        pending_first = Case(
            When(status=Comment.Status.PENDING, then=0),
            When(~Q(pending_body=""), then=0),  # a held edit waits like a held comment
            default=1,
            output_field=IntegerField(),
        )
        return [pending_first.asc(), "created_at", "id"]  # pending first, oldest first

    def has_add_permission(self, request) -> bool:
        return False  # comments come from readers (and replies from the change page)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # removal is a status, so threads and the log keep their shape

    def has_moderate_permission(self, request) -> bool:
        return moderation.is_moderator(request.user)

    @admin.display(description="comment")
    def excerpt(self, obj: Comment) -> str:
        return obj.body[:80]

    @admin.display(description="proposed new text (held edit)")
    def proposed(self, obj: Comment) -> str:
        return obj.pending_body[:80] or "—"

    @admin.display(description="in reply to")
    def parent_excerpt(self, obj: Comment) -> str:
        return obj.parent.body[:50] if obj.parent_id else "—"

    @admin.display(description="commenter")
    def commenter(self, obj: Comment) -> str:
        who = f"{obj.author_name} <{obj.email}>" if obj.email else obj.author_name
        url = queue.commenter_url(obj)
        if not url:
            return who
        return format_html('<a href="{}" title="All comments by this commenter">{}</a>', url, who)

    @admin.display(description="ban")
    def ban_link(self, obj: Comment) -> str:
        if not queue.commenter_key(obj):
            return "—"
        url = reverse("admin:comments_ban_add") + f"?comment={obj.pk}"
        return format_html('<a href="{}">Ban this commenter</a>', url)

    def changelist_view(self, request, extra_context=None):
        if "awaiting" in request.GET:  # the queue's link before it had tabs (bookmarks)
            return redirect(f"{request.path}?{queue.QUEUE_PARAM}={queue.DEFAULT}")
        extra_context = {"queue_tabs": queue.tab_links(request), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    @admin.display(description="open reports", ordering="report_reasons")
    def reports(self, obj: Comment) -> str:
        """ "3: abuse ×2, spam ×1": how many readers reported it, and why."""
        reasons = Counter(filter(None, obj.report_reasons.split(",")))
        if not reasons:
            return "—"
        summary = ", ".join(f"{reason} ×{n}" for reason, n in reasons.most_common())
        return f"{reasons.total()}: {summary}"

    @admin.display(description="what the reporters wrote")
    def report_details(self, obj: Comment) -> str:
        """The open reports' details (never published), on the comment's own page."""
        texts = obj.reports.open().exclude(text="").values_list("text", flat=True)
        return " · ".join(f"“{text}”" for text in texts) or "—"

    @admin.display(description="history (approved / spam / removed)")
    def history(self, obj: Comment) -> str:
        return f"{obj.n_approved} / {obj.n_spam} / {obj.n_removed}"

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data.get("reason", "")
        before = Comment.objects.get(pk=obj.pk)
        try:
            if "body" in form.changed_data:
                moderation.comment_moderator_edit(
                    comment=before, moderator=request.user, body=obj.body, reason=reason
                )
            if obj.status != before.status:
                action = {v: k for k, v in moderation.ACTIONS.items()}.get(obj.status)
                moderation.comment_moderate(
                    comment=before, moderator=request.user, action=action or "?", reason=reason
                )
            if decision := form.cleaned_data.get("edit_decision"):
                moderation.comment_moderate(
                    comment=before, moderator=request.user, action=decision, reason=reason
                )
            if reply := form.cleaned_data.get("reply", "").strip():
                self._reply(request, before, reply, reason=reason)
        except (ValidationError, PermissionDenied) as error:
            self.message_user(
                request, " ".join(getattr(error, "messages", [str(error)])), messages.ERROR
            )

    def _reply(self, request, parent: Comment, text: str, *, reason: str = "") -> None:
        if parent.status == Comment.Status.PENDING:
            # Approved because the moderator answered it; what they typed as why stays too.
            why = f"replied: {reason}" if reason else "replied"
            moderation.comment_approve(comment=parent, moderator=request.user, reason=why[:300])
        parent.refresh_from_db()
        posting.comment_create(
            article=parent.article,
            parent=parent,
            body=text,
            user=request.user,
            ip_address=client_ip(request),
        )
        self.message_user(request, "Your reply is published.")


@admin.register(DiscussionSettings)
class DiscussionSettingsAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        """There is one row: go straight to it."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        DiscussionSettings.objects.get_or_create(pk=1)
        return redirect(reverse("admin:comments_discussionsettings_change", args=[1]))

    def response_change(self, request, obj):
        """One row, no list to go back to: say so plainly and stay on the form."""
        self.message_user(request, "Discussion settings saved.", messages.SUCCESS)
        return redirect(reverse("admin:comments_discussionsettings_change", args=[obj.pk]))


@admin.register(ModerationLog)
class ModerationLogAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "actor",
        "action",
        "comment",
        "ban",
        "status_before",
        "status_after",
        "reason",
    ]
    list_filter = ["action", "created_at"]
    list_select_related = ["actor", "comment", "ban"]
    search_fields = ["reason", "body_before", "body_after"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


from comments import ban_admin  # noqa: E402, F401  (registers the Ban admin)
