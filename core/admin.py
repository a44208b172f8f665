"""The shared layer's one admin page: the imported rows deleted here (core.models.ImportDeletion).
Each keeps a re-run of the WordPress or Disqus import from bringing its row back; deleting
one lets the next re-run import that row again. Viewed and deleted, never added or edited."""

from django.contrib import admin

from core.models import ImportDeletion


@admin.register(ImportDeletion)
class ImportDeletionAdmin(admin.ModelAdmin):
    list_display = ("model", "import_id", "import_source", "deleted_at")
    list_filter = ("model", "import_source")
    search_fields = ("import_id",)
    readonly_fields = ("model", "import_source", "import_id", "deleted_at")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
