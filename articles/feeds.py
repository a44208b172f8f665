"""RSS 2.0 and Atom feeds for the site, each section, each tag and each author."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from articles.models import Article, Section, Tag
from articles.sanitize import clean_html
from articles.views import bylined, next_go_live
from newsroom import pagecache
from newsroom.feeds import XmlSafeFeed, tag_uri


class SiteFeed(XmlSafeFeed):
    """The latest published articles; full text or summary per ARTICLES_FEED_CONTENT."""

    feed_type_name = "rss"

    def get_object(self, request):
        self.cache_as(request, "front")
        return None

    @staticmethod
    def cache_as(request, scope: str) -> None:
        """Cache the feed with the listing it mirrors: the events that expire that listing
        (publish, edit, correction, go-live) expire the feed too."""
        pagecache.tag(request, "feeds", scope)
        pagecache.expire_at(request, next_go_live)

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
        return list(bylined(self.filter_articles(queryset, obj))[: settings.ARTICLES_FEED_ITEMS])

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        if settings.ARTICLES_FEED_CONTENT == "summary":
            return item.standfirst
        return clean_html(item.body)

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
        self.cache_as(request, f"section:{section.slug}")
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
        self.cache_as(request, f"tag:{tag.slug}")
        return tag

    def filter_articles(self, queryset, obj):
        return queryset.filter(tags=obj)


class AuthorFeed(SectionFeed):
    def get_object(self, request, username):
        author = get_object_or_404(get_user_model(), username=username)
        self.cache_as(request, f"author:{author.username}")
        return author

    def title(self, obj=None) -> str:
        return f"{obj.get_display_name()} · {settings.SITE_NAME}"

    def filter_articles(self, queryset, obj):
        return queryset.filter(authors=obj)


def atom(feed_class: type[Feed]) -> type[Feed]:
    """The same feed in Atom 1.0 (subtitle is Atom's description)."""
    return type(
        f"Atom{feed_class.__name__}",
        (feed_class,),
        {"feed_type": Atom1Feed, "subtitle": feed_class.description, "feed_type_name": "atom"},
    )
