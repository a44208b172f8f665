"""Structured data for article pages (schema.org NewsArticle)."""

from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage

from articles.models import Article


def article_jsonld(article: Article, request, url: str | None = None) -> dict:
    """The NewsArticle JSON-LD readers' search engines read; plain data, escaped on output.
    ``url``: the page's own address when the caller has it (page_links' ``url``)."""
    url = url or request.build_absolute_uri(article.get_absolute_url())
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


def page_links(article: Article, request) -> dict:
    """The article page's own address, whole (``url``: canonical and Open Graph) and as the
    share links carry it (``quoted`` and ``quoted_title``, as the urlencode filter writes
    them), worked out once a page rather than in eight places of the template."""
    host, path = request.get_host(), article.get_absolute_url()
    return {
        "url": f"{request.scheme}://{host}{path}",
        "quoted": f"{request.scheme}%3A%2F%2F{quote(host)}{quote(path)}",
        "quoted_title": quote(article.title),
    }
