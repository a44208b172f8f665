from django import template

from articles.models import Article
from articles.services import is_editor

register = template.Library()


@register.simple_tag(takes_context=True)
def review_queue(context) -> int | None:
    """How many articles wait for an editor; None for people who do not review."""
    request = context.get("request")
    if request is None or not is_editor(request.user):
        return None
    return Article.objects.awaiting_review().count()
