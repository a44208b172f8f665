"""RSS feeds of approved comments: site-wide and per article."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import reverse

from articles.models import Article
from comments import caching
from comments.models import Comment
from comments.render import body_html
from core.feeds import XmlSafeFeed, tag_uri

FEED_SIZE = 30


class LatestCommentsFeed(XmlSafeFeed):
    description = "The latest published reader comments."

    def get_object(self, request):
        caching.tag_site_feed(request)
        return None

    def title(self, obj=None) -> str:
        return f"Comments on {settings.SITE_NAME}"

    def link(self, obj=None) -> str:
        return reverse("comments:feed")

    def items(self, obj=None):
        rows = Comment.objects.approved().select_related("article", "user")
        if obj is not None:
            rows = rows.filter(article=obj)
        return rows.order_by("-created_at", "-id")[:FEED_SIZE]

    def item_title(self, item: Comment) -> str:
        return f"{item.author_name} on {item.article.title}"

    def item_description(self, item: Comment) -> str:
        # The same inert HTML as on the page: readers' text is escaped, only URLs are linked.
        return body_html(item.body)

    def item_link(self, item: Comment) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Comment) -> str:
        return tag_uri("comment", item.pk, item.created_at)

    item_guid_is_permalink = False

    def item_pubdate(self, item: Comment):
        return item.created_at

    def item_author_name(self, item: Comment) -> str:
        return item.author_name


class ArticleCommentsFeed(LatestCommentsFeed):
    def get_object(self, request, article_id: int):
        article = get_object_or_404(Article.objects.published(), pk=article_id)
        caching.tag_article_feed(request, article.pk)
        return article

    def title(self, obj=None) -> str:
        return f"Comments on “{obj.title}”"

    def link(self, obj=None) -> str:
        return obj.get_absolute_url()


class EditorsPicksFeed(LatestCommentsFeed):
    """The editors' picks across the site, newest pick first."""

    description = "Reader comments the editors picked."

    def get_object(self, request):
        caching.tag_picks_feed(request)
        return None

    def title(self, obj=None) -> str:
        return f"Editors’ picks of the comments on {settings.SITE_NAME}"

    def link(self, obj=None) -> str:
        return reverse("comments:picks-feed")

    def items(self, obj=None):
        return Comment.objects.featured().select_related("article", "user")[:FEED_SIZE]

    def item_pubdate(self, item: Comment):
        return item.featured_at
