import datetime
from functools import reduce

from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    Value,
    prefetch_related_objects,
)
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, TemplateView

from articles import caching
from articles.models import Article, Correction, PreviewLink, PreviewView, Section, Tag
from articles.search import article_search
from articles.seo import article_jsonld, page_links
from core.prepared import Prepared

PAGE_SIZE = 20
FEATURED_COUNT = 3
RELATED_COUNT = 4
RELATED_CANDIDATES = 50  # newest of each kind, ranked by shared tags
# What the related list shows (title, link, section): the rest of each row is never read.
RELATED_FIELDS = ("title", "slug", "published_at", "section__name", "section__slug")


def bylined(queryset):
    """Prefetch authors in byline order (not their password hashes: a cached article, see
    live_article, goes to the cache with them)."""
    authors = get_user_model().objects.defer("password").order_by("byline__position", "byline__id")
    return queryset.prefetch_related(Prefetch("authors", queryset=authors))


def listing():
    """Published article cards, newest first, with their bylines."""
    return bylined(Article.objects.published().for_listing())


class ArticleListView(ListView):
    template_name = "articles/article_list.html"
    paginate_by = PAGE_SIZE
    context_object_name = "articles"

    def get_paginator(self, queryset, per_page, **kwargs):
        featured = bool(getattr(self, "featured", None))
        return caching.listing_paginator(
            self.request, queryset, per_page, featured=featured, **kwargs
        )

    def get_queryset(self):
        return listing()


class FrontPageView(ArticleListView):
    """Featured stories first (page one only), then the latest, paginated."""

    def get_queryset(self):
        caching.cache_listing(self.request, caching.FRONT)
        self.featured = []
        if self.request.GET.get("page", "1") == "1":
            self.featured = list(listing().filter(is_featured=True)[:FEATURED_COUNT])
        return listing().exclude(pk__in=[a.pk for a in self.featured])

    def get_context_data(self, **kwargs):
        return super().get_context_data(featured=self.featured, **kwargs)


class SectionView(ArticleListView):
    template_name = "articles/section_detail.html"

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        caching.cache_listing(self.request, caching.section_scope(self.section.slug))
        return listing().filter(section=self.section)

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)


class TagView(ArticleListView):
    template_name = "articles/tag_detail.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        caching.cache_listing(self.request, caching.tag_scope(self.tag.slug))
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class AuthorView(ArticleListView):
    template_name = "articles/author_detail.html"

    def get_queryset(self):
        self.author = get_object_or_404(get_user_model(), username=self.kwargs["username"])
        caching.cache_listing(self.request, caching.author_scope(self.author.username))
        return listing().filter(authors=self.author)

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


def _date_or_404(year, month=1, day=1) -> datetime.date:
    try:
        return datetime.date(int(year), int(month), int(day))
    except (TypeError, ValueError) as error:
        raise Http404("No such date") from error


class ArchiveView(ArticleListView):
    """Articles published in a year, a month or a day (in the newsroom's time zone)."""

    template_name = "articles/archive.html"

    def get_queryset(self):
        kw = self.kwargs
        self.day = _date_or_404(kw["year"], kw.get("month", 1), kw.get("day", 1))
        self.level = "day" if "day" in kw else "month" if "month" in kw else "year"
        caching.cache_listing(self.request, caching.ARCHIVE)
        lookups = {"published_at__year": self.day.year}
        if self.level != "year":
            lookups["published_at__month"] = self.day.month
        if self.level == "day":
            lookups["published_at__day"] = self.day.day
        return super().get_queryset().filter(**lookups)

    def get_context_data(self, **kwargs):
        return super().get_context_data(day=self.day, level=self.level, **kwargs)


class SearchView(ArticleListView):
    template_name = "articles/search.html"

    def get_queryset(self):
        self.query = self.request.GET.get("q", "")[:200]
        return article_search(listing(), self.query)

    def get_context_data(self, **kwargs):
        return super().get_context_data(query=self.query, **kwargs)


