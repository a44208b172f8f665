"""Editorial notes in the article admin: the panel under the change form and its POSTs.

Notes are added and resolved by small forms of their own (never inside the article's
form), each a POST to a view here that finds the article through the admin's queryset
(a reporter reaches only their own) and calls one service, which checks the rights again.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from articles import services
from articles.models import Article, EditorialNote

DRAFT_KEY = "editorial-note-draft-{}"  # what was typed into a refused note, by article


class EditorialNotesAdminMixin:
    def get_urls(self):
        wrap = self.admin_site.admin_view
        own = [
            path(
                "<int:pk>/notes/",
                wrap(require_POST(self.note_add_view)),
                name="articles_article_notes",
            ),
            path(
                "<int:pk>/notes/resolve/",
                wrap(require_POST(self.note_resolve_view)),
                name="articles_article_note_resolve",
            ),
        ]
        return own + super().get_urls()

    def _notes_article(self, request, pk) -> Article:
        return get_object_or_404(self.get_queryset(request), pk=pk)

    def _back(self, article: Article) -> HttpResponseRedirect:
        url = reverse("admin:articles_article_change", args=[article.pk])
        return HttpResponseRedirect(url + "#editorial-notes")

    def note_add_view(self, request, pk):
        article = self._notes_article(request, pk)
        typed = {k: request.POST.get(k, "") for k in ("note_text", "anchor", "parent")}
        parent = None
        if typed["parent"]:
            parent = EditorialNote.objects.filter(pk=typed["parent"], article=article).first()
        try:
            if typed["parent"] and parent is None:
                raise ValidationError("The note you answered is gone.")
            services.note_add(
                article=article,
                by=request.user,
                body=typed["note_text"],
                parent=parent,
                anchor=typed["anchor"],
            )
        except ValidationError as error:
            request.session[DRAFT_KEY.format(article.pk)] = typed
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(request, "Note added.", messages.SUCCESS)
        return self._back(article)

    def note_resolve_view(self, request, pk):
        article = self._notes_article(request, pk)
        note = get_object_or_404(EditorialNote, pk=request.POST.get("note") or 0, article=article)
        reopen = "reopen" in request.POST
        try:
            if reopen:
                services.note_reopen(note=note, by=request.user)
            else:
                services.note_resolve(note=note, by=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            done = "Thread reopened." if reopen else "Thread resolved."
            self.message_user(request, done, messages.SUCCESS)
        return self._back(article)

    def notes_context(self, request, article: Article) -> dict | None:
        """The panel's threads and the refused draft to put back, or None (no rights)."""
        if article is None or not services.note_can_see(article=article, user=request.user):
            return None
        replies = Prefetch("replies", queryset=EditorialNote.objects.select_related("author"))
        threads = (
            article.notes.filter(parent=None)
            .select_related("author", "resolved_by")
            .prefetch_related(replies)
        )
        body_text = services.note_body_text(article)
        return {
            "threads": [
                {"note": n, "anchor_gone": bool(n.anchor) and n.anchor not in body_text}
                for n in threads
            ],
            "draft": request.session.pop(DRAFT_KEY.format(article.pk), None) or {},
        }
