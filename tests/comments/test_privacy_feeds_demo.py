import feedparser
import pytest
from django.core.management import call_command
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse

from comments import posting, privacy
from comments.models import Comment, ModerationLog, Subscription
from tests.comments.helpers import make_comment
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db


# --- Privacy hooks ---------------------------------------------------------------------


def test_export_for_a_user_lists_their_comments_with_personal_data():
    user = make_user(email="me@example.com")
    article = make_article()
    mine = make_comment(article, user=user, body="mine", ip_address="10.1.1.1")
    make_comment(article, body="not mine")
    [row] = privacy.comment_export_for(user=user)
    assert (row["id"], row["body"], row["ip_address"], row["article"]) == (
        mine.pk,
        "mine",
        "10.1.1.1",
        article.title,
    )


def test_export_for_a_guest_email_is_case_insensitive():
    article = make_article()
    make_comment(article, email="Guest@Example.com", body="g")
    assert [r["body"] for r in privacy.comment_export_for(email="guest@example.com")] == ["g"]


def test_export_needs_someone():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        privacy.comment_export_for()


def test_erase_anonymise_keeps_text_and_replies_but_drops_identity():
    article = make_article()
    mine = make_comment(
        article,
        name="Me",
        email="me@example.com",
        url="https://me.example",
        ip_address="10.0.0.1",
        body="my view",
    )
    reply = make_comment(article, parent=mine, body="a reply")
    Subscription.objects.create(comment=mine, email="me@example.com", is_confirmed=True)
    privacy.comments_erase_for(email="me@example.com", mode="anonymise")
    mine.refresh_from_db()
    assert (mine.name, mine.email, mine.url, mine.ip_address, mine.body, mine.status) == (
        "",
        "",
        "",
        None,
        "my view",
        "approved",
    )
    assert mine.author_name == "Anonymous"
    assert Comment.objects.get(pk=reply.pk).body == "a reply"
    assert not Subscription.objects.exists()


def test_erase_remove_leaves_placeholders_and_blanks_the_log(client):
    user = make_user()
    article = make_article()
    mine = posting.comment_create(article=article, body="remove me", user=user)
    Comment.objects.filter(pk=mine.pk).update(status="approved")
    make_comment(article, parent=Comment.objects.get(pk=mine.pk), body="a reply")
    privacy.comments_erase_for(user=user, mode="remove")
    mine.refresh_from_db()
    assert (mine.status, mine.body, mine.user) == ("removed", "", None)
    assert not ModerationLog.objects.filter(body_after__contains="remove me").exists()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "This comment was removed." in html and "a reply" in html


def test_account_panel_lists_comments_and_subscriptions():
    user = make_user()
    article = make_article(title="Panel article")
    comment = make_comment(article, user=user, status="pending", body="panel text")
    Subscription.objects.create(comment=comment, email=user.email, user=user, is_confirmed=True)
    template = engines["django"].from_string('{% include "comments/_account_panel.html" %}')
    html = template.render({"user": user}, RequestFactory().get("/"))
    assert "Pending" in html and "panel text" in html and "Panel article" in html
    assert "/comments/unsubscribe/" in html


# --- Feeds ------------------------------------------------------------------------------


def test_site_feed_lists_approved_comments_only(client):
    article = make_article(title="Feed article")
    make_comment(article, body="visible words", name="Ann")
    make_comment(article, body="pending words", status="pending")
    feed = feedparser.parse(client.get(reverse("comments:feed")).content)
    assert [e.title for e in feed.entries] == ["Ann on Feed article"]
    assert "visible words" in feed.entries[0].summary


def test_article_feed_lists_only_that_article(client):
    article, other = make_article(), make_article()
    make_comment(article, body="here")
    make_comment(other, body="elsewhere")
    feed = feedparser.parse(client.get(reverse("comments:article-feed", args=[article.pk])).content)
    assert [e.summary for e in feed.entries] == ["<p>here</p>"]


def test_feed_of_unpublished_article_is_404(client):
    article = make_article(status="draft")
    assert client.get(reverse("comments:article-feed", args=[article.pk])).status_code == 404


# --- Demo -------------------------------------------------------------------------------


def test_demo_discussion_is_threaded_and_idempotent(client):
    call_command("load_demo", force=True, verbosity=0)
    call_command("load_demo_comments", verbosity=0)
    article = Comment.objects.first().article
    assert article.slug == "nato-russia-council-step-forward"
    assert Comment.objects.count() == 4
    assert Comment.objects.filter(depth=3).exists()
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<ol class="children' in html and "4 comments" in html
