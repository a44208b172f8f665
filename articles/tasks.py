"""Follow-up work when an article goes live, run by the task worker (`make run` starts one).

Going live itself needs nothing running: `Article.objects.published()` compares the
publish time with now. These tasks only do what can wait a little.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.utils import timezone

from articles.models import Article
from articles.pages import article_pages_changed
from newsroom import outbox


@task()
def article_went_live(article_id: int, publish_at: str) -> str:
    """Tell the article's authors it is live; skip if it was unpublished or rescheduled."""
    article = Article.objects.filter(pk=article_id).first()
    if article is None or not article.is_published():
        return "not live"
    if article.published_at.isoformat() != publish_at:
        return "rescheduled"
    # Pages already expire at go-live by themselves (see pagecache.expire_at); this makes
    # sure the cached pages with the article's section, tags and authors refresh too.
    article_pages_changed(article)
    recipients = [a.email for a in article.authors.all() if a.email]
    if recipients:
        send_mail(
            subject=f"Your article is live: {article.title}",
            message=f"“{article.title}” is live on the site since "
            f"{timezone.localtime(article.published_at):%d %b %Y %H:%M}.\n\n"
            f"Read it: {settings.SITE_URL}{article.get_absolute_url()}\n",
            from_email=None,
            recipient_list=recipients,
        )
    return f"notified {len(recipients)}"


def enqueue_went_live(article: Article) -> None:
    """Queue the follow-up for the publish time, with the transaction that publishes."""
    publish_at = article.published_at
    job = article_went_live
    if publish_at > timezone.now() and job.get_backend().supports_defer:
        job = job.using(run_after=publish_at)
    outbox.enqueue(job, article.pk, publish_at.isoformat())
