"""The Google News sitemap: articles published in the last 48 hours."""

from django.conf import settings
from django.views.generic import TemplateView

from articles.sitemaps import news_items


class NewsSitemapView(TemplateView):
    template_name = "articles/news_sitemap.xml"
    content_type = "application/xml"

    def get_context_data(self, **kwargs):
        base = self.request.build_absolute_uri("/").rstrip("/")
        return super().get_context_data(
            items=news_items(), base=base, publication=settings.SITE_NAME, **kwargs
        )
