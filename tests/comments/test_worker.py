"""The production path: notifications wait in the database queue until the worker runs."""

import pytest
from django.core import mail
from django.core.management import call_command

from comments import posting
from tests.comments.helpers import make_moderator
from tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True)


def test_held_comment_email_is_queued_and_sent_by_the_db_worker(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    make_moderator(email="mod@example.com")
    posting.comment_create(article=make_article(), body="queued", name="G", email="g@example.com")
    assert mail.outbox == []  # the request sent nothing
    assert DBTaskResult.objects.count() == 1
    call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)
    assert [m.to for m in mail.outbox] == [["mod@example.com"]]