def related_articles(article: Article) -> list:
    """Published articles from the same section or sharing a tag, most shared tags first.

    Ranked among a bounded set of candidates (the newest in the section, the newest sharing
    a tag), so the query costs the same at 100 articles a section as at 100,000."""
    values = {"now": timezone.now(), "article_id": article.pk}
    if tag_ids := [tag.pk for tag in article.tags.all()]:
        values["tag_ids"] = tag_ids
    if article.section_id:
        values["section_id"] = article.section_id
    if len(values) == 2:
        return []
    return _RELATED.read(**values)


def _related(*, now, article_id, tag_ids=(), section_id=None):
    if not tag_ids:
        # Nothing to rank by: the newest others of the section, which the ranked read below
        # would also give, in a query PostgreSQL plans in a fifth of the time (a quarter of
        # a millisecond, not a whole one: no union, no grouping, one index range).
        return (
            Article.objects.published(now)
            .filter(section_id=section_id)
            .exclude(pk=article_id)
            .annotate(shared=Value(0))
            .select_related("section")
            .only(*RELATED_FIELDS)
            .order_by("-published_at", "-id")[:RELATED_COUNT]
        )
    kinds = []
    if tag_ids:
        tagged = Article.tags.through.objects.filter(tag_id__in=tag_ids).order_by("-article_id")
        kinds.append(
            Article.objects.filter(pk__in=tagged.values("article_id")[:RELATED_CANDIDATES])
        )
    if section_id:
        section = Article.objects.published(now).filter(section_id=section_id)
        newest = section.order_by("-published_at", "-id").values("pk")[:RELATED_CANDIDATES]
        kinds.append(Article.objects.filter(pk__in=newest))
    # A UNION, not an OR of two IN lists: PostgreSQL answers an OR of subqueries by reading
    # every article; each part of the union is an index lookup.
    candidates = reduce(lambda a, b: a.union(b), (kind.values("pk") for kind in kinds))
    return (
        Article.objects.published(now)
        .filter(pk__in=candidates)
        .exclude(pk=article_id)
        .annotate(shared=Count("tags", filter=Q(tags__in=tag_ids)))
        .select_related("section")
        .only(*RELATED_FIELDS)
        .order_by("-shared", "-published_at", "-id")[:RELATED_COUNT]
    )


# Compiled once per process (core/prepared.py): building and compiling these querysets cost
# the page more than running them (docs/decisions.md, the cold build).
_RELATED = Prepared(_related)
_LIVE = Prepared(
    lambda *, now, **lookup: (
        Article.objects.published(now)
        .select_related("section", "lead_library_image")
        # Whether the tags and corrections reads below have anything to find: most articles
        # have no correction, many no tag, and an index probe here costs less than a read.
        .annotate(
            any_tags=Exists(Article.tags.through.objects.filter(article_id=OuterRef("pk"))),
            any_corrections=Exists(Correction.objects.filter(article_id=OuterRef("pk"))),
        )
        .filter(**lookup)
    )
)
_BYLINES = Prepared(
    lambda *, article_id: (
        get_user_model()
        .objects.defer("password")
        .filter(byline__article_id=article_id)
        .order_by("byline__position", "byline__id")
    )
)
_TAGS = Prepared(lambda *, article_id: Tag.objects.filter(articles__id=article_id))
_CORRECTIONS = Prepared(
    lambda *, article_id: Correction.objects.filter(article_id=article_id).order_by("created_at")
)


def article_detail_queryset(queryset):
    corrections = Prefetch("corrections", queryset=Correction.objects.order_by("created_at"))
    queryset = queryset.select_related("section", "lead_library_image")
    return bylined(queryset).prefetch_related("tags", corrections)


def with_body_images(article: Article) -> Article:
    """The library images of an article whose body shows some, in one query (none for a
    body without pictures); kept with the article (live_article)."""
    if 'data-image="' in article.body:
        prefetch_related_objects([article], "images")
    return article


