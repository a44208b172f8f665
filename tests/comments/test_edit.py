from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, ModerationLog
from tests.comments.helpers import form_data, make_comment, post_url, prove_email
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article()


@pytest.fixture
def own_guest_comment(client, article):
    make_comment(article, email="guest@example.com", body="earlier")
    prove_email(client, "guest@example.com")  # a trusted guest
    client.post(post_url(article), form_data(article, body="my words"))
    return Comment.objects.get(body="my words")


def age(comment: Comment, seconds: int) -> None:
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - timedelta(seconds=seconds)
    )


def test_guest_edits_own_comment_within_the_window(client, own_guest_comment):
    url = reverse("comments:edit", args=[own_guest_comment.pk])
    assert "my words" in client.get(url).content.decode()
    response = client.post(url, {"body": "better words"})
    assert response.status_code == 302
    own_guest_comment.refresh_from_db()
    assert own_guest_comment.body == "better words" and own_guest_comment.edited_at
    entry = ModerationLog.objects.get(comment=own_guest_comment, action="edit")
    assert (entry.body_before, entry.body_after) == ("my words", "better words")


def test_edit_and_delete_links_show_for_own_recent_comment(client, article, own_guest_comment):
    html = client.get(article.get_absolute_url()).content.decode()
    assert reverse("comments:edit", args=[own_guest_comment.pk]) in html
    assert reverse("comments:delete", args=[own_guest_comment.pk]) in html


def test_edit_is_refused_after_the_window(client, own_guest_comment, settings):
    age(own_guest_comment, settings.COMMENTS_EDIT_WINDOW + 1)
    response = client.post(reverse("comments:edit", args=[own_guest_comment.pk]), {"body": "x"})
    assert response.status_code == 302
    own_guest_comment.refresh_from_db()
    assert own_guest_comment.body == "my words"
    assert "can no longer be edited" in client.get(response.url).content.decode()


def test_edit_window_is_a_setting(client, own_guest_comment, settings):
    settings.COMMENTS_EDIT_WINDOW = 3600
    age(own_guest_comment, 1800)
    client.post(reverse("comments:edit", args=[own_guest_comment.pk]), {"body": "later"})
    own_guest_comment.refresh_from_db()
    assert own_guest_comment.body == "later"


def test_someone_else_cannot_edit_or_delete(own_guest_comment):
    from django.test import Client

    stranger = Client()
    stranger.post(reverse("comments:edit", args=[own_guest_comment.pk]), {"body": "hijack"})
    stranger.post(reverse("comments:delete", args=[own_guest_comment.pk]))
    own_guest_comment.refresh_from_db()
    assert (own_guest_comment.body, own_guest_comment.status) == ("my words", "approved")


def test_member_edits_own_comment_but_not_anothers(client, article):
    owner, other = make_user(), make_user()
    # A verified member: an unverified one's edit would wait for a moderator (test_trust.py)
    EmailAddress.objects.create(user=owner, email=owner.email, verified=True, primary=True)
    comment = make_comment(article, user=owner, body="member words")
    client.force_login(other)
    client.post(reverse("comments:edit", args=[comment.pk]), {"body": "hijack"})
    comment.refresh_from_db()
    assert comment.body == "member words"
    client.force_login(owner)
    client.post(reverse("comments:edit", args=[comment.pk]), {"body": "member edit"})
    comment.refresh_from_db()
    assert comment.body == "member edit"


def test_delete_leaves_a_placeholder_and_keeps_replies(client, article, own_guest_comment):
    make_comment(article, parent=own_guest_comment, body="a reply")
    url = reverse("comments:delete", args=[own_guest_comment.pk])
    assert "Delete your comment?" in client.get(url).content.decode()
    client.post(url)
    own_guest_comment.refresh_from_db()
    assert own_guest_comment.status == "removed"
    html = client.get(article.get_absolute_url()).content.decode()
    assert "This comment was removed." in html and "a reply" in html and "my words" not in html


def test_delete_is_refused_after_the_window(client, own_guest_comment, settings):
    age(own_guest_comment, settings.COMMENTS_EDIT_WINDOW + 1)
    client.post(reverse("comments:delete", args=[own_guest_comment.pk]))
    own_guest_comment.refresh_from_db()
    assert own_guest_comment.status == "approved"


def test_empty_edit_is_refused_keeping_the_comment(client, own_guest_comment):
    response = client.post(reverse("comments:edit", args=[own_guest_comment.pk]), {"body": " "})
    assert response.status_code == 400
    own_guest_comment.refresh_from_db()
    assert own_guest_comment.body == "my words"
