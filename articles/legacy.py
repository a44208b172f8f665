"""WordPress's other addresses for an imported site, answered with a 301.

Date-based permalinks are Newsroom's own; the importer records a Redirect for any other
address it knows (a post's old link, attachment pages, category pages). The forms below
are rules instead of rows: ``/?p=ID`` (and ``page_id``, ``attachment_id``, ``feed``) on the
front page, ``/archives/ID``, and the suffixes WordPress adds to any page (``feed/``,
``comment-page-N/``, ``trackback/``). Like redirects, the path rules run only on a 404.

The front page is cached for everyone, and a query string it does not know sends a request
past the cache. So WordPress's query on ``/`` is answered before the page cache, by one
indexed lookup: a 301 to the article, or a 404 for an id nobody has; the front page is never
rendered for it, so random ids cannot be used to make it render again and again.
"""

import re

from django.http import HttpResponsePermanentRedirect
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.views.defaults import page_not_found

from articles.models import Article, Image

FRONT = {"/", "/index.php"}  # WordPress answers its query on both
QUERY_VARS = ("p", "page_id", "attachment_id", "feed")
ARCHIVES = re.compile(r"^/archives/([0-9]{1,12})/?$")
SUFFIX = re.compile(
    r"^(?P<base>/(?:.*/)?)(?:(?P<feed>feed(?:/(?:rss2?|atom|rdf))?)"
    r"|(?P<comments>comment-page-[0-9]{1,6})|trackback|amp|embed)/?$"
)
WORDPRESS = "wordpress:"


def article_by_wordpress_id(value: str) -> Article | None:
    if not (value.isascii() and value.isdigit() and len(value) <= 12):
        return None
    found = Article.objects.filter(import_id=str(int(value)), import_source__startswith=WORDPRESS)
    found = found.exclude(import_id="")  # the condition of the index it reads
    article = found.only("slug", "status", "published_at", "created_at").first()
    return article if article is not None and article.is_published() else None


def _article_of_attachment(value: str) -> Article | None:
    if not (value.isascii() and value.isdigit() and len(value) <= 12):
        return None
    image = Image.objects.filter(import_id=str(int(value)), import_source__startswith=WORDPRESS)
    used = Article.objects.filter(image_uses__image__in=image).order_by("pk")
    article = used.only("slug", "status", "published_at", "created_at").first()
    return article if article is not None and article.is_published() else None


def front_query_location(request) -> str | None | bool:
    """Where WordPress's query on the front page leads: a path, None (no such thing: 404),
    or False when the request is not one of those."""
    get = request.GET
    if request.path not in FRONT or not any(name in get for name in QUERY_VARS):
        return False
    if "feed" in get:
        return reverse("articles:feed-rss")
    if "attachment_id" in get:
        article = _article_of_attachment(get["attachment_id"])
    else:
        article = article_by_wordpress_id(get.get("p") or get.get("page_id") or "")
    return article.get_absolute_url() if article else None


class WordPressQueryMiddleware:
    """``/?p=ID``: a 301 to the imported article or a 404, before the page cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in {"GET", "HEAD"} or request.path not in FRONT:
            return self.get_response(request)
        location = front_query_location(request)
        if location is False:
            return self.get_response(request)
        if location is None:
            return page_not_found(request, None)
        return HttpResponsePermanentRedirect(location)


def _view_name(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def legacy_location(path: str, redirect_for) -> str | None:
    """Where a WordPress-only path that found no page leads (``redirect_for``: the
    recorded redirects' lookup, for the base of a suffixed path)."""
    if found := ARCHIVES.match(path):
        article = article_by_wordpress_id(found[1])
        return article.get_absolute_url() if article else None
    suffix = SUFFIX.match(path)
    if suffix is None:
        return None
    base, is_feed = suffix["base"], bool(suffix["feed"])
    name = _view_name(base)
    if name is None:
        moved = redirect_for(base)
        if moved is None:
            return None
        base = moved[0].split("?")[0]
        name = _view_name(base)
    if name == "articles:detail":
        if suffix["comments"]:
            return _article_url(base, "comments:wordpress")
        return _article_url(base, "comments:article-feed") if is_feed else base
    if is_feed and name is not None and _view_name(base + "feed/rss/"):
        return base + "feed/rss/"
    return base if name is not None else None


def _article_url(article_path: str, name: str) -> str:
    """The article's page named ``name`` (its comment feed, WordPress's per-post feed; or
    the page that follows an old comment link's #comment-ID), else the article."""
    match = resolve(article_path)
    article = Article.objects.published().filter(slug=match.kwargs["slug"]).first()
    if article is None:
        return article_path
    try:
        return reverse(name, kwargs={"article_id": article.pk})
    except NoReverseMatch:
        return article_path
