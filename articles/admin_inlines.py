"""The article change form's inlines and the changelist's status filter."""

from django.contrib import admin
from django.db.models import Count, Max
from django.utils.html import format_html

from articles.models import Article, Byline, Correction, PreviewLink


class StatusFilter(admin.SimpleListFilter):
    """Status as readers see it: a scheduled article past its publish time is published.
    Its parameter keeps the plain field filter's name, so links to ?status__exact=review
    (the admin index's review queue) work as before."""

    title = "status"
    parameter_name = "status__exact"

    def lookups(self, request, model_admin):
        return Article.Status.choices

    def queryset(self, request, queryset):
        if self.value() in Article.Status.values:
            return queryset.shown_as(self.value())
        return queryset


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 1
    autocomplete_fields = ("author",)


class CorrectionInline(admin.StackedInline):
    model = Correction
    extra = 1
    fields = ("text", "created_at", "created_by")
    readonly_fields = ("created_at", "created_by")

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a correction is a dated record: add a new one instead


class PreviewLinkInline(admin.TabularInline):
    """Existing links (revocable here); new ones come from the "Create preview link" button,
    which the inline's template puts above them (an empty row would save nothing)."""

    model = PreviewLink
    extra = 0
    template = "admin/articles/article/preview_links_inline.html"
    fields = ("link", "expires_at", "revoked_at", "views_count", "last_viewed")
    readonly_fields = ("link", "views_count", "last_viewed")
    verbose_name = "preview link for people without an account"
    verbose_name_plural = "preview links for people without an account"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(views_count=Count("views"), last_viewed=Max("views__viewed_at"))
        )

    @admin.display(description="Link")
    def link(self, obj) -> str:
        # Selectable text without JavaScript; admin-articles.js adds a copy button.
        return format_html('<code class="preview-url">{}</code>', obj.get_full_url())

    @admin.display(description="Views")
    def views_count(self, obj) -> int:
        return getattr(obj, "views_count", 0)

    @admin.display(description="Last viewed")
    def last_viewed(self, obj):
        return getattr(obj, "last_viewed", None)
