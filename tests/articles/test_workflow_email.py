"""Workflow emails go through the task queue and a real SMTP server; each can be opted out."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from articles import services
from articles.models import Article, Transition
from tests.factories import make_member, make_ready_draft, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def opted_out(user):
    user.wants_workflow_email = False
    user.save()
    return user


def test_submitting_emails_the_editors_a_link_to_the_review_screen(smtp_mailbox, settings):
    settings.SITE_URL = "https://news.example"
    author = make_member("Reporter", email="ann@example.com")
    editor = make_member("Editor", email="ed@example.com")
    opted_out(make_member("Editor", email="quiet@example.com"))
    make_member("Moderator", email="mod@example.com")
    article = make_ready_draft(title="Council meets", authors=[author])
    services.article_submit(article=article, by=author)
    message = smtp_mailbox.wait_for(lambda m: "Council meets" in m["Subject"])
    assert message["To"] == editor.email
    assert message["Subject"].startswith("Submitted for review")
    link = "https://news.example" + reverse("admin:articles_article_change", args=[article.pk])
    assert link in message.get_content()
    assert [m["To"] for m in smtp_mailbox.messages] == [editor.email]


def test_sending_back_emails_the_authors_the_note(smtp_mailbox):
    author = make_member("Reporter", email="ann@example.com")
    article = make_ready_draft(title="Council meets", authors=[author], status="review")
    editor = make_member("Editor", email="ed@example.com")
    services.article_return_to_draft(article=article, by=editor, note="Needs a second source.")
    message = smtp_mailbox.wait_for(lambda m: "sent back" in m["Subject"])
    assert message["To"] == "ann@example.com"
    assert "Needs a second source." in message.get_content()
    assert Transition.objects.get(article=article).note == "Needs a second source."


def test_sending_back_without_a_note_is_refused():
    article = make_ready_draft(status="review")
    with pytest.raises(ValidationError, match="Say why") as refused:
        services.article_return_to_draft(article=article, by=make_member("Editor"), note=" ")
    assert refused.value.code == "note"
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW


def test_an_author_who_opted_out_gets_no_workflow_email(smtp_mailbox):
    quiet = opted_out(make_member("Reporter", email="quiet@example.com"))
    loud = make_member("Reporter", email="loud@example.com")
    article = make_ready_draft(title="Council meets", authors=[quiet, loud], status="review")
    services.article_return_to_draft(article=article, by=make_member("Editor"), note="Why")
    article.refresh_from_db()
    services.article_publish(article=article, by=make_member("Editor"))
    smtp_mailbox.wait_for(lambda m: "is live" in m["Subject"])
    assert {m["To"] for m in smtp_mailbox.messages} == {"loud@example.com"}


def test_the_send_back_note_is_shown_on_top_of_the_authors_form(client):
    author = make_member("Reporter")
    article = make_ready_draft(authors=[author], status="review")
    services.article_return_to_draft(
        article=article, by=make_member("Editor"), note="Cut <b>the</b> quotes."
    )
    client.force_login(author)
    html = client.get(reverse("admin:articles_article_change", args=[article.pk])).content
    assert "Cut &lt;b&gt;the&lt;/b&gt; quotes." in html.decode()
    services.article_submit(article=article, by=author)
    html = client.get(reverse("admin:articles_article_change", args=[article.pk])).content
    assert "Cut &lt;b&gt;the&lt;/b&gt; quotes." not in html.decode()


def test_an_editor_without_the_note_is_told_and_the_article_stays_in_review(client):
    from tests.articles.test_admin import editor_form_data

    article = make_ready_draft(status="review", authors=[make_user()])
    client.force_login(make_member("Editor"))
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = client.post(url, editor_form_data(article, _return_to_draft="1"), follow=True)
    assert "Say why" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW
    data = editor_form_data(article, _return_to_draft="1", return_note="Shorter, please.")
    client.post(url, data)
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
