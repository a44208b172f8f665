import re

import pytest
from django.core import mail, signing
from django.urls import reverse

from comments import moderation, posting, tokens
from comments.models import Comment, EmailOptOut, Subscription
from tests.comments.helpers import (
    form_data,
    make_comment,
    make_moderator,
    post_url,
    prove_email,
)
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db


def links(message) -> list[str]:
    return re.findall(r"http://\S+", message.body)


def path_of(url: str, settings) -> str:
    return url.removeprefix(settings.SITE_URL)


@pytest.fixture
def author():
    return make_user(email="author@example.com")


@pytest.fixture
def article(author):
    return make_article(authors=[author])


def test_held_comment_notifies_moderators_after_commit_not_inside_the_request(
    article, django_capture_on_commit_callbacks
):
    moderator = make_moderator(email="mod@example.com")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        posting.comment_create(article=article, body="hi", name="G", email="g@example.com")
    assert mail.outbox == [] and len(callbacks) == 1
    callbacks[0]()
    [message] = mail.outbox
    assert message.to == [moderator.email]
    assert "first comment" in message.body and "hi" in message.body


def test_nothing_is_sent_to_authors_or_subscribers_about_an_unapproved_comment(
    article, django_capture_on_commit_callbacks
):
    parent = make_comment(article)
    Subscription.objects.create(comment=parent, email="sub@example.com", is_confirmed=True)
    with django_capture_on_commit_callbacks(execute=True):
        posting.comment_create(
            article=article, body="x", name="G", email="g@example.com", parent=parent
        )
    assert all(m.to != ["author@example.com"] and m.to != ["sub@example.com"] for m in mail.outbox)


def test_spam_sends_nothing(article, django_capture_on_commit_callbacks):
    make_moderator(email="mod@example.com")
    from tests.comments.test_posting import configure

    configure(disallowed_words="viagra")
    with django_capture_on_commit_callbacks(execute=True):
        posting.comment_create(article=article, body="viagra", name="G", email="g@example.com")
    assert mail.outbox == []


