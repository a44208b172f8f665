"""The editor's embed check (issue 15): a pasted address in, the embed's data or the reason
it is refused out. Staff only and CSRF-checked (the admin's own view wrapper); the editor's
"Embed" button and paste handler (static/js/prose-embed.js) call it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.http import require_POST

from articles.embeds import embed_resolve


class EmbedsAdminMixin:
    def get_urls(self):
        wrap = self.admin_site.admin_view
        own = [path("embed/", wrap(require_POST(self.embed_view)), name="articles_article_embed")]
        return own + super().get_urls()

    def embed_view(self, request):
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        try:
            embed = embed_resolve(request.POST.get("url", ""))
        except ValidationError as error:
            return JsonResponse({"error": " ".join(error.messages)}, status=400)
        return JsonResponse({"embed": embed})
