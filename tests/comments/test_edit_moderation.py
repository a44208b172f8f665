"""An edit runs the same rules as a new comment (audit issue 12, item 3): a published
comment edited into something the rules hold keeps its published text on the page while
the proposed text waits for a moderator; an edit the rules refuse is not saved."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from comments import moderation
from comments.models import Comment, ModerationLog
from tests.comments.helpers import form_data, make_comment, make_moderator, post_url, prove_email
from tests.comments.test_posting import configure
from tests.factories import guest_cookie, make_article

pytestmark = pytest.mark.django_db

SPAM = "buy pills " + " ".join(f"https://spam{n}.example/" for n in range(12))


@pytest.fixture
def article():
    return make_article()


@pytest.fixture
def published(client, article) -> Comment:
    """A trusted guest's comment, published at once and still in its edit window."""
    make_comment(article, email="guest@example.com", body="earlier")
    prove_email(client, "guest@example.com")
    client.post(post_url(article), form_data(article, body="Original words."))
    comment = Comment.objects.get(body="Original words.")
    assert comment.status == "approved"
    return comment


@pytest.fixture
def held(client, published) -> Comment:
    assert edit(client, published, SPAM).status_code == 302
    published.refresh_from_db()
    return published


def edit(client, comment, body):
    return client.post(reverse("comments:edit", args=[comment.pk]), {"body": body})


def public_page(article) -> str:
    return Client().get(article.get_absolute_url()).content.decode()


def test_an_edit_into_spam_links_is_held_and_the_page_keeps_the_published_text(
    client, article, published
):
    response = edit(client, published, SPAM)
    published.refresh_from_db()
    assert (published.status, published.body, published.pending_body) == (
        "approved",
        "Original words.",
        SPAM,
    )
    assert published.hold_reason == "edited after approval: 12 links, limit 2"
    html = public_page(article)
    assert "Original words." in html and "spam1.example" not in html
    assert "Your edit is awaiting moderation" in client.get(response.url).content.decode()


def test_a_held_edit_is_logged_with_both_texts(held):
    entry = ModerationLog.objects.get(comment=held, action="edit")
    assert (entry.body_before, entry.body_after) == ("Original words.", SPAM)
    assert (entry.status_before, entry.status_after) == ("approved", "approved")
    assert entry.reason.startswith("edited after approval")


def test_an_edit_matching_a_held_word_is_held(client, published):
    configure(moderation_words="pills")
    edit(client, published, "buy pills")
    published.refresh_from_db()
    assert (published.body, published.pending_body) == ("Original words.", "buy pills")
    assert published.hold_reason == 'edited after approval: held word: "pills"'


def test_a_disallowed_edit_is_refused_with_the_text_kept_in_the_form(client, published):
    configure(disallowed_words="pills")
    response = edit(client, published, "buy pills now")
    html = response.content.decode()
    assert response.status_code == 400
    assert "not allowed on this site" in html and "buy pills now" in html
    published.refresh_from_db()
    assert (published.status, published.body, published.pending_body) == (
        "approved",
        "Original words.",
        "",
    )


def test_an_edit_by_a_guest_who_earned_no_trust_is_held(client, article):
    comment = make_comment(article, email="new@example.com", body="Approved by a moderator.")
    client.cookies.load(dict([guest_cookie([comment.pk])]))  # the guest owns the comment
    edit(client, comment, "Changed afterwards.")
    comment.refresh_from_db()
    assert (comment.body, comment.pending_body) == (
        "Approved by a moderator.",
        "Changed afterwards.",
    )
    assert comment.hold_reason == "edited after approval: first comment"


def test_a_trusted_writers_clean_edit_is_published_at_once(client, article, published):
    edit(client, published, "Better words.")
    published.refresh_from_db()
    assert (published.body, published.pending_body) == ("Better words.", "")
    assert "Better words." in public_page(article)


def test_approving_a_held_edit_publishes_the_proposed_text(article, held):
    moderation.comment_approve(comment=held, moderator=make_moderator(), reason="fine after all")
    held.refresh_from_db()
    assert (held.status, held.body, held.pending_body) == ("approved", SPAM, "")
    entry = ModerationLog.objects.filter(comment=held).first()
    assert (entry.action, entry.body_before, entry.body_after) == (
        "approve",
        "Original words.",
        SPAM,
    )
    assert "spam1.example" in public_page(article)


