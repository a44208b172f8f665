"""RSS 2.0 and Atom feeds for the site, each section, each tag, each author, and the
corrections."""

from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, format_html, format_html_join

from articles import caching
from articles.embeds import embeds_as_links
from articles.models import Article, Correction, Section, Tag, local_date
from articles.views import bylined
from core.feeds import XmlSafeFeed, tag_uri


def attach_corrections(articles: list[Article]) -> list[Article]:
    """Set ``feed_corrections`` on each article (from with_last_correction): its corrections,
    oldest first, in one query, and in none when no article has any."""
    corrected = [article.pk for article in articles if article.last_correction]
    by_article = defaultdict(list)
    if corrected:
        rows = Correction.objects.filter(article_id__in=corrected).order_by("created_at", "id")
        for correction in rows:
            by_article[correction.article_id].append(correction)
    for article in articles:
        article.feed_corrections = by_article[article.pk]
    return articles


def corrections_html(corrections: list[Correction]) -> str:
    """The corrections as the article page shows them under the body (their text is plain)."""
    if not corrections:
        return ""
    lines = format_html_join(
        "",
        "<p><strong>Correction, {}:</strong> {}</p>",
        ((local_date(c.created_at), c.text) for c in corrections),
    )
    return format_html('<aside class="corrections"><h2>Corrections</h2>{}</aside>', lines)


class SiteFeed(XmlSafeFeed):
    """The latest published articles; full text or summary per ARTICLES_FEED_CONTENT."""

    feed_type_name = "rss"

    def get_object(self, request):
        caching.cache_feed(request, caching.FRONT)
        return None

    def title(self, obj=None) -> str:
        return settings.SITE_NAME

    def description(self, obj=None) -> str:
        return f"The latest from {settings.SITE_NAME}."

    def link(self, obj=None) -> str:
        return reverse("articles:front")

    def filter_articles(self, queryset, obj):
        return queryset

    def items(self, obj=None):
        queryset = (
            Article.objects.published()
            .select_related("section")
            .prefetch_related("tags")
            .with_last_correction()
            .order_by("-published_at", "-id")
        )
        articles = bylined(self.filter_articles(queryset, obj))[: settings.ARTICLES_FEED_ITEMS]
        return attach_corrections(list(articles))

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        """The body (or the standfirst) as HTML, with the corrections under it: a correction
        moves the entry's updated time, and its readers see why."""
        if settings.ARTICLES_FEED_CONTENT == "summary":
            text = escape(item.standfirst)  # plain text in an HTML field
        else:
            text = embeds_as_links(item.body)  # sanitised; embeds as links
        return text + corrections_html(item.feed_corrections)

    def item_pubdate(self, item: Article):
        return item.published_at

    def item_updateddate(self, item: Article):
        return max(t for t in (item.published_at, item.revised_at, item.last_correction) if t)

    def item_author_name(self, item: Article) -> str:
        return ", ".join(author.get_display_name() for author in item.authors.all())

    def item_categories(self, item: Article) -> list[str]:
        names = [item.section.name] if item.section else []
        return names + [tag.name for tag in item.tags.all()]

    def item_guid(self, item: Article) -> str:
        # Atom's <id> and RSS's <guid>: the same whatever the slug, headline or date.
        return tag_uri("article", item.pk, item.created_at)

    item_guid_is_permalink = False


class SectionFeed(SiteFeed):
    def get_object(self, request, slug):
        section = get_object_or_404(Section, slug=slug)
        caching.cache_feed(request, caching.section_scope(section.slug))
        return section

    def title(self, obj=None) -> str:
        return f"{obj.name} · {settings.SITE_NAME}"

    def link(self, obj=None) -> str:
        return obj.get_absolute_url()

    def filter_articles(self, queryset, obj):
        return queryset.filter(section=obj)


class TagFeed(SectionFeed):
    def get_object(self, request, slug):
        tag = get_object_or_404(Tag, slug=slug)
        caching.cache_feed(request, caching.tag_scope(tag.slug))
        return tag

    def filter_articles(self, queryset, obj):
        return queryset.filter(tags=obj)


class AuthorFeed(SectionFeed):
    def get_object(self, request, username):
        author = get_object_or_404(get_user_model(), username=username)
        caching.cache_feed(request, caching.author_scope(author.username))
        return author

    def title(self, obj=None) -> str:
        return f"{obj.get_display_name()} · {settings.SITE_NAME}"

    def filter_articles(self, queryset, obj):
        return queryset.filter(authors=obj)


class CorrectionsFeed(XmlSafeFeed):
    """The latest corrections to published articles, as on /corrections/."""

    feed_type_name = "rss"

    def get_object(self, request):
        caching.cache_feed(request, caching.CORRECTIONS)  # every correction bumps FEEDS
        return None

    def title(self, obj=None) -> str:
        return f"Corrections · {settings.SITE_NAME}"

    def description(self, obj=None) -> str:
        return f"Corrections to articles on {settings.SITE_NAME}."

    def link(self, obj=None) -> str:
        return reverse("articles:corrections")

    def items(self, obj=None):
        rows = Correction.objects.of_live_articles().select_related("article")
        return rows.order_by("-created_at", "-id")[: settings.ARTICLES_FEED_ITEMS]

    def item_title(self, item: Correction) -> str:
        return f"Correction to “{item.article.title}”"

    def item_description(self, item: Correction) -> str:
        return format_html("<p>{}</p>", item.text)

    def item_link(self, item: Correction) -> str:
        return item.article.get_absolute_url() + "#corrections"

    def item_pubdate(self, item: Correction):
        return item.created_at

    def item_guid(self, item: Correction) -> str:
        return tag_uri("correction", item.pk, item.created_at)

    item_guid_is_permalink = False


def atom(feed_class: type[Feed]) -> type[Feed]:
    """The same feed in Atom 1.0 (subtitle is Atom's description)."""
    return type(
        f"Atom{feed_class.__name__}",
        (feed_class,),
        {"feed_type": Atom1Feed, "subtitle": feed_class.description, "feed_type_name": "atom"},
    )
