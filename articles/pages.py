"""Which cached pages show an article, so the events that change it expire exactly those."""

from articles.models import Article
from core import pagecache


def article_scopes(article: Article) -> list[str]:
    """Page-cache scopes of every page an article appears on (docs/decisions.md)."""
    scopes = [f"article:{article.pk}", "front", "archive", "feeds"]
    if article.section_id:
        scopes.append(f"section:{article.section.slug}")
    scopes += [f"tag:{tag.slug}" for tag in article.tags.all()]
    scopes += [f"author:{author.username}" for author in article.authors.all()]
    return scopes


def article_pages_changed(article: Article) -> None:
    """Expire the cached pages an article is on: after publish, unpublish, edit, correction."""
    pagecache.invalidate(*article_scopes(article))
