"""Helpers for comment tests: rows in thread shape, and form data as a browser sends it."""

import time

from django.contrib.auth.models import Group
from django.urls import reverse

from comments import tokens
from comments.models import Comment
from tests.factories import make_user

# Queries the comments section adds to an article page with a cold cache: discussion
# settings, counts, the thread page, and allauth's site + social apps for the login icons.
COMMENT_SECTION_QUERIES = 5
# One more when any comment on the page (or among its picks) was written logged in: the
# accounts of its commenters, read in one query whatever their number.
SPEAKERS_QUERY = 1
# Queries the article itself costs when it has no section, tag or correction (so no related
# articles): article + section (with whether it has tags and corrections), authors. A tag
# adds its read, a correction its read, a section or tag the related articles' read.
ARTICLE_QUERIES = 2


def make_comment(article, *, parent=None, status=Comment.Status.APPROVED, **fields) -> Comment:
    fields.setdefault("body", f"Comment {time.monotonic_ns()}")
    fields.setdefault("name", "Guest")
    fields.setdefault("email", "guest@example.com")
    return Comment.objects.create_in_thread(article=article, parent=parent, status=status, **fields)


def make_moderator(**overrides):
    user = make_user(is_staff=True, **overrides)
    user.groups.add(Group.objects.get(name="Moderator"))
    return user


def form_data(article, *, age: float = 10, **fields) -> dict:
    """What the browser posts: a form shown `age` seconds ago, filled in as a guest."""
    data = {
        "body": "A thoughtful comment.",
        "name": "Guest Reader",
        "email": "guest@example.com",
        "url": "",
        "token": tokens.form_token(article.pk, issued_at=time.time() - age),
        "homepage_url": "",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def post_url(article) -> str:
    return reverse("comments:post", args=[article.pk])


def prove_email(client, email: str) -> None:
    """The guest opens the privacy link mailed to ``email`` in this browser, as a guest
    does to see their data: from then on this browser has proven it reads that address."""
    from django.core import signing

    from accounts.services import PRIVACY_SALT

    token = signing.dumps({"email": email.strip().lower()}, salt=PRIVACY_SALT)
    response = client.get(reverse("accounts:guest-privacy", kwargs={"token": token}))
    assert response.status_code == 200
