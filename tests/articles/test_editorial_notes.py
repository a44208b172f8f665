"""Editorial notes: staff-only threads on an article, never shown to readers."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from articles import services
from articles.models import Article, EditorialNote
from tests.factories import make_member, make_ready_draft, make_user

pytestmark = pytest.mark.django_db


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def notes_url(article) -> str:
    return reverse("admin:articles_article_notes", args=[article.pk])


@pytest.fixture
def scene():
    author = make_member("Reporter", username="ann")
    article = make_ready_draft(authors=[author], body="<p>The mayor said yes on Monday.</p>")
    editor = make_member("Editor", username="ed")
    note = services.note_add(article=article, by=editor, body="Source for <this>?")
    return {"author": author, "article": article, "editor": editor, "note": note}


@pytest.mark.parametrize(
    "role,sees",
    [
        ("author", True),
        ("editor", True),
        ("superuser", True),
        ("other_reporter", False),
        ("moderator", False),
        ("reader", False),
    ],
)
def test_notes_are_visible_to_editors_and_the_articles_own_reporter_only(scene, role, sees):
    user = {
        "author": scene["author"],
        "editor": make_member("Editor"),
        "superuser": make_user(is_staff=True, is_superuser=True),
        "other_reporter": make_member("Reporter"),
        "moderator": make_member("Moderator"),
        "reader": make_user(),
    }[role]
    assert services.note_can_see(article=scene["article"], user=user) is sees
    assert list(EditorialNote.objects.visible_to(user)) == ([scene["note"]] if sees else [])
    if sees:
        reply = services.note_add(
            article=scene["article"], by=user, body="Reply", parent=scene["note"]
        )
        assert reply.parent == scene["note"]
    else:
        with pytest.raises(ValidationError) as refused:
            services.note_add(article=scene["article"], by=user, body="Sneaky")
        assert refused.value.code == "permission"


def test_reporter_sees_notes_on_own_articles_only_in_the_admin(client, scene):
    other = make_ready_draft(authors=[make_member("Reporter")])
    services.note_add(article=other, by=scene["editor"], body="Not for Ann")
    client.force_login(scene["author"])
    html = client.get(change_url(scene["article"])).content.decode()
    assert "Source for &lt;this&gt;?" in html  # escaped, plain text
    assert "Not for Ann" not in html
    assert client.post(notes_url(other), {"note_text": "Hi"}).status_code == 404
    assert not EditorialNote.objects.filter(body="Hi").exists()


def test_editor_adds_a_reply_anchored_to_a_passage_through_the_admin(client, scene):
    client.force_login(scene["editor"])
    data = {"note_text": "Which Monday?", "parent": scene["note"].pk, "anchor": "on Monday"}
    response = client.post(notes_url(scene["article"]), data)
    assert response.status_code == 302
    reply = EditorialNote.objects.get(body="Which Monday?")
    assert (reply.parent, reply.anchor, reply.author) == (
        scene["note"],
        "on Monday",
        scene["editor"],
    )
    html = client.get(change_url(scene["article"])).content.decode()
    assert "Which Monday?" in html and "on Monday" in html


def test_bad_note_is_refused_with_a_message_and_the_text_kept(client, scene):
    client.force_login(scene["editor"])
    data = {"note_text": "Check this", "anchor": "words not in the body"}
    response = client.post(notes_url(scene["article"]), data, follow=True)
    html = response.content.decode()
    assert "The quoted passage is not in the body" in html
    assert "Check this" in html  # what was typed is back in the form
    assert not EditorialNote.objects.filter(body="Check this").exists()
    response = client.post(notes_url(scene["article"]), {"note_text": "  "}, follow=True)
    assert "Write the note" in response.content.decode()


def test_adding_a_note_needs_a_csrf_token(scene):
    client = Client(enforce_csrf_checks=True)
    client.force_login(scene["editor"])
    response = client.post(notes_url(scene["article"]), {"note_text": "Forged"})
    assert response.status_code == 403
    assert not EditorialNote.objects.filter(body="Forged").exists()


def test_a_thread_is_resolved_and_reopened(client, scene):
    client.force_login(scene["author"])
    url = reverse("admin:articles_article_note_resolve", args=[scene["article"].pk])
    client.post(url, {"note": scene["note"].pk})
    scene["note"].refresh_from_db()
    assert scene["note"].resolved_by == scene["author"] and scene["note"].resolved_at
    assert "Resolved by" in client.get(change_url(scene["article"])).content.decode()
    services.note_reopen(note=scene["note"], by=scene["editor"])
    scene["note"].refresh_from_db()
    assert scene["note"].resolved_at is None


def test_a_reply_to_a_note_of_another_article_is_refused(scene):
    other = make_ready_draft(authors=[scene["author"]])
    with pytest.raises(ValidationError, match="another article"):
        services.note_add(article=other, by=scene["editor"], body="x", parent=scene["note"])


def test_notes_are_never_on_reader_pages_or_feeds(client, scene):
    article = scene["article"]
    services.article_publish(article=article, by=scene["editor"])
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    link = services.preview_link_create(article=article, by=scene["editor"])
    for url in [
        article.get_absolute_url(),
        reverse("articles:front"),
        reverse("articles:feed-rss"),
        reverse("articles:feed-atom"),
        link.get_absolute_url(),
    ]:
        body = client.get(url).content.decode()
        assert "Source for" not in body, url
        assert article.title in body, url


@pytest.mark.django_db(transaction=True)
def test_mentions_email_staff_who_can_see_the_article(smtp_mailbox, scene, settings):
    settings.SITE_URL = "https://news.example"
    make_member("Editor", username="eve", email="eve@example.com")
    make_member("Reporter", username="rob", email="rob@example.com")  # not his article
    make_user(username="reader", email="reader@example.com")
    with_optout = make_member("Editor", username="opt", email="opt@example.com")
    with_optout.wants_workflow_email = False
    with_optout.save()
    services.note_add(
        article=scene["article"],
        by=scene["editor"],
        body="@eve, @rob, @reader, @opt and @ann: please check.",
    )
    message = smtp_mailbox.wait_for(lambda m: m["To"] == "eve@example.com")
    assert "mentioned you" in message["Subject"]
    assert f"https://news.example{change_url(scene['article'])}" in message.get_content()
    smtp_mailbox.wait_for(lambda m: m["To"] == scene["author"].email)
    recipients = {m["To"] for m in smtp_mailbox.messages}
    assert recipients == {"eve@example.com", scene["author"].email}


def test_mentioned_usernames_are_parsed_from_the_text():
    assert services.note_mentions("Hi @ann, ask @bob.smith. mail@example.com @ann") == [
        "ann",
        "bob.smith",
    ]


def test_the_notes_panel_costs_the_same_queries_for_one_thread_or_many(client, scene):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(scene["editor"])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(change_url(scene["article"])).status_code == 200
        return len(queries)

    count()  # the first opening takes the edit lock; later ones renew it
    one = count()
    for n in range(4):
        root = services.note_add(article=scene["article"], by=scene["author"], body=f"T{n}")
        services.note_add(article=scene["article"], by=scene["editor"], body="R", parent=root)
        services.note_resolve(note=root, by=make_member("Editor"))
    assert count() == one
