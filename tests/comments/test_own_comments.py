"""The reader's own part under the thread lists what others cannot see yet (pending or held),
with its date; a published comment is in the thread already and is not repeated there."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment
from tests.comments.helpers import make_comment
from tests.factories import guest_cookie, make_article, make_user

pytestmark = pytest.mark.django_db


def aged(comment: Comment, **delta) -> Comment:
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(**delta))
    comment.refresh_from_db()
    return comment


def own_part(html: str) -> str:
    start = html.index('id="your-comments"') if 'id="your-comments"' in html else -1
    return "" if start < 0 else html[start : html.index("</div>", html.index("</ul>", start))]


def reader_json(client, article) -> str:
    return client.get(reverse("comments:reader", args=[article.pk])).json()["own"]


def test_logged_in_reader_sees_only_their_pending_comment_under_the_thread(client):
    article, reader = make_article(), make_user()
    aged(make_comment(article, user=reader, body="An approved thought from last month"), days=30)
    pending = make_comment(
        article, user=reader, body="Still waiting for a moderator", status=Comment.Status.PENDING
    )
    client.force_login(reader)
    html = client.get(article.get_absolute_url()).content.decode()
    mine = own_part(html)
    assert "Still waiting for a moderator" in mine
    assert "An approved thought" not in mine
    assert html.count("An approved thought") == 1  # in the thread, once
    assert f'id="own-comment-{pending.pk}"' in mine


def test_pending_comment_shows_its_date(client):
    article, reader = make_article(), make_user()
    pending = make_comment(article, user=reader, body="Held", status=Comment.Status.PENDING)
    client.force_login(reader)
    mine = own_part(client.get(article.get_absolute_url()).content.decode())
    stamp = re.search(r'<time datetime="([^"]+)">([^<]+)</time>', mine)
    assert stamp is not None
    local = timezone.localtime(pending.created_at)
    assert stamp.group(1) == local.strftime("%Y-%m-%dT%H:%M:%S%z")  # as the thread's dates
    assert str(local.year) in stamp.group(2) and local.strftime("%H:%M") in stamp.group(2)


def test_guest_json_part_leaves_out_published_comments_past_the_edit_window(client):
    article = make_article()
    published = aged(make_comment(article, body="Published long ago"), days=2)
    held = make_comment(article, body="Held for a link", status=Comment.Status.PENDING)
    name, value = guest_cookie([published.pk, held.pk])
    client.cookies[name] = value
    own = reader_json(client, article)
    assert "Held for a link" in own and "awaiting moderation" in own
    assert "Published long ago" not in own
    assert f"own-comment-{published.pk}" not in own


def test_published_comment_still_editable_is_a_dated_link_not_a_copy(client):
    article = make_article()
    published = make_comment(article, body="Published a minute ago")
    name, value = guest_cookie([published.pk])
    client.cookies[name] = value
    own = reader_json(client, article)
    assert "Published a minute ago" not in own
    assert reverse("comments:permalink", args=[published.pk]) in own
    assert reverse("comments:edit", args=[published.pk]) in own
    assert "<time datetime=" in own


def test_reader_with_only_old_published_comments_has_no_own_part(client):
    article, reader = make_article(), make_user()
    old = make_comment(article, user=reader, body="From last year")
    aged(old, days=365)
    client.force_login(reader)
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'id="your-comments"' not in html
    assert html.count("From last year") == 1


def test_held_edit_of_an_old_published_comment_shows_the_proposed_text_only(client):
    """Past the edit window a held edit still waits: the reader sees what they proposed,
    not the published text again."""
    article = make_article()
    published = aged(make_comment(article, body="The published words"), days=2)
    Comment.objects.filter(pk=published.pk).update(pending_body="The proposed words")
    name, value = guest_cookie([published.pk])
    client.cookies[name] = value
    own = reader_json(client, article)
    assert "The proposed words" in own and "Your edit is awaiting moderation" in own
    assert "The published words" not in own
    assert reverse("comments:permalink", args=[published.pk]) in own
