import json

from django import template
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import _json_script_escapes, format_html
from django.utils.safestring import SafeString, mark_safe

from articles.body import body_html
from articles.scheduling import next_go_live
from newsroom import pagecache

register = template.Library()


@register.tag
def kept_listing(parser, token):
    """``{% kept_listing %}…{% endkept_listing %}``: a listing page's cards, kept as a fragment
    under the page's own scopes (``front``, ``section:…``, ``tag:…``, ``author:…``) until one
    is bumped, the TTL, or the next go-live, like the page. A reader the page cache cannot
    serve (a logged-in one) then skips the cards' queries and some 400 template lookups. The
    name is the path and the page number, never the query string (no flood of variants)."""
    nodelist = parser.parse(("endkept_listing",))
    parser.delete_first_token()
    return KeptListingNode(nodelist)


class KeptListingNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context) -> str:
        request, page = context.get("request"), context.get("page_obj")
        scopes = pagecache.tags_of(request) if request is not None else ()
        if not scopes or page is None:
            return self.nodelist.render(context)
        name = f"listing:{request.path}:{page.number}"
        return pagecache.fragment(
            name, scopes, lambda: self.nodelist.render(context), expiry=next_go_live
        )


@register.filter
def article_body(article) -> SafeString:
    """The article's body with its library images (articles.body.body_html)."""
    return body_html(article)


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
