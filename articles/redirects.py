"""Stable URLs: an old path is recorded when an article, section, tag or author moves, and
answered with a redirect when a GET to it would be a 404.

Reader pages never ask for redirects: the lookup runs only on a 404 (as WordPress's
old-slug redirect), so every page keeps its query budget. A redirect points at the moved
row, not at its next path, so a chain of renames is one hop."""

import logging
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import F
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from django.urls import Resolver404, get_script_prefix, resolve, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from articles import caching
from articles.caching import article_pages_changed
from articles.legacy import legacy_location
from articles.models import Article, Byline, Redirect, Section, Tag

logger = logging.getLogger(__name__)

MAX_PATH = Redirect._meta.get_field("old_path").max_length
MAX_PREFIXES = 12  # an old path plus a suffix: /2025/01/31/slug/ + feed/rss/
MAX_HOPS = 20  # a chain of manual redirects longer than this is refused as a loop
OFF_SITE = (
    "Only addresses on this site are allowed: a path starting with one /, e.g. /section/politics/."
)
BAD_OLD_PATH = (
    "A path on this site, starting with one / and without ?query or #anchor, "
    "e.g. /2025/01/31/old-headline/."
)


# --- Recording ---------------------------------------------------------------------------


def stored_value(instance, field: str, update_fields=None):
    """``field`` as stored in ``instance``'s row, when this save may change it (else None)."""
    if instance._state.adding or instance.pk is None:
        return None
    if update_fields is not None and field not in update_fields:
        return None
    rows = type(instance)._default_manager.filter(pk=instance.pk)
    return rows.values_list(field, flat=True).first()


def live_path_stored(article: Article, update_fields=None) -> str | None:
    """The URL readers know ``article`` by (its stored row, if live), before a save."""
    if article._state.adding or article.pk is None:
        return None
    if update_fields is not None and not {"slug", "published_at"} & set(update_fields):
        return None
    stored = Article.objects.only("slug", "status", "published_at").filter(pk=article.pk).first()
    return stored.get_absolute_url() if stored and stored.is_published() else None


def _kind(target) -> str:
    for kind, model in (("article", Article), ("section", Section), ("tag", Tag)):
        if isinstance(target, model):
            return kind
    return "author"


@transaction.atomic
def old_path_record(*, target, old_path: str, old_scope: str = "") -> None:
    """Record ``old_path`` as a former URL of ``target`` (article, section, tag or author)
    and expire the cached pages that showed it there."""
    new_path = target.get_absolute_url()
    if old_path == new_path or len(old_path) > MAX_PATH:
        return
    # Moving back: the path answers itself again.
    Redirect.objects.filter(old_path=new_path, is_automatic=True).delete()
    targets = {"article": None, "section": None, "tag": None, "author": None}
    Redirect.objects.update_or_create(
        old_path=old_path,
        defaults={
            **targets,
            _kind(target): target,
            "target_url": "",
            "status_code": Redirect.Code.PERMANENT,
            "is_automatic": True,
        },
    )
    if isinstance(target, Article):
        article_pages_changed(target)
    else:
        caching.listing_renamed(old_scope)


def slug_renamed(obj: Section | Tag, old_slug) -> None:
    """After a section or tag save: record its old listing URL if the slug changed."""
    if old_slug is None or old_slug == obj.slug:
        return
    kind = _kind(obj)
    old_path = reverse(f"articles:{kind}", kwargs={"slug": old_slug})
    scope = caching.section_scope if kind == "section" else caching.tag_scope
    old_path_record(target=obj, old_path=old_path, old_scope=scope(old_slug))


def author_renamed(author, old_username) -> None:
    """After a user save: an author's old page URL, if the username changed. Readers who
    never had a byline leave no public trace of their old name."""
    if old_username is None or old_username == author.username:
        return
    if not Byline.objects.filter(author=author).exists():
        return
    old_path = reverse("articles:author", kwargs={"username": old_username})
    old_path_record(target=author, old_path=old_path, old_scope=caching.author_scope(old_username))


# --- Checking what editors type ----------------------------------------------------------


def site_path(value: str) -> str | None:
    """``value`` as a path on this site (an absolute URL to SITE_URL's host becomes its
    path), or None when a browser could take it anywhere else."""
    value = value.strip()
    if not value or "\\" in value or any(ch.isspace() or ord(ch) < 32 for ch in value):
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        own_host = urlsplit(settings.SITE_URL).netloc.lower()
        if parts.scheme.lower() not in {"http", "https"} or parts.netloc.lower() != own_host:
            return None
        value = urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))
    if not value.startswith("/") or value.startswith("//"):
        return None
    return value if url_has_allowed_host_and_scheme(value, allowed_hosts=None) else None


