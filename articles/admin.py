from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from articles import media, services
from articles.admin_editing import EditingAdminMixin
from articles.admin_embeds import EmbedsAdminMixin
from articles.admin_inlines import (
    BylineInline,
    CorrectionInline,
    PreviewLinkInline,
    StatusFilter,
)
from articles.admin_notes import EditorialNotesAdminMixin
from articles.admin_revisions import RevisionAdminMixin
from articles.body import body_html
from articles.forms import ArticleAdminForm, RedirectAdminForm, body_field
from articles.models import (
    Article,
    Byline,
    Correction,
    Redirect,
    Section,
    Tag,
    local_datetime,
)

# Buttons on the change form: POST name -> (service, past tense for the message).
TRANSITION_BUTTONS = {
    "_submit_review": ("submit", "submitted for review"),
    "_publish": ("publish", "published"),
    "_schedule": ("schedule", "scheduled"),
    "_unpublish": ("unpublish", "unpublished"),
    "_return_to_draft": ("return_to_draft", "sent back to draft"),
}


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "position")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)


@admin.register(Article)
class ArticleAdmin(
    EditingAdminMixin, EmbedsAdminMixin, EditorialNotesAdminMixin, RevisionAdminMixin
):
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    list_display = (
        "title",
        "current_status",
        "authors_list",
        "section",
        "published_at",
        "is_featured",
        "editing_now",
    )
    list_filter = (StatusFilter, "section", "is_featured", "tags")
    list_select_related = ("section", "edit_lock__user")
    search_fields = ("title", "standfirst", "slug", "authors__username", "authors__last_name")
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("tags",)
    raw_id_fields = ("lead_library_image",)  # the lookup opens the library, thumbnails and all
    inlines = [BylineInline, CorrectionInline, PreviewLinkInline]
    actions = ["submit_selected", "publish_selected", "unpublish_selected"]
    history_latest_first = True
    fieldsets = [
        (
            None,
            {
                "fields": (
                    "title",
                    "slug",
                    "standfirst",
                    "dateline",
                    "section",
                    "tags",
                )
            },
        ),
        ("Body", {"fields": ("body",)}),
        (
            "Lead image",
            {
                "fields": (
                    "lead_image",
                    "lead_library_image",
                    "lead_image_alt",
                    "lead_image_caption",
                    "lead_image_credit",
                )
            },
        ),
        (
            "Publishing",
            {
                "fields": (
                    "current_status",
                    "published_at",
                    "is_featured",
                    "comments_open",
                    "workflow",
                )
            },
        ),
    ]

    class Media:
        css = {"all": ["css/admin-articles.css", "css/admin-media.css"]}
        js = ["js/admin-articles.js", "js/admin-editing.js"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "body":
            return body_field(label="Body")
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request):
        bylines = Prefetch("bylines", queryset=Byline.objects.select_related("author"))
        queryset = super().get_queryset(request).prefetch_related(bylines)
        return queryset.editable_by(request.user)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # Read-only (a reporter's submitted article): the body as it reads, not its markup.
        return [
            (
                name,
                {
                    **options,
                    "fields": ["body_rendered" if f == "body" else f for f in options["fields"]],
                },
            )
            for name, options in fieldsets
        ]

    @admin.display(description="Body")
    def body_rendered(self, obj) -> str:
        return body_html(obj)  # the sanitiser's output, library pictures rendered in it

    @admin.display(description="Status", ordering="status")
    def current_status(self, obj) -> str:
        return obj.get_shown_status_display() if obj and obj.pk else "Draft"

    @admin.display(description="Authors")
    def authors_list(self, obj) -> str:
        return ", ".join(b.author.get_display_name() for b in obj.bylines.all())

    @admin.display(description="History")
    def workflow(self, obj) -> str:
        if obj is None or obj.pk is None:
            return "Not saved yet."
        rows = obj.transitions.select_related("by")[:10]
        return (
            "; ".join(
                f"{t.get_to_status_display()} by {t.by or 'someone removed'} on "
                f"{timezone.localtime(t.at):%d %b %Y %H:%M}"
                for t in rows
            )
            or "No transitions yet."
        )

    def get_ordering(self, request):
        """The review queue (status "In review") lists the longest-waiting first."""
        if request.GET.get("status__exact") == Article.Status.REVIEW:
            return ["submitted_at", "id"]
        return super().get_ordering(request)

    def get_readonly_fields(self, request, obj=None):
        fields = ["current_status", "workflow", "body_rendered"]
        if not services.is_editor(request.user):
            fields += ["published_at", "is_featured"]
        return fields

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        editor = services.is_editor(request.user)
        return [
            inline
            for inline in inlines
            if isinstance(inline, BylineInline)
            or (editor and isinstance(inline, PreviewLinkInline) and obj is not None)
            or (editor and isinstance(inline, CorrectionInline) and obj and obj.is_published())
        ]

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is None:
            return super().has_change_permission(request)
        return services.article_can_edit(article=obj, user=request.user)

    def view_on_site(self, obj):
        if obj.is_published():
            return obj.get_absolute_url()
        return reverse("articles:preview", kwargs={"pk": obj.pk})

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if "lead_image" in form.changed_data:
            media.image_from_lead(article=obj, by=request.user)  # every upload: in the library
        if change and form.changed_data:
            services.article_mark_revised(article=obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Correction:
            super().save_formset(request, form, formset, change)
            if formset.model is Byline and not form.instance.bylines.exists():
                Byline.objects.create(article=form.instance, author=request.user)
            if change and formset.model is Byline and formset.has_changed():
                # A byline is shown on the article's pages: expire them (save_model only
                # sees the article's own fields).
                services.article_mark_revised(article=form.instance)
            return
        for correction in formset.save(commit=False):
            services.correction_add(article=form.instance, by=request.user, text=correction.text)

    def get_changeform_initial_data(self, request):
        return {"comments_open": True}

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["is_editor"] = services.is_editor(request.user)
        context["can_submit"] = obj is not None and services.article_can_edit(
            article=obj, user=request.user
        )
        context["checklist"] = services.publish_checklist(obj) if obj else []
        context["notes_panel"] = self.notes_context(request, obj)
        context["sent_back"] = services.article_send_back_note(obj) if obj else None
        if obj is not None and change and self.has_change_permission(request, obj):
            context.update(self.editing_context(request, obj))  # not for a read-only view
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _run_transition(self, request, obj) -> bool:
        """Run the button's transition, if one was pressed; report the result."""
        for key, (name, done) in TRANSITION_BUTTONS.items():
            if key not in request.POST:
                continue
            obj.refresh_from_db()
            try:
                if name == "schedule":
                    services.article_schedule(
                        article=obj, by=request.user, publish_at=obj.published_at
                    )
                elif name == "return_to_draft":
                    note = request.POST.get("return_note", "")
                    services.article_return_to_draft(article=obj, by=request.user, note=note)
                else:
                    getattr(services, f"article_{name}")(article=obj, by=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(request, f"“{obj}” was {done}.", messages.SUCCESS)
            return True
        return False

    def _create_preview_link(self, request, obj) -> bool:
        """Make a preview link, if the button was pressed; report the result."""
        if "_preview_link" not in request.POST:
            return False
        try:
            link = services.preview_link_create(article=obj, by=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            expires, url = local_datetime(link.expires_at), link.get_full_url()
            message = format_html("Preview link created, valid until {}: {}", expires, url)
            self.message_user(request, message)
        return True

    def response_change(self, request, obj):
        if self._run_transition(request, obj):
            return HttpResponseRedirect(request.path)
        if self._create_preview_link(request, obj):
            return HttpResponseRedirect(request.path + "#preview_links-group")
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if self._run_transition(request, obj):
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))
        return super().response_add(request, obj, post_url_continue)

    def _bulk(self, request, queryset, name: str, done: str) -> None:
        """Run a transition on each article; ``done`` says what happened, e.g. "Published {}"."""
        moved, refused = 0, []
        for article in queryset:
            try:
                getattr(services, f"article_{name}")(article=article, by=request.user)
                moved += 1
            except ValidationError as error:
                refused.append(f"“{article}”: {' '.join(error.messages)}")
        if moved:
            counted = f"{moved} article{pluralize(moved)}"
            self.message_user(request, done.format(counted) + ".", messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.ERROR)

    @admin.action(description="Submit selected articles for review")
    def submit_selected(self, request, queryset):
        self._bulk(request, queryset, "submit", "Submitted {} for review")

    def has_publish_permission(self, request) -> bool:
        return services.is_editor(request.user)

    @admin.action(description="Publish selected articles now", permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._bulk(request, queryset, "publish", "Published {}")

    @admin.action(description="Unpublish selected articles", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self._bulk(request, queryset, "unpublish", "Unpublished {}")


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    """Old paths and where they lead; renames add theirs, editors add manual ones."""

    form = RedirectAdminForm
    list_display = ("old_path", "leads_to", "status_code", "hits", "last_hit_at", "is_automatic")
    list_filter = ("is_automatic", "status_code")
    list_select_related = ("article", "section", "tag", "author")
    search_fields = ("old_path", "target_url")
    autocomplete_fields = ("article",)
    readonly_fields = ("leads_to", "hits", "last_hit_at", "is_automatic", "created_at")

    @admin.display(description="Leads to")
    def leads_to(self, obj) -> str:
        if obj is None or obj.pk is None:
            return "-"
        target = obj.target()
        return f"{target} ({obj.target_path() or 'not live: 404'})" if target else obj.target_url


from articles import admin_media  # noqa: E402, F401 - registers the media library
