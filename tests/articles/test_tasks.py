from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles import services
from articles.tasks import article_went_live
from tests.factories import make_member, make_ready_draft, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_publishing_emails_the_authors_through_the_task(smtp_mailbox):
    author = make_user(email="anna@example.com")
    article = make_ready_draft(title="Council meets", authors=[author])
    services.article_publish(article=article, by=make_member("Editor"))
    message = smtp_mailbox.wait_for(lambda m: "Council meets" in m["Subject"])
    assert message["To"] == "anna@example.com"
    assert article.get_absolute_url() in message.get_content()


def test_scheduling_queues_the_follow_up_for_the_publish_time(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    article = make_ready_draft()
    when = timezone.now() + timedelta(hours=2)
    services.article_schedule(article=article, by=make_member("Editor"), publish_at=when)
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "articles.tasks.article_went_live"
    assert queued.run_after == when
    assert queued.args_kwargs["args"] == [article.pk, when.isoformat()]


def test_follow_up_skips_an_article_that_is_not_live_or_was_rescheduled():
    article = make_ready_draft()
    publish_at = (timezone.now() + timedelta(hours=1)).isoformat()
    assert article_went_live.call(article.pk, publish_at) == "not live"
    services.article_publish(article=article, by=make_member("Editor"))
    assert article_went_live.call(article.pk, publish_at) == "rescheduled"
    assert article_went_live.call(article.pk, article.published_at.isoformat()) == "notified 1"


def test_article_live_email_links_to_the_article_on_the_configured_site(settings):
    settings.SITE_URL = "http://127.0.0.1:8177"  # as `PORT=8177 make run` sets it
    author = make_user(email="anna@example.com")
    article = make_ready_draft(title="Council meets", authors=[author])
    services.article_publish(article=article, by=make_member("Editor"))
    [message] = [m for m in mail.outbox if "Council meets" in m.subject]
    assert f"http://127.0.0.1:8177{article.get_absolute_url()}" in message.body
