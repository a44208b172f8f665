"""The article admin's editing session: the edit lock and its heartbeat, autosaves and
their recovery, and the retry that turns a lost save race into the side-by-side view."""

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from articles import editing
from articles.models import Article, Autosave, StaleArticle


class EditingAdminMixin:
    """Mixed into ArticleAdmin (before the revision mixin, whose restore it also guards)."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        own = [
            path("<int:pk>/lock/", wrap(self.lock_view), name="articles_article_lock"),
            path("<int:pk>/autosave/", wrap(self.autosave_view), name="articles_article_autosave"),
        ]
        return own + super().get_urls()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        restore = None
        if obj is not None and request.method == "GET" and "restore_autosave" in request.GET:
            restore = Autosave.objects.filter(article=obj, user=request.user).first()
        attrs = {
            "editor": request.user,
            "stored": getattr(request, "article_stored", None),
            "restore": restore,
        }
        return type(form.__name__, (form,), attrs)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleArticle:
            # Another save landed between reading the row and writing it (the form's check
            # passed, the conditional UPDATE did not). Everything was rolled back; run the
            # view again: its form now sees the newer version and shows both.
            if request.method != "POST" or getattr(request, "stale_retried", False):
                raise
            request.stale_retried = True
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            editing.autosave_discard(article=obj, user=request.user)

    def editing_context(self, request, obj) -> dict:
        """The change form's lock banner, autosave offer and the heartbeat's settings."""
        form_lock = None
        offer = None
        if request.method == "GET" and getattr(request, "article_stored", None) is None:
            form_lock = editing.lock_open(article=obj, user=request.user)
            offer = editing.autosave_offer(article=obj, user=request.user)
        return {
            "other_lock": form_lock,
            "autosave_offer": offer,
            "lock_url": reverse("admin:articles_article_lock", args=[obj.pk]),
            "autosave_url": reverse("admin:articles_article_autosave", args=[obj.pk]),
            "lock_beat_seconds": settings.ARTICLES_LOCK_BEAT_SECONDS,
            "autosave_seconds": settings.ARTICLES_AUTOSAVE_SECONDS,
        }

    @admin.display(description="Editing now")
    def editing_now(self, obj) -> str:
        try:
            lock = obj.edit_lock
        except ObjectDoesNotExist:
            return ""
        return lock.user.get_display_name() if lock.is_live() else ""

    def _editable(self, request, pk) -> Article | None:
        article = self._own_article(request, pk)
        return article if self.has_change_permission(request, article) else None

    @staticmethod
    def _back(article) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))

    @staticmethod
    def _forbidden() -> JsonResponse:
        return JsonResponse({"error": "You cannot edit this article."}, status=403)

    @method_decorator(require_POST)
    def lock_view(self, request, pk):
        """The heartbeat (JSON), and the "Take over" button of pages without JavaScript."""
        article = self._editable(request, pk)
        if article is None:
            return self._forbidden()
        action = request.POST.get("action", "beat")
        if action not in {"beat", "take", "release"}:
            return HttpResponseBadRequest("action is beat, take or release")
        state = editing.lock_state(article=article, user=request.user, action=action)
        return self._back(article) if "next" in request.POST else JsonResponse(state)

    @method_decorator(require_POST)
    def autosave_view(self, request, pk):
        """Store the typed text (JSON answer), or discard it ("Discard" button)."""
        article = self._editable(request, pk)
        if article is None:
            return self._forbidden()
        if request.POST.get("action") == "discard":
            editing.autosave_discard(article=article, user=request.user)
            return self._back(article)
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            return JsonResponse({"error": "Say which version the text was typed on."}, status=400)
        autosave = editing.autosave_store(
            article=article, user=request.user, data=request.POST, version=version
        )
        return JsonResponse({"saved_at": f"{timezone.localtime(autosave.saved_at):%H:%M:%S}"})
