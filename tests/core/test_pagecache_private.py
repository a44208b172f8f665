"""Pages only some people may see tell every cache so: ``private`` for a page built for one
reader (a login, a CSRF token), ``no-store`` as well when it shows a secret or personal data
(a preview, an account page, a link that carries a token), so no CDN keeps them."""

import pytest
from django.core import signing
from django.urls import reverse

from accounts.services import PRIVACY_SALT
from articles.models import PreviewLink
from comments import tokens
from comments.models import Comment
from tests.comments.helpers import make_comment, make_moderator
from tests.core.test_pagecache import _no_race_margin  # noqa: F401 (autouse)
from tests.factories import guest_cookie, make_article, make_member, make_ready_draft, make_user

pytestmark = pytest.mark.django_db


def directives(response) -> set[str]:
    value = response.get("Cache-Control", "")
    return {part.strip().split("=")[0].lower() for part in value.split(",") if part.strip()}


def preview_link(client):
    return PreviewLink.objects.create(
        article=make_ready_draft(), created_by=make_member("Editor")
    ).get_absolute_url()


def staff_preview(client):
    editor = make_member("Editor")
    client.force_login(editor)
    return reverse("articles:preview", args=[make_ready_draft(authors=[editor]).pk])


def logged_in(name: str, *args):
    def url(client):
        client.force_login(make_user())
        return reverse(name, args=args)

    return url


def guest_privacy(client):
    token = signing.dumps({"email": "guest@example.com"}, salt=PRIVACY_SALT)
    return reverse("accounts:guest-privacy", args=[token])


def moderation_link(client):
    comment = make_comment(make_article(), status=Comment.Status.PENDING)
    token = tokens.moderation_token(
        comment=comment, action="approve", moderator_id=make_moderator().pk
    )
    return reverse("comments:moderate", args=[token])


def unsubscribe_link(client):
    token = tokens.unsubscribe_token(email="guest@example.com", kind="reply")
    return reverse("comments:unsubscribe", args=[token])


def confirm_link(client):
    return reverse("comments:confirm", args=[tokens.confirm_token(1)])


def own_comment(view: str):
    def url(client):
        comment = make_comment(make_article(), user=None, status=Comment.Status.PENDING)
        name, value = guest_cookie([comment.pk])
        client.cookies[name] = value
        return reverse(f"comments:{view}", args=[comment.pk])

    return url


def reader_part(client):
    comment = make_comment(make_article(), user=None, status=Comment.Status.PENDING)
    name, value = guest_cookie([comment.pk])
    client.cookies[name] = value
    return reverse("comments:reader", args=[comment.article_id])


def moderation_queue(client):
    client.force_login(make_moderator(is_superuser=True))
    return reverse("admin:comments_comment_changelist")


SECRET_PAGES = {
    "preview link": preview_link,
    "staff preview": staff_preview,
    "account page": logged_in("accounts:account"),
    "profile form": logged_in("accounts:profile"),
    "account delete": logged_in("accounts:delete"),
    "account export": logged_in("accounts:export"),
    "email addresses": logged_in("account_email"),
    "password change": logged_in("account_change_password"),
    "two-factor page": logged_in("mfa_index"),
    "social connections": logged_in("socialaccount_connections"),
    "guest privacy link": guest_privacy,
    "moderation link": moderation_link,
    "unsubscribe link": unsubscribe_link,
    "confirm link": confirm_link,
    "comment edit": own_comment("edit"),
    "comment delete": own_comment("delete"),
    "reader part": reader_part,
    "moderation queue": moderation_queue,
}


PRIVATE_PAGES = {
    "front page, logged in": logged_in("articles:front"),
    "search, logged in": logged_in("articles:search"),
    "corrections, logged in": logged_in("articles:corrections"),
    "log out page": logged_in("account_logout"),
    "guest privacy form (CSRF token)": lambda client: reverse("accounts:privacy"),
    "login page (CSRF token)": lambda client: reverse("account_login"),
}


@pytest.mark.parametrize("build", SECRET_PAGES.values(), ids=SECRET_PAGES.keys())
def test_page_with_a_secret_is_private_and_never_stored(client, build):
    response = client.get(build(client))
    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response)
    assert "public" not in directives(response)


@pytest.mark.parametrize("build", PRIVATE_PAGES.values(), ids=PRIVATE_PAGES.keys())
def test_page_built_for_one_reader_is_private(client, build):
    response = client.get(build(client))
    assert response.status_code == 200
    assert "private" in directives(response)
    assert "public" not in directives(response)


def test_article_page_for_a_logged_in_reader_is_private(client):
    url = make_article().get_absolute_url()
    client.force_login(make_user())
    assert "private" in directives(client.get(url))


def test_revoked_preview_link_is_gone_and_was_never_stored(client):
    url = preview_link(client)
    assert "no-store" in directives(client.get(url))
    PreviewLink.objects.update(revoked_at="2020-01-01T00:00Z")
    assert client.get(url).status_code == 404


def test_public_pages_stay_public_for_guests(client):
    make_article()
    client.get(reverse("articles:front"))
    response = client.get(reverse("articles:front"))
    assert "public" in directives(response) and "private" not in directives(response)
