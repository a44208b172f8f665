"""Trust ("trusted after N approved comments") is earned by a verified identity only: a
verified account email, or a guest address proven by a link mailed to it (audit issue 12)."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.test import Client

from comments import moderation
from comments.models import Comment, DiscussionSettings
from tests.comments.helpers import form_data, make_comment, make_moderator, post_url, prove_email
from tests.comments.test_posting import configure
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article()


def post_as_guest(client, article, **fields) -> Comment:
    response = client.post(post_url(article), form_data(article, **fields))
    assert response.status_code == 302
    return Comment.objects.latest("id")


def test_guest_typing_a_trusted_commenters_email_in_another_case_is_held(client, article):
    marta = make_user(email="marta@demo.example")
    EmailAddress.objects.create(user=marta, email=marta.email, verified=True, primary=True)
    make_comment(article, user=marta, email=marta.email, body="as a member")
    make_comment(article, email="marta@demo.example", name="Marta", body="as a guest")
    comment = post_as_guest(client, article, name="Not Marta", email="MARTA@demo.example")
    assert (comment.status, comment.hold_reason) == ("pending", "first comment")


def test_guest_whose_email_was_confirmed_by_the_reply_link_is_trusted_after_n(
    client, article, settings, django_capture_on_commit_callbacks
):
    configure(trusted_after=2)
    moderator = make_moderator()
    bodies = ["one", "two"]
    for body in bodies:
        held = post_as_guest(client, article, body=body, subscribe="on")
        assert held.status == "pending"
        with django_capture_on_commit_callbacks(execute=True):
            moderation.comment_approve(comment=held, moderator=moderator)
        cache.clear()  # past the flood interval
    confirm = next(m for m in mail.outbox if "Confirm reply notifications" in m.subject)
    url = re.search(r"http://\S+/confirm/\S+", confirm.body).group(0)
    client.post(url.removeprefix(settings.SITE_URL))
    cache.clear()
    trusted = post_as_guest(client, article, body="three", email="Guest@Example.com")
    assert trusted.status == "approved"
    cache.clear()
    stranger = post_as_guest(Client(), article, body="four", name="Someone else")
    assert (stranger.status, stranger.hold_reason) == ("pending", "first comment")


def test_guest_who_opened_the_privacy_link_is_trusted(client, article):
    make_comment(article, email="guest@example.com")
    prove_email(client, "GUEST@example.com")
    assert post_as_guest(client, article).status == "approved"


def test_a_proven_address_does_not_vouch_for_another_typed_one(client, article):
    make_comment(article, email="guest@example.com")
    prove_email(client, "other@example.com")
    assert post_as_guest(client, article).status == "pending"


def test_logged_in_reader_with_an_unverified_email_is_not_trusted(client, article):
    user = make_user(email="new@example.com")
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    make_comment(article, user=user, email=user.email, body="approved before")
    client.force_login(user)
    client.post(post_url(article), form_data(article, body="now"))
    comment = Comment.objects.get(body="now")
    assert (comment.status, comment.hold_reason) == ("pending", "first comment")


def test_logged_in_reader_with_a_verified_email_is_trusted(client, article):
    user = make_user(email="ada@example.com")
    EmailAddress.objects.create(user=user, email="Ada@Example.com", verified=True, primary=True)
    make_comment(article, user=user, email=user.email, body="approved before")
    client.force_login(user)
    client.post(post_url(article), form_data(article, body="now"))
    assert Comment.objects.get(body="now").status == "approved"


def test_the_settings_say_only_a_verified_identity_earns_trust():
    help_text = DiscussionSettings._meta.get_field("trusted_after").help_text
    assert "verified" in help_text and "first comment" in help_text
