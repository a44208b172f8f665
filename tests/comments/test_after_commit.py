"""Nothing that can fail runs between a comment's commit and its answer: the notification is
queued in the comment's own transaction and a guest's ownership is a cookie, not a session."""

import pytest
from django.db import OperationalError
from django.test import Client
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from comments.models import Comment
from comments.reader import MINE_COOKIE
from tests.comments.helpers import form_data, make_comment, post_url
from tests.factories import guest_cookie, make_article

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_the_notification_is_stored_with_the_comment(client, settings):
    settings.TASKS = DATABASE_TASKS
    article = make_article()
    response = client.post(post_url(article), form_data(article, body="Queued with me"))
    assert response.status_code == 302
    comment = Comment.objects.get()
    task = DBTaskResult.objects.get()
    assert task.task_path == "comments.tasks.notify_held"
    assert task.args_kwargs["args"] == [comment.pk]


def test_a_comment_whose_notification_cannot_be_queued_is_not_stored(settings, monkeypatch):
    """The database lost at the enqueue: one rollback, and nothing half stored."""
    settings.TASKS = DATABASE_TASKS

    def lost(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(DatabaseBackend, "_task_to_db_task", lost)
    article = make_article()
    response = Client(raise_request_exception=False).post(
        post_url(article), form_data(article, body="Not half stored")
    )
    assert response.status_code == 503
    assert b"it may not have been saved" in response.content
    assert not Comment.objects.exists() and not DBTaskResult.objects.exists()


def test_a_guests_post_opens_no_session_and_owns_the_comment_by_a_signed_cookie(client, settings):
    article = make_article()
    response = client.post(post_url(article), form_data(article, body="Mine alone"))
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    cookie = response.cookies[MINE_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert "Mine alone" in client.get(response.url).content.decode()


def test_a_guest_cookie_keeps_the_newest_twenty(client):
    article = make_article()
    name, value = guest_cookie(range(1, 21))
    client.cookies[name] = value
    client.post(post_url(article), form_data(article, body="The twenty-first"))
    kept = client.cookies[MINE_COOKIE].value.split(":")[0].split(".")
    assert len(kept) == 20 and kept[0] == "2" and kept[-1] == str(Comment.objects.get().pk)


@pytest.mark.parametrize("forged", ["1.2.3", "1.2.3:forged:signature"])
def test_a_forged_guest_cookie_owns_nothing(client, forged):
    article = make_article()
    held = make_comment(article, body="Somebody else's", status=Comment.Status.PENDING)
    client.cookies[MINE_COOKIE] = forged.replace("1", str(held.pk))
    assert "Somebody else&#x27;s" not in client.get(article.get_absolute_url()).content.decode()
    assert client.get(f"/comments/{held.pk}/").status_code == 403
