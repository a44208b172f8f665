"""The articles app's cache vocabulary: the page-cache scopes its pages carry, and its cached
reads (fragments). Views, feeds, template tags and services call these; none of them builds a
scope string or a fragment name by hand. The mechanism is core/pagecache.py.

Scopes: ``FRONT`` (bumped by every publish, edit, unpublish: every article page shows other
articles), ``ARCHIVE``, ``FEEDS``, ``CORRECTIONS`` (the corrections feed), and one per article,
section, tag and author (``article_scope(pk)`` etc.). Other apps may tag their pages with an
article's scope (comments do) so that the article's events expire them too.
"""

import datetime
import hashlib
from collections.abc import Callable
from functools import cache

import django
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.functional import cached_property

from articles.models import Article, Correction, Image, Section, Tag
from articles.scheduling import next_go_live
from core import pagecache

FRONT = "front"
ARCHIVE = "archive"
FEEDS = "feeds"
CORRECTIONS = "corrections"
# Listing cards show each article's comment count: the comments app bumps this scope when
# a comment is published or taken down (comments.caching.threads_changed).
COMMENT_COUNTS = "comment-counts"


def article_scope(pk: int) -> str:
    """The scope of one article's own page (and whatever else shows that article alone)."""
    return f"article:{pk}"


def section_scope(slug: str) -> str:
    return f"section:{slug}"


def tag_scope(slug: str) -> str:
    return f"tag:{slug}"


def author_scope(username: str) -> str:
    return f"author:{username}"


def article_scopes(article: Article) -> list[str]:
    """Page-cache scopes of every page an article appears on (docs/decisions.md)."""
    scopes = [article_scope(article.pk), FRONT, ARCHIVE, FEEDS]
    if article.section_id:
        scopes.append(section_scope(article.section.slug))
    scopes += [tag_scope(tag.slug) for tag in article.tags.all()]
    scopes += [author_scope(author.username) for author in article.authors.all()]
    return scopes


def article_pages_changed(article: Article) -> None:
    """Expire the cached pages an article is on: after publish, unpublish, edit, correction."""
    pagecache.invalidate(*article_scopes(article))


def byline_changed(author, old_username: str) -> None:
    """An author's public name or picture changed (accounts.signals.identity_changed): the
    pages of their articles and every page those appear on (article_scopes), and their
    author page under its old and new name, expire; nothing for someone with no byline."""
    articles = (
        Article.objects.filter(bylines__author=author)
        .select_related("section")
        .prefetch_related("tags", "authors")
    )
    scopes: dict[str, None] = {}
    for article in articles.iterator(chunk_size=500):
        scopes |= dict.fromkeys(article_scopes(article))
    if scopes:  # article_scopes names their author page; its old name is added here
        pagecache.invalidate(*scopes, author_scope(old_username))


def listing_renamed(old_scope: str) -> None:
    """Expire the pages that showed a section, tag or author under its old name (``old_scope``
    from section_scope, tag_scope or author_scope). Every article page shows its section and
    tags, so ``FRONT`` goes too."""
    pagecache.invalidate(old_scope, FRONT, FEEDS)


# --- Tagging the page being rendered ------------------------------------------------------


def cache_article_page(request: HttpRequest, article: Article) -> None:
    pagecache.tag(request, article_scope(article.pk))


def cache_listing(request: HttpRequest, scope: str) -> None:
    """A listing page (front, section, tag, author, archive): cached under ``scope`` and, so
    that it never hides an article scheduled meanwhile, no later than the next go-live."""
    pagecache.tag(request, scope, COMMENT_COUNTS)
    pagecache.expire_at(request, next_go_live)


def cache_feed(request: HttpRequest, scope: str) -> None:
    """Cache a feed with the listing it mirrors: the events that expire that listing
    (publish, edit, correction, go-live) expire the feed too."""
    pagecache.tag(request, FEEDS, scope)
    pagecache.expire_at(request, next_go_live)


# --- Cached reads (fragments) -------------------------------------------------------------