def test_approval_notifies_authors_and_the_commenter(article, django_capture_on_commit_callbacks):
    comment = make_comment(article, status="pending", email="writer@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.comment_approve(comment=comment, moderator=make_moderator())
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["author@example.com", "writer@example.com"]


def test_every_email_has_a_one_click_unsubscribe(article, django_capture_on_commit_callbacks):
    comment = make_comment(article, status="pending", email="writer@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.comment_approve(comment=comment, moderator=make_moderator())
    for message in mail.outbox:
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        url = message.extra_headers["List-Unsubscribe"].strip("<>")
        assert url in message.body


def test_one_click_unsubscribe_works_without_login_or_csrf(
    article, settings, django_capture_on_commit_callbacks
):
    from django.test import Client

    comment = make_comment(article, status="pending", email="writer@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.comment_approve(comment=comment, moderator=make_moderator())
    message = next(m for m in mail.outbox if m.to == ["author@example.com"])
    url = path_of(message.extra_headers["List-Unsubscribe"].strip("<>"), settings)
    client = Client(enforce_csrf_checks=True)
    assert "Unsubscribe author@example.com?" in client.get(url).content.decode()
    assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert EmailOptOut.objects.filter(email="author@example.com", kind="article").exists()
    mail.outbox.clear()
    other = make_comment(article, status="pending", email="w2@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.comment_approve(comment=other, moderator=make_moderator())
    assert [m.to for m in mail.outbox] == [["w2@example.com"]]


def test_forged_unsubscribe_link_is_refused(client):
    token = signing.dumps({"e": "x@example.com", "k": "article", "s": None}, salt="other")
    response = client.post(reverse("comments:unsubscribe", args=[token]))
    assert response.status_code == 400
    assert not EmailOptOut.objects.exists()


def test_guest_reply_subscription_needs_confirmation_double_opt_in(
    client, article, settings, django_capture_on_commit_callbacks
):
    make_comment(article, email="guest@example.com")
    prove_email(client, "guest@example.com")  # trusted: published at once
    with django_capture_on_commit_callbacks(execute=True):
        client.post(post_url(article), form_data(article, subscribe="on", body="subscribe me"))
    subscription = Subscription.objects.get()
    assert not subscription.is_confirmed
    confirm = next(m for m in mail.outbox if m.to == ["guest@example.com"])
    assert "Confirm reply notifications" in confirm.subject
    url = path_of(next(u for u in links(confirm) if "/confirm/" in u), settings)
    assert client.get(url).status_code == 200  # a page with a button; GET changes nothing
    subscription.refresh_from_db()
    assert not subscription.is_confirmed
    client.post(url)
    subscription.refresh_from_db()
    assert subscription.is_confirmed


def test_confirmed_subscriber_gets_an_email_when_a_reply_is_approved(
    article, django_capture_on_commit_callbacks
):
    parent = make_comment(article, email="first@example.com")
    Subscription.objects.create(comment=parent, email="first@example.com", is_confirmed=True)
    reply = make_comment(
        article, parent=parent, status="pending", name="Second", email="second@example.com"
    )
    with django_capture_on_commit_callbacks(execute=True):
        moderation.comment_approve(comment=reply, moderator=make_moderator())
    message = next(m for m in mail.outbox if m.to == ["first@example.com"])
    assert "Second replied to your comment" in message.subject
    assert "/unsubscribe/" in message.extra_headers["List-Unsubscribe"]


def test_unconfirmed_subscriber_gets_nothing(article, django_capture_on_commit_callbacks):
    parent = make_comment(article, email="first@example.com")
    Subscription.objects.create(comment=parent, email="first@example.com", is_confirmed=False)
    reply = make_comment(article, parent=parent, status="pending", email="second@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.comment_approve(comment=reply, moderator=make_moderator())
    assert not any(m.to == ["first@example.com"] for m in mail.outbox)


def test_logged_in_subscription_is_confirmed_at_once(client, article):
    client.force_login(make_user(email="member@example.com"))
    client.post(post_url(article), form_data(article, subscribe="on"))
    assert Subscription.objects.get().is_confirmed


# --- Signed moderation links -------------------------------------------------------------


@pytest.fixture
def held_email(article, django_capture_on_commit_callbacks):
    make_moderator(email="mod@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        comment = posting.comment_create(
            article=article, body="hold me", name="G", email="g@example.com"
        )
    return comment, next(m for m in mail.outbox if m.to == ["mod@example.com"])


def moderation_link(message, action: str, settings) -> str:
    line = next(line for line in message.body.splitlines() if line.lower().startswith(action))
    return path_of(line.split()[-1], settings)


@pytest.mark.parametrize(
    "action, status", [("approve", "approved"), ("spam", "spam"), ("remove", "removed")]
)
def test_signed_link_acts_without_login(client, held_email, settings, action, status):
    comment, message = held_email
    url = moderation_link(message, action, settings)
    assert client.get(url).status_code == 200  # confirmation page, nothing changed yet
    comment.refresh_from_db()
    assert comment.status == "pending"
    assert client.post(url).status_code == 200
    comment.refresh_from_db()
    assert comment.status == status
    assert comment.log.get(action=action).actor.email == "mod@example.com"


def test_signed_link_works_once(client, held_email, settings):
    comment, message = held_email
    client.post(moderation_link(message, "approve", settings))
    response = client.post(moderation_link(message, "spam", settings))
    assert response.status_code == 410
    comment.refresh_from_db()
    assert comment.status == "approved"


def test_signed_link_expires(client, held_email, settings):
    comment, message = held_email
    settings.COMMENTS_MODERATION_LINK_MAX_AGE = -1
    assert client.post(moderation_link(message, "approve", settings)).status_code == 400
    comment.refresh_from_db()
    assert comment.status == "pending"


def test_forged_moderation_link_is_refused(client, article):
    comment = make_comment(article, status="pending")
    token = tokens.moderation_token(comment=comment, action="approve", moderator_id=1) + "x"
    assert client.post(reverse("comments:moderate", args=[token])).status_code == 400


def test_link_of_a_moderator_who_lost_the_right_is_refused(client, held_email, settings):
    comment, message = held_email
    moderator = Comment.objects.model._meta.get_field("user").related_model.objects.get(
        email="mod@example.com"
    )
    moderator.groups.clear()
    assert client.post(moderation_link(message, "approve", settings)).status_code == 403
    comment.refresh_from_db()
    assert comment.status == "pending"


def test_reply_below_the_deepest_level_notifies_the_comment_it_answers(
    article, django_capture_on_commit_callbacks
):
    from tests.comments.test_posting import configure

    configure(thread_depth=2)
    top = make_comment(article)
    deepest = make_comment(article, parent=top, email="deep@example.com")
    Subscription.objects.create(comment=deepest, email="deep@example.com", is_confirmed=True)
    reply = posting.comment_create(
        article=article, parent=deepest, body="below", user=make_moderator()
    )
    assert (reply.parent, reply.replied_to) == (top, deepest)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        posting.comment_create(article=article, parent=deepest, body="again", user=make_moderator())
    assert any(m.to == ["deep@example.com"] for m in mail.outbox)


def test_a_name_with_line_breaks_cannot_break_the_reply_email(
    article, django_capture_on_commit_callbacks
):
    parent = make_comment(article, email="first@example.com")
    Subscription.objects.create(comment=parent, email="first@example.com", is_confirmed=True)
    make_comment(article, email="evil@example.com")  # trusted, so the reply is published
    with django_capture_on_commit_callbacks(execute=True):
        reply = posting.comment_create(
            article=article,
            parent=parent,
            body="hi",
            name="Eve\r\nBcc: all@example.com",
            email="evil@example.com",
            proven_email="evil@example.com",
        )
    assert reply.name == "Eve Bcc: all@example.com"
    message = next(m for m in mail.outbox if m.to == ["first@example.com"])
    assert "\n" not in message.subject and message.bcc == []
