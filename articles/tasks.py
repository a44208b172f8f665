"""Follow-up work, run by the task worker (`make run` starts one): the workflow emails.

Going live itself needs nothing running: `Article.objects.published()` compares the
publish time with now. These tasks only do what can wait a little. Every email here goes
only to people who kept "email me about editorial work" (User.wants_workflow_email) on.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import send_mail, send_mass_mail
from django.db.models import Q
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from articles.caching import article_pages_changed
from articles.models import Article, EditorialNote, Transition
from core import outbox


def review_url(article_id: int) -> str:
    """The article's change form in the admin, absolute (for emails)."""
    return settings.SITE_URL + reverse("admin:articles_article_change", args=[article_id])


def _wanting(users) -> list:
    return [u for u in users if u.is_active and u.email and u.wants_workflow_email]


def _send_each(subject: str, body: str, users) -> int:
    """One message per person, so nobody sees the others' addresses."""
    return send_mass_mail([(subject, body, None, [u.email]) for u in users])


def editors():
    """Everyone who may publish: superusers and holders of publish_article."""
    publish = Permission.objects.filter(
        content_type__app_label="articles", codename="publish_article"
    )
    has = Q(is_superuser=True) | Q(groups__permissions__in=publish)
    has |= Q(user_permissions__in=publish)
    return get_user_model().objects.filter(has, is_active=True).distinct().order_by("pk")


@task()
def article_submitted(transition_id: int) -> str:
    """Tell the editors a story waits for review, with a link to the review screen."""
    transition = Transition.objects.select_related("article", "by").filter(pk=transition_id)
    transition = transition.first()
    if transition is None or transition.article.status != Article.Status.REVIEW:
        return "not in review"
    article = transition.article
    people = _wanting(editors().exclude(pk=transition.by_id))
    _send_each(
        f"Submitted for review: {article.title}",
        f"{transition.by or 'Someone'} submitted “{article.title}” for review.\n\n"
        f"Review it: {review_url(article.pk)}\n",
        people,
    )
    return f"notified {len(people)}"


@task()
def article_sent_back(transition_id: int) -> str:
    """Give the authors the editor's note on why their story went back to draft."""
    transition = Transition.objects.select_related("article", "by").filter(pk=transition_id)
    transition = transition.first()
    if transition is None:
        return "gone"
    article = transition.article
    people = _wanting(article.authors.exclude(pk=transition.by_id))
    _send_each(
        f"Your article was sent back to draft: {article.title}",
        f"{transition.by or 'An editor'} sent “{article.title}” back to draft:\n\n"
        f"{transition.note}\n\nEdit it: {review_url(article.pk)}\n",
        people,
    )
    return f"notified {len(people)}"


@task()
def note_mentioned(note_id: int, user_ids: list[int]) -> str:
    """Email the people an editorial note @mentions (service checked they may see it)."""
    note = EditorialNote.objects.select_related("article", "author").filter(pk=note_id).first()
    if note is None:
        return "gone"
    people = _wanting(get_user_model().objects.filter(pk__in=user_ids).order_by("pk"))
    _send_each(
        f"{note.author or 'Someone'} mentioned you on: {note.article.title}",
        (f"“{note.anchor}”\n\n" if note.anchor else "")
        + f"{note.body}\n\nReply: {review_url(note.article_id)}#editorial-notes\n",
        people,
    )
    return f"notified {len(people)}"


def enqueue_submitted(transition: Transition) -> None:
    outbox.enqueue(article_submitted, transition.pk)


def enqueue_sent_back(transition: Transition) -> None:
    outbox.enqueue(article_sent_back, transition.pk)


def enqueue_mentioned(note: EditorialNote, user_ids: list[int]) -> None:
    outbox.enqueue(note_mentioned, note.pk, user_ids)


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
    recipients = [a.email for a in _wanting(article.authors.all())]
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
