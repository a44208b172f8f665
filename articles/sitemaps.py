"""sitemap.xml entries and the Google News sitemap (articles of the last 48 hours)."""

from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.utils import timezone

from articles.models import Article, Section, Tag


class ArticleSitemap(Sitemap):
    changefreq = "daily"
    limit = 5000

    def items(self):
        return (
            Article.objects.published()
            .with_last_correction()
            .defer("body")
            .order_by("-published_at", "-id")
        )

    def lastmod(self, item: Article):
        return max(t for t in (item.published_at, item.revised_at, item.last_correction) if t)


class SectionSitemap(Sitemap):
    changefreq = "hourly"

    def items(self):
        return Section.objects.all()


class TagSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Tag.objects.filter(articles__in=Article.objects.published()).distinct()


SITEMAPS = {"articles": ArticleSitemap, "sections": SectionSitemap, "tags": TagSitemap}


def news_items():
    """Published in the last 48 hours, as Google News asks."""
    since = timezone.now() - timedelta(hours=48)
    return (
        Article.objects.published()
        .filter(published_at__gte=since)
        .defer("body")
        .order_by("-published_at", "-id")[:1000]
    )