def old_path_clean(value: str) -> str:
    path = site_path(value)
    if path is None or "?" in path or "#" in path or len(path) > MAX_PATH:
        raise ValidationError(BAD_OLD_PATH, code="old_path")
    return path


def target_url_clean(value: str) -> str:
    path = site_path(value)
    if path is None:
        raise ValidationError(OFF_SITE, code="off_site")
    return path


def _path_of(url: str) -> str:
    return urlsplit(url).path


def would_loop(*, old_path: str, target: str, exclude_pk=None) -> bool:
    """Whether sending ``old_path`` to ``target`` comes back to a path already on the way
    (through the redirects recorded for the paths it passes)."""
    seen, path = {old_path}, _path_of(target)
    others = Redirect.objects.exclude(pk=exclude_pk).select_related(
        "article", "section", "tag", "author"
    )
    for _ in range(MAX_HOPS):
        if path in seen:
            return True
        seen.add(path)
        row = others.filter(old_path=path).first()
        leads_to = row and (row.target_path() or "")
        if not leads_to:
            return False
        path = _path_of(leads_to)
    return True


# --- Answering ---------------------------------------------------------------------------


def path_prefixes(path: str) -> list[str]:
    """``path`` then each parent path, longest first: /a/b/c/ → /a/b/c/, /a/b/, /a/."""
    found, cut = [path], path.rstrip("/")
    while (end := cut.rfind("/")) > 0 and len(found) < MAX_PREFIXES:
        cut = cut[:end]
        found.append(cut + "/")
    return [prefix for prefix in found if len(prefix) <= MAX_PATH]


def is_page(path: str) -> bool:
    """Whether ``path`` is one of the site's URL patterns (no query, no view run)."""
    try:
        resolve("/" + path.removeprefix(get_script_prefix()))
    except Resolver404:
        return False
    return True


def with_query(url: str, query: str) -> str:
    if not query:
        return url
    parts = urlsplit(url)
    joined = f"{parts.query}&{query}" if parts.query else query
    return urlunsplit(("", "", parts.path, joined, parts.fragment))


def location_for(row: Redirect, *, suffix: str, query: str) -> str | None:
    """Where ``row`` sends a request for its old path + ``suffix``, or None."""
    target = row.target_path()
    if target is None:
        return None
    if suffix:
        # A moved article/section/tag/author keeps its sub-pages (feeds); a URL redirect
        # answers its own path only.
        if row.target() is None or not is_page(target + suffix):
            return None
        target += suffix
    if site_path(target) is None:  # whatever was stored, never off-site
        return None
    return with_query(target, query)


def redirect_for(path: str, query: str = "") -> tuple[str, int] | None:
    """The (location, status) answering a GET for ``path`` that found no page, if any."""
    prefixes = path_prefixes(path)
    rows = Redirect.objects.filter(old_path__in=prefixes).select_related(
        "article", "section", "tag", "author"
    )
    by_path = {row.old_path: row for row in rows}
    for prefix in prefixes:
        row = by_path.get(prefix)
        if row is None:
            continue
        location = location_for(row, suffix=path[len(prefix) :], query=query)
        if location is None or _path_of(location) == path:
            continue
        Redirect.objects.filter(pk=row.pk).update(hits=F("hits") + 1, last_hit_at=timezone.now())
        return location, row.status_code
    return None


def _legacy(path: str, query: str) -> tuple[str, int] | None:
    """An imported WordPress site's rule-based old addresses (articles.legacy)."""
    location = legacy_location(path, redirect_for)
    if location is None or _path_of(location) == path:
        return None
    return with_query(location, query), Redirect.Code.PERMANENT


class RedirectFallbackMiddleware:
    """A GET or HEAD that would be a 404 answers with the redirect recorded for its path.
    Placed before the page cache so it sees the query string as the reader sent it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in {"GET", "HEAD"}:
            return response
        try:
            found = redirect_for(request.path, query) or _legacy(request.path, query)
        except DatabaseError:
            # A 404 stays a 404 when the lookup fails (database down, table not migrated).
            logger.warning("Redirects unavailable; %s answered 404", request.path)
            return response
        if found is None:
            return response
        location, status = found
        if status == Redirect.Code.PERMANENT:
            return HttpResponsePermanentRedirect(location)
        return HttpResponseRedirect(location)