class CachedCountPaginator(Paginator):
    """A Paginator whose total is cached as a fragment under the listing's page-cache scopes,
    so a reader the page cache cannot serve (a logged-in one) skips the COUNT query."""

    def __init__(self, *args, fragment_name: str, scopes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fragment_name, self.scopes = fragment_name, scopes

    @cached_property
    def count(self) -> int:
        counted = Paginator.count.func
        return pagecache.fragment(
            self.fragment_name, self.scopes, lambda: counted(self), expiry=next_go_live
        )

    def page(self, number):
        """A full page of rows whatever the cached total says: a total cached a moment too
        long may miscount the page links, never hide an article."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)


def listing_paginator(request: HttpRequest, queryset, per_page, *, featured: bool, **kwargs):
    """The paginator of a listing page: its total cached under the page's scopes when the page
    has any (a search page has none: a plain Paginator)."""
    scopes = pagecache.tags_of(request)
    if not scopes:
        return Paginator(queryset, per_page, **kwargs)
    # The front page's first page leaves its featured stories out of the count.
    name = f"count:{request.path}:{int(featured)}"
    return CachedCountPaginator(queryset, per_page, fragment_name=name, scopes=scopes, **kwargs)


def cached_listing(request: HttpRequest | None, page, render: Callable[[], str]) -> str:
    """A listing page's cards, ``render()``ed once and cached under the page's own scopes
    until one is bumped, the TTL, or the next go-live, like the page. The name is the path
    and the page number, never the query string (no flood of variants)."""
    scopes = pagecache.tags_of(request) if request is not None else ()
    if not scopes or page is None:
        return render()
    name = f"listing:{request.path}:{page.number}"
    return pagecache.fragment(name, scopes, render, expiry=next_go_live)


def cached_related(article: Article, build: Callable[[], list]) -> list:
    """``build()`` (the article's related articles), cached until an article changes anywhere
    on the site (``FRONT``) or this one does, and no later than the next scheduled go-live."""
    scopes = [FRONT, article_scope(article.pk)]
    return pagecache.fragment(f"related:{article.pk}", scopes, build, expiry=next_go_live)


# The article a page shows, pickled with its section, bylines, tags and corrections. Kept
# after measuring (docs/decisions.md): without it, the article page past the page cache took
# 17 ms of CPU instead of 10.

# Per process, never needed for correctness: which article id a (day, slug) URL showed.
_article_ids: dict[tuple[datetime.date, str], int] = {}


@cache
def cached_article_shape() -> str:
    """A short digest of the cached models' columns and Django's version, part of the cached
    article's name: during a deploy that changes either, old and new workers never read each
    other's pickled rows."""
    models = (Article, Section, Tag, Correction, Image, get_user_model())
    columns = ",".join(f.attname for model in models for f in model._meta.concrete_fields)
    return hashlib.sha256(f"{django.__version__}:{columns}".encode()).hexdigest()[:8]


def cached_live_article(day: datetime.date, slug: str, fetch: Callable[..., Article]) -> Article:
    """The live article at ``day``/``slug``, as ``fetch(**lookup)`` gives it with what its
    page shows (or raises Http404), cached as a fragment under the article's own scope and
    ``FRONT`` (the events that change its page, as for the page cache): a reader the page
    cache cannot serve (a logged-in one) skips four queries. A 404 is never cached. The id
    comes from this process's memory of the URL; a URL seen for the first time, or whose id
    now shows another article, is looked up."""

    def cached(pk: int) -> tuple[str, list[str]]:
        return f"{article_scope(pk)}:{cached_article_shape()}", [FRONT, article_scope(pk)]

    def by_url() -> Article:
        article = fetch(slug=slug, published_at__date=day)
        pagecache.remember(_article_ids, (day, slug), article.pk)
        # Cached at once, so the next reader of this URL (in any process) finds it.
        return pagecache.fragment(*cached(article.pk), lambda: article)

    pk = _article_ids.get((day, slug))
    if pk is None:
        return by_url()

    def by_id() -> Article:
        return fetch(pk=pk)

    try:
        article = pagecache.fragment(*cached(pk), by_id)
    except Http404:
        article = None  # unpublished, or deleted: the URL may show another article now
    if article is None or article.slug != slug or timezone.localdate(article.published_at) != day:
        _article_ids.pop((day, slug), None)
        return by_url()
    return article
