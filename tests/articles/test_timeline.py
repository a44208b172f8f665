"""The article's history: saves, workflow events and notes in one timeline."""

from datetime import timedelta

import pytest
import reversion
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import EditorialNote, Transition
from tests.factories import make_member, make_ready_draft

pytestmark = pytest.mark.django_db


def test_history_merges_saves_workflow_events_and_notes_by_time(client):
    author = make_member("Reporter", username="ann")
    editor = make_member("Editor", username="ed")
    with reversion.create_revision():
        article = make_ready_draft(authors=[author])
        reversion.set_user(author)
        reversion.set_comment("First draft")
    services.article_submit(article=article, by=author)
    note = services.note_add(article=article, by=editor, body="Check the figures")
    services.article_return_to_draft(article=article, by=editor, note="Figures are off")
    # Put the note between the two transitions, whatever the clock's resolution.
    submitted, sent_back = Transition.objects.order_by("at", "id")
    EditorialNote.objects.filter(pk=note.pk).update(
        created_at=submitted.at + timedelta(microseconds=1)
    )
    Transition.objects.filter(pk=sent_back.pk).update(at=timezone.now() + timedelta(seconds=1))

    client.force_login(author)
    url = reverse("admin:articles_article_history", args=[article.pk])
    html = client.get(url).content.decode()
    order = [
        html.index("Sent back to draft"),
        html.index("Check the figures"),
        html.index("Submitted for review"),
        html.index("First draft"),
    ]
    assert order == sorted(order)
    assert "Figures are off" in html
