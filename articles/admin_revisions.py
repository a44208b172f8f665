"""Revisions in the article admin: history with authors, compare two, restore one."""

import reversion
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from reversion.admin import VersionAdmin
from reversion.models import Version

from articles import services
from articles.models import Article, Byline
from articles.redirects import old_path_record
from articles.revisions import compare_versions
from articles.timeline import article_timeline

# Workflow fields change only through services.py, never by restoring a revision.
WORKFLOW_FIELDS = [
    "status",
    "published_at",
    "first_published_at",
    "revised_at",
    "submitted_at",
    "created_by",
    "lead_image_renditions",
]
# Nor is the version restored: a restore is a new save, from the version it was shown.
NOT_RESTORED = WORKFLOW_FIELDS + ["version"]

# Revisions keep the text and the byline; corrections and preview links are records of
# their own that restoring an old revision must never delete.
reversion.register(Byline)
reversion.register(Article, follow=["bylines"], exclude=NOT_RESTORED)


class RevisionAdminMixin(VersionAdmin):
    """django-reversion's admin, limited to the articles this user may open."""

    object_history_template = "admin/articles/article/object_history.html"
    revision_form_template = "admin/articles/article/revision_form.html"

    def get_urls(self):
        compare = self.admin_site.admin_view(self.compare_view)
        own = [path("<int:pk>/history/compare/", compare, name="articles_article_compare")]
        return own + super().get_urls()

    def _own_article(self, request, pk) -> Article:
        article = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_view_or_change_permission(request, article):
            raise Http404("No such article")
        return article

    def history_view(self, request, object_id, extra_context=None):
        article = self._own_article(request, object_id)
        versions = Version.objects.get_for_object(article).select_related("revision__user")
        extra = {
            "versions": versions,
            "timeline": article_timeline(
                article,
                versions,
                with_notes=services.note_can_see(article=article, user=request.user),
            ),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, extra_context=extra)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """Restore an old text; the workflow state stays as it is now.

        django-reversion rebuilds excluded fields with their defaults (status "draft"),
        so the current workflow values are put back after a successful restore. The
        restore form states the version it was shown (the article as stored then, not the
        revision): a restore over a newer save is refused like any stale save. The row is
        locked meanwhile, so no save slips in between the check and the restore.
        """
        with transaction.atomic():
            return self._restore(request, object_id, version_id, extra_context)

    def _restore(self, request, object_id, version_id, extra_context):
        article = self._own_article(request, object_id)
        if request.method == "POST":
            article = Article.objects.select_for_update().get(pk=article.pk)
        request.article_stored = article  # what the form is checked against (forms.py)
        kept = {name: getattr(article, name) for name in WORKFLOW_FIELDS}
        live_path = article.get_absolute_url() if article.is_published() else None
        response = super().revision_view(request, object_id, version_id, extra_context)
        if request.method == "POST" and response.status_code == 302:
            kept["version"] = article.version + 1
            Article.objects.filter(pk=article.pk).update(**kept)
            restored = Article.objects.get(pk=article.pk)
            # reversion saves the row without Article.save(): record a restored slug here.
            if live_path is not None:
                old_path_record(target=restored, old_path=live_path)
            services.article_mark_revised(article=restored)
        return response

    def compare_view(self, request, pk):
        """Two revisions of one article side by side, field by field."""
        article = self._own_article(request, pk)
        versions = Version.objects.get_for_object(article)
        try:
            old = versions.get(pk=int(request.GET.get("from", "")))
            new = versions.get(pk=int(request.GET.get("to", "")))
        except (ValueError, Version.DoesNotExist) as error:
            raise Http404("Choose two revisions of this article") from error
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": article,
            "title": f"Compare revisions of “{article}”",
            "old": old,
            "new": new,
            "changes": compare_versions(old, new),
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)
