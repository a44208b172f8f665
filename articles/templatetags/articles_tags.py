import json

from django import template
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import _json_script_escapes, format_html
from django.utils.safestring import SafeString, mark_safe

from articles import caching
from articles.body import body_html, cleaned_body
from articles.embeds import has_embeds

register = template.Library()


@register.tag
def cached_listing(parser, token):
    """``{% cached_listing %}…{% endcached_listing %}``: a listing page's cards, cached as a
    fragment under the page's own scopes (articles.caching.cached_listing). A reader the page
    cache cannot serve (a logged-in one) then skips the cards' queries and some 400 template
    lookups."""
    nodelist = parser.parse(("endcached_listing",))
    parser.delete_first_token()
    return CachedListingNode(nodelist)


class CachedListingNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context) -> str:
        request, page = context.get("request"), context.get("page_obj")
        return caching.cached_listing(request, page, lambda: self.nodelist.render(context))


@register.filter
def article_body(article) -> SafeString:
    """The article's body with its library images (articles.body.body_html)."""
    return body_html(article)


@register.filter
def article_has_embeds(article) -> bool:
    """Whether the article's body has an embed (the page then loads static/js/embeds.js),
    from the same sanitised body the page shows (articles.body.cleaned_body)."""
    return has_embeds(cleaned_body(article))


@register.filter
def media_url(name: str) -> str:
    """The public URL of a stored file name (renditions are kept as names)."""
    return default_storage.url(name) if name else ""


@register.filter
def srcset(renditions: list) -> str:
    """[[width, name], ...] -> "url 480w, url 800w"."""
    return ", ".join(f"{default_storage.url(name)} {width}w" for width, name in renditions or [])


@register.filter
def jsonld(value: dict) -> SafeString:
    """A JSON-LD <script> with json_script's escaping (<, >, & become \\u escapes)."""
    text = json.dumps(value, cls=DjangoJSONEncoder).translate(_json_script_escapes)
    # Same escaping and the same mark_safe as django.utils.html.json_script, which
    # hard-codes type="application/json"; search engines want application/ld+json.
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308
