"""The account page, data export and erasure include the reader's comments."""

import json

import pytest
from django.urls import reverse

from accounts import privacy
from comments.models import Comment, Subscription
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db


def make_comment(article, user, body="Thoughtful words."):
    return Comment.objects.create(
        article=article,
        user=user,
        name=user.get_display_name(),
        email=user.email,
        body=body,
        status=Comment.Status.APPROVED,
    )


def test_export_has_the_readers_comments_and_subscriptions():
    reader = make_user()
    comment = make_comment(make_article(), reader)
    Subscription.objects.create(comment=comment, email=reader.email, user=reader, is_confirmed=True)
    data = json.loads(json.dumps(privacy.run_exporters(user=reader)))
    assert [c["body"] for c in data["comments"]] == ["Thoughtful words."]
    assert [s["comment_id"] for s in data["reply_subscriptions"]] == [comment.pk]


def test_account_page_lists_my_comments(client):
    reader = make_user()
    make_comment(make_article(title="Council meets"), reader, body="My view on it.")
    client.force_login(reader)
    html = client.get(reverse("accounts:account")).content.decode()
    assert "My comments" in html and "My view on it." in html


@pytest.mark.parametrize("mode", [privacy.ERASE_REMOVE, privacy.ERASE_ANONYMISE])
def test_erasure_keeps_replies_readable(mode):
    reader, other = make_user(), make_user()
    article = make_article()
    mine = make_comment(article, reader, body="Mine.")
    reply = Comment.objects.create(
        article=article,
        parent=mine,
        user=other,
        name="Other",
        email=other.email,
        body="A reply.",
        status=Comment.Status.APPROVED,
    )
    privacy.run_erasers(user=reader, mode=mode)
    mine.refresh_from_db()
    reply.refresh_from_db()
    assert mine.user is None and mine.email == ""
    assert reply.body == "A reply." and reply.parent_id == mine.pk
    assert (mine.body == "") is (mode == privacy.ERASE_REMOVE)