def test_rejecting_a_held_edit_keeps_the_published_text(article, held):
    moderation.comment_moderate(comment=held, moderator=make_moderator(), action="reject_edit")
    held.refresh_from_db()
    assert (held.status, held.body, held.pending_body) == ("approved", "Original words.", "")
    entry = ModerationLog.objects.filter(comment=held).first()
    assert (entry.action, entry.body_before, entry.body_after) == (
        "reject_edit",
        SPAM,
        "Original words.",
    )
    assert "Original words." in public_page(article)


def test_marking_a_held_edit_as_spam_hides_the_comment_and_drops_the_proposal(article, held):
    moderation.comment_moderate(comment=held, moderator=make_moderator(), action="spam")
    held.refresh_from_db()
    assert (held.status, held.body, held.pending_body) == ("spam", "Original words.", "")
    assert "Original words." not in public_page(article)


def test_a_writer_may_replace_a_held_edit_with_a_clean_one(client, article, held):
    edit(client, held, "On second thoughts.")
    held.refresh_from_db()
    assert (held.body, held.pending_body) == ("On second thoughts.", "")
    assert "On second thoughts." in public_page(article)


@pytest.fixture
def moderator_client():
    client = Client()
    client.force_login(make_moderator())
    return client


def test_the_queue_shows_a_held_edit_first_with_its_proposed_text(moderator_client, held):
    make_comment(held.article, body="Another published one.")
    url = reverse("admin:comments_comment_changelist")
    html = moderator_client.get(url, {"queue": "pending"}).content.decode()
    assert "buy pills https://spam0.example/" in html and "edited after approval" in html
    assert "Another published one." not in html
    change = moderator_client.get(reverse("admin:comments_comment_change", args=[held.pk]))
    assert "buy pills https://spam0.example/" in change.content.decode()
    index = moderator_client.get(reverse("admin:index")).content.decode()
    assert "Comments awaiting moderation: <strong>1</strong>" in index


def test_a_moderator_publishes_a_held_edit_from_the_change_page(moderator_client, held):
    url = reverse("admin:comments_comment_change", args=[held.pk])
    data = {"status": "approved", "body": "Original words.", "reason": "ok", "reply": ""}
    moderator_client.post(url, data | {"edit_decision": "approve"})
    held.refresh_from_db()
    assert (held.body, held.pending_body) == (SPAM, "")


def test_bulk_reject_of_held_edits(moderator_client, held):
    moderator_client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "bulk_reject_edit", "_selected_action": [held.pk], "reason": "no ads"},
    )
    held.refresh_from_db()
    assert (held.body, held.pending_body) == ("Original words.", "")
    assert ModerationLog.objects.filter(comment=held).first().reason == "no ads"


def test_the_cached_page_and_thread_keep_the_published_text_until_a_moderator_decides(
    client, article, published, settings
):
    settings.PAGECACHE_ENABLED = settings.PAGECACHE_FRAGMENTS = True
    settings.PAGECACHE_RACE_MARGIN = 0
    assert "Original words." in public_page(article)  # stored as page and fragment
    edit(client, published, SPAM)
    html = public_page(article)
    assert "Original words." in html and "spam1.example" not in html
    moderation.comment_approve(comment=published, moderator=make_moderator())
    assert "spam1.example" in public_page(article)


def test_moderators_are_emailed_a_held_edit_with_a_link_that_publishes_it(
    client, published, settings, django_capture_on_commit_callbacks
):
    make_moderator(email="mod@example.com")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        edit(client, published, SPAM)
    [message] = [m for m in mail.outbox if m.to == ["mod@example.com"]]
    assert "Original words." in message.body and "https://spam11.example/" in message.body
    link = re.search(r"http://\S+/moderate/\S+", message.body.split("Approve:")[1]).group(0)
    moderator = Client()
    confirm = moderator.get(link.removeprefix(settings.SITE_URL)).content.decode()
    assert "Original words." in confirm and "https://spam11.example/" in confirm
    moderator.post(link.removeprefix(settings.SITE_URL))
    published.refresh_from_db()
    assert (published.body, published.pending_body) == (SPAM, "")


def test_the_change_page_refuses_a_new_status_and_an_edit_decision_together(moderator_client, held):
    url = reverse("admin:comments_comment_change", args=[held.pk])
    data = {"status": "spam", "body": "Original words.", "reason": "", "reply": ""}
    response = moderator_client.post(url, data | {"edit_decision": "approve"})
    assert "not both at once" in response.content.decode()
    held.refresh_from_db()
    assert (held.status, held.pending_body) == ("approved", SPAM)