def _prefetched(article: Article, name: str, rows: list) -> None:
    """Keep ``rows`` as ``article.<name>.all()``, as prefetch_related would."""
    queryset = getattr(article, name).all()
    queryset._result_cache, queryset._prefetch_done = rows, True
    article._prefetched_objects_cache[name] = queryset


def fetch_live_article(**lookup) -> Article:
    """The live article matching ``lookup`` (``pk``, or ``slug`` and ``published_at__date``)
    with its section, bylines, tags, corrections and body images, as
    article_detail_queryset gives it, in at most five queries: two when it has no tag, no
    correction and no picture in its body."""
    found = _LIVE.read(now=timezone.now(), **lookup)
    if not found:
        raise Http404("No such article")
    if len(found) > 1:
        raise Article.MultipleObjectsReturned(f"{len(found)} articles match {lookup}")
    article = found[0]
    article._prefetched_objects_cache = {}
    _prefetched(article, "authors", _BYLINES.read(article_id=article.pk))
    tags = _TAGS.read(article_id=article.pk) if article.any_tags else []
    _prefetched(article, "tags", tags)
    corrections = _CORRECTIONS.read(article_id=article.pk) if article.any_corrections else []
    _prefetched(article, "corrections", corrections)
    return with_body_images(article)


def live_article(day: datetime.date, slug: str) -> Article:
    """The live article at ``day``/``slug`` with its section, bylines, tags, corrections and
    body images (cached: articles.caching.cached_live_article)."""
    return caching.cached_live_article(day, slug, fetch_live_article)


class ArticleDetailView(DetailView):
    # Jinja2: the page readers wait for when no cache can answer (docs/decisions.md, "The
    # article page in Jinja2"); templates/jinja2/articles/article_detail.html.
    template_engine = "jinja2"
    template_name = "articles/article_detail.html"
    context_object_name = "article"
    is_preview = False

    def get_object(self, queryset=None):
        day = _date_or_404(self.kwargs["year"], self.kwargs["month"], self.kwargs["day"])
        article = live_article(day, self.kwargs["slug"])
        caching.cache_article_page(self.request, article)
        return article

    def get_context_data(self, **kwargs):
        if self.is_preview:
            related = []
        else:
            related = caching.cached_related(self.object, lambda: related_articles(self.object))
        links = page_links(self.object, self.request)
        return super().get_context_data(
            related=related,
            is_preview=self.is_preview,
            jsonld=article_jsonld(self.object, self.request, links["url"]),
            links=links,
            **kwargs,
        )


# Previews show what readers may not see yet: no cache or CDN may keep them (a revoked
# link must stop working everywhere at once).
@method_decorator(never_cache, name="dispatch")
class StaffPreviewView(LoginRequiredMixin, ArticleDetailView):
    """Staff see any article they may open in the admin, as readers will."""

    is_preview = True

    def get_object(self, queryset=None):
        user = self.request.user
        if not (user.is_staff and user.has_perm("articles.view_article")):
            raise Http404("No such article")
        queryset = article_detail_queryset(Article.objects.editable_by(user))
        return with_body_images(get_object_or_404(queryset, pk=self.kwargs["pk"]))


@method_decorator(never_cache, name="dispatch")
class PreviewLinkView(ArticleDetailView):
    """A secret, expiring, revocable link; every opening is logged."""

    is_preview = True

    def get_object(self, queryset=None):
        link = get_object_or_404(PreviewLink.objects.usable(), token=self.kwargs["token"])
        PreviewView.objects.create(
            link=link, user_agent=self.request.headers.get("User-Agent", "")[:200]
        )
        queryset = article_detail_queryset(Article.objects)
        return with_body_images(get_object_or_404(queryset, pk=link.article_id))


class CorrectionsView(ListView):
    template_name = "articles/corrections.html"
    paginate_by = PAGE_SIZE
    context_object_name = "corrections"

    def get_queryset(self):
        return (
            Correction.objects.of_live_articles()
            .select_related("article")
            .order_by("-created_at", "-id")
        )


class RobotsView(TemplateView):
    template_name = "robots.txt"
    content_type = "text/plain"
