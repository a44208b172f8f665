"""The Jinja2 environment of the pages that must be fast when no cache can answer: the
article page and its comment section (docs/decisions.md, "The article page in Jinja2").

The project wires the apps' template functions in here (it may import every app; no app
imports it). Each is the very function the template engine's tags and filters call, so both
engines print the same markup. Autoescape is on (Django's backend sets it): a value is
escaped on output unless the function that built it marked it safe (SafeString has
``__html__``, which Jinja2 honours).
"""

from django.template import defaultfilters
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone
from jinja2 import Environment

from accounts.templatetags import accounts_tags
from articles.templatetags import articles_tags
from comments import caching as comment_caching
from comments import reader as comment_reader
from comments import render as comment_render
from comments.templatetags import comments as comment_tags
from core.reversing import cached_reverse

DATETIME_ATTR = r"Y-m-d\TH:i:sO"  # a <time datetime=""> to the second, with its offset


def url(name: str, *args, **kwargs) -> str:
    """``{% url name *args **kwargs %}``, remembered per process (core/reversing.py)."""
    return cached_reverse(name, args=args, kwargs=kwargs or None)


def date(value, format_string: str) -> str:
    """Django's date filter on the value in the current time zone, as the template engine
    gives it (its date filter expects local time)."""
    return defaultfilters.date(timezone.template_localtime(value), format_string)


def this_year() -> int:
    return timezone.localdate().year


def lead_picture(article, loading: str):
    """The lead image's <picture> (templates/articles/_picture.html, which the listings'
    cards share)."""
    return render_to_string("articles/_picture.html", {"article": article, "loading": loading})


def own_html(request, own: list, own_level=None):
    """A reader's own comments (templates/comments/_own.html, which the reader's JSON part
    renders too)."""
    context = {"own": own, "own_level": own_level} if own_level else {"own": own}
    return render_to_string("comments/_own.html", context, request)


def environment(**options) -> Environment:
    # Django's backend turns autoescape on; said again here so no option can turn it off.
    options.pop("autoescape", None)
    env = Environment(autoescape=True, **options)
    env.globals.update(
        url=url,
        static=static,
        this_year=this_year,
        lead_picture=lead_picture,
        own_html=own_html,
        avatar=accounts_tags.avatar,
        social_logins=accounts_tags.logins,
        comment_thread=comment_caching.thread_for,
        comment_live=comment_tags.comment_live,
        comment_reader=comment_reader.reader_for,
        thread_html=comment_tags.thread_html,
        thread_pages=comment_render.pages_html,
        DATETIME_ATTR=DATETIME_ATTR,
    )
    env.filters.update(
        date=date,
        truncatechars=defaultfilters.truncatechars,
        pluralize=defaultfilters.pluralize,
        urlencode=defaultfilters.urlencode,
        article_body=articles_tags.article_body,
        article_has_embeds=articles_tags.article_has_embeds,
        media_url=articles_tags.media_url,
        jsonld=articles_tags.jsonld,
        provider_icon=accounts_tags.provider_icon,
    )
    return env
