"""Structured data for article pages (schema.org NewsArticle)."""

from django.conf import settings
from django.core.files.storage import default_storage

from articles.models import Article


def article_jsonld(article: Article, request) -> dict:
    """The NewsArticle JSON-LD readers' search engines read; plain data, escaped on output."""
    url = request.build_absolute_uri(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": url,
        "url": url,
        "headline": article.title[:110],
        "description": article.standfirst,
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "dateModified": article.last_modified().isoformat() if article.published_at else None,
        "author": [
            {
                "@type": "Person",
                "name": author.get_display_name(),
                "url": request.build_absolute_uri(author.get_absolute_url()),
            }
            for author in article.authors.all()
        ],
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME},
    }
    if article.section:
        data["articleSection"] = article.section.name
    if article.lead_image:
        data["image"] = [request.build_absolute_uri(default_storage.url(article.lead_image.name))]
    return data
