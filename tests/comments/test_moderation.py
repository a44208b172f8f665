import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from comments import moderation, posting
from comments.models import Comment, ModerationLog
from tests.comments.helpers import make_comment, make_moderator
from tests.comments.test_posting import configure
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db


def create(article, **fields) -> Comment:
    fields.setdefault("body", "Plain words")
    fields.setdefault("name", "Guest")
    fields.setdefault("email", "guest@example.com")
    # The guest proved their address (tests/comments/test_trust.py: a typed one earns nothing).
    fields.setdefault("proven_email", "guest@example.com")
    return posting.comment_create(article=article, **fields)


@pytest.fixture
def article():
    return make_article()


@pytest.fixture
def trusted(article):
    """The guest already has an approved comment, so only the rule under test can hold."""
    make_comment(article, email="guest@example.com", body="earlier")


# --- WordPress discussion rules ------------------------------------------------------------


def test_first_comment_is_held_with_reason(article):
    comment = create(article)
    assert (comment.status, comment.hold_reason) == ("pending", "first comment")


def test_trusted_after_n_approved_comments(article):
    configure(trusted_after=2)
    make_comment(article, email="guest@example.com", body="one")
    held = create(article, body="second")
    assert (held.status, held.hold_reason) == (
        "pending",
        "1 approved comments, trusted after 2",
    )
    make_comment(article, email="guest@example.com", body="two")
    cache.clear()  # past the flood interval
    comment = create(article, body="third", email="GUEST@example.com")
    assert comment.status == "approved"


def test_trusted_after_zero_trusts_everyone(article):
    configure(trusted_after=0)
    assert create(article).status == "approved"


def test_manual_approval_holds_even_trusted_commenters(article, trusted):
    configure(require_approval=True)
    comment = create(article)
    assert (comment.status, comment.hold_reason) == ("pending", "manual approval is on")


def test_links_at_the_limit_are_held_with_count(article, trusted):
    comment = create(article, body="see http://a.example and https://b.example and www.c.example")
    assert (comment.status, comment.hold_reason) == ("pending", "3 links, limit 2")


def test_links_below_the_limit_pass(article, trusted):
    assert create(article, body="see http://a.example").status == "approved"


def test_link_rule_off_at_zero(article, trusted):
    configure(hold_links=0)
    assert create(article, body="http://a.example http://b.example").status == "approved"


@pytest.mark.parametrize(
    "field, value",
    [
        ("body", "buy CHEAPWATCH now"),
        ("name", "cheapwatch fan"),
        ("email", "cheapwatch@example.com"),
        ("url", "https://cheapwatch.example"),
        ("ip_address", "10.9.8.7"),
    ],
)
def test_moderation_words_hold_when_matched_in_any_field(article, trusted, field, value):
    configure(moderation_words="cheapwatch\n10.9.8.7\n")
    if field == "email":
        make_comment(article, email=value, body="earlier")
    comment = create(article, **{field: value})
    word = "10.9.8.7" if field == "ip_address" else "cheapwatch"
    assert (comment.status, comment.hold_reason) == ("pending", f'held word: "{word}"')


def test_the_hold_reason_names_the_held_word_that_matched(article, trusted):
    configure(moderation_words="casino\nPills\n")
    assert create(article, body="Cheap PILLS here").hold_reason == 'held word: "pills"'


@pytest.mark.parametrize(
    "field, value",
    [
        ("body", "total SCAMWORD"),
        ("name", "scamword"),
        ("email", "scamword@example.com"),
        ("url", "https://scamword.example"),
        ("ip_address", "10.6.6.6"),
    ],
)
def test_disallowed_words_send_to_spam(article, trusted, field, value):
    configure(disallowed_words="scamword\n10.6.6.6")
    comment = create(article, **{field: value})
    assert (comment.status, comment.hold_reason) == ("spam", "matched a disallowed word")


def test_disallowed_words_win_over_every_hold(article):
    configure(disallowed_words="scamword", require_approval=True)
    assert create(article, body="scamword").status == "spam"


def test_moderator_comment_is_published_at_once(article):
    assert create(article, user=make_moderator()).status == "approved"


# --- Moderation actions and the log --------------------------------------------------------


@pytest.mark.parametrize(
    "action, status", [("approve", "approved"), ("spam", "spam"), ("remove", "removed")]
)
def test_moderator_actions_change_status_and_are_logged(article, action, status):
    moderator = make_moderator()
    comment = make_comment(article, status="pending", body="the text")
    moderation.comment_moderate(comment=comment, moderator=moderator, action=action, reason="why")
    comment.refresh_from_db()
    assert comment.status == status
    entry = ModerationLog.objects.get(comment=comment, action=action)
    assert (entry.actor, entry.status_before, entry.status_after, entry.reason) == (
        moderator,
        "pending",
        status,
        "why",
    )
    assert entry.body_before == entry.body_after == "the text"


def test_readers_cannot_moderate(article):
    comment = make_comment(article, status="pending")
    with pytest.raises(PermissionDenied):
        moderation.comment_approve(comment=comment, moderator=make_user())
    comment.refresh_from_db()
    assert comment.status == "pending"


def test_unknown_action_is_refused(article):
    with pytest.raises(ValidationError):
        moderation.comment_moderate(
            comment=make_comment(article), moderator=make_moderator(), action="delete"
        )


def test_moderator_edit_logs_text_before_and_after(article):
    moderator = make_moderator()
    comment = make_comment(article, body="old text")
    moderation.comment_moderator_edit(
        comment=comment, moderator=moderator, body="new text", reason="typo"
    )
    entry = ModerationLog.objects.get(comment=comment, action="edit")
    assert (entry.body_before, entry.body_after, entry.reason) == ("old text", "new text", "typo")


def test_moderation_log_is_append_only(article):
    create(article)
    entry = ModerationLog.objects.get()
    entry.reason = "rewritten"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()


def test_posting_is_logged_with_the_hold_reason(article):
    comment = create(article)
    entry = ModerationLog.objects.get(comment=comment)
    assert (entry.action, entry.status_after, entry.reason) == ("post", "pending", "first comment")


# --- The admin queue -------------------------------------------------------------------


@pytest.fixture
def moderator_client(client):
    client.force_login(make_moderator())
    return client


def test_queue_lists_pending_first_oldest_first_with_reason_and_history(moderator_client, article):
    approved = make_comment(article, body="approved one", email="a@example.com")
    old = make_comment(
        article,
        status="pending",
        body="old pending",
        hold_reason="first comment",
        email="a@example.com",
    )
    new = make_comment(article, status="pending", body="new pending", parent=approved)
    make_comment(article, status="spam", body="spam one", email="a@example.com")
    # The "all" tab: pending first (the default tab shows the pending ones alone)
    response = moderator_client.get(reverse("admin:comments_comment_changelist"), {"queue": "all"})
    html = response.content.decode()
    rows = list(response.context["cl"].result_list)
    assert [c.pk for c in rows[:3]] == [old.pk, new.pk, approved.pk]
    assert "first comment" in html and article.title in html
    assert "1 / 1 / 0" in html  # a@example.com: approved / spam / removed
    assert "approved one" in html  # the parent column of the reply


def test_bulk_approve_with_reason(moderator_client, article):
    comments = [make_comment(article, status="pending") for _ in range(2)]
    response = moderator_client.post(
        reverse("admin:comments_comment_changelist"),
        {
            "action": "bulk_approve",
            "_selected_action": [c.pk for c in comments],
            "reason": "looks fine",
        },
    )
    assert response.status_code == 302
    assert set(Comment.objects.values_list("status", flat=True)) == {"approved"}
    assert list(ModerationLog.objects.values_list("reason", flat=True)) == ["looks fine"] * 2


@pytest.mark.parametrize("action, status", [("bulk_spam", "spam"), ("bulk_remove", "removed")])
def test_bulk_spam_and_remove(moderator_client, article, action, status):
    comment = make_comment(article, status="pending")
    moderator_client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": action, "_selected_action": [comment.pk]},
    )
    comment.refresh_from_db()
    assert comment.status == status


def test_moderator_replies_from_the_queue(moderator_client, article):
    pending = make_comment(article, status="pending", body="a question")
    url = reverse("admin:comments_comment_change", args=[pending.pk])
    moderator_client.post(
        url,
        {"status": "pending", "body": "a question", "reason": "", "reply": "Here is the answer."},
    )
    pending.refresh_from_db()
    reply = Comment.objects.get(parent=pending)
    assert (pending.status, reply.status, reply.body) == (
        "approved",
        "approved",
        "Here is the answer.",
    )


def test_status_change_in_the_change_form_goes_through_the_service(moderator_client, article):
    comment = make_comment(article, status="pending", body="text")
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    moderator_client.post(url, {"status": "spam", "body": "text", "reason": "ads", "reply": ""})
    entry = ModerationLog.objects.get(comment=comment)
    assert (entry.action, entry.reason, entry.actor.is_staff) == ("spam", "ads", True)


def test_admin_index_shows_a_pending_badge(moderator_client, article):
    make_comment(article, status="pending")
    make_comment(article, status="pending")
    html = moderator_client.get(reverse("admin:index")).content.decode()
    assert "Comments awaiting moderation: <strong>2</strong>" in html


def test_moderators_see_comments_and_nothing_of_articles(moderator_client):
    html = moderator_client.get(reverse("admin:index")).content.decode()
    assert "Comments" in html and "Articles" not in html
    assert moderator_client.get(reverse("admin:articles_article_changelist")).status_code == 403


def test_moderation_log_cannot_be_changed_in_the_admin(moderator_client, article):
    create(article)
    entry = ModerationLog.objects.get()
    url = reverse("admin:comments_moderationlog_change", args=[entry.pk])
    assert moderator_client.get(url).status_code == 200  # view only
    moderator_client.post(url, {"reason": "rewritten"})
    entry.refresh_from_db()
    assert entry.reason == "first comment"


def test_editors_may_change_discussion_settings(client):
    from django.contrib.auth.models import Group

    editor = make_user(is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    client.force_login(editor)
    response = client.get(reverse("admin:comments_discussionsettings_changelist"))
    assert response.status_code == 302
    html = client.get(response.url).content.decode()
    assert "hold at N links" in html.lower() or "Hold at N links" in html


def test_moderators_cannot_open_the_discussion_settings(moderator_client):
    url = reverse("admin:comments_discussionsettings_changelist")
    assert moderator_client.get(url).status_code == 403


def test_saving_discussion_settings_in_the_admin_takes_effect(client, article):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    url = reverse("admin:comments_discussionsettings_change", args=[1])
    client.get(reverse("admin:comments_discussionsettings_changelist"))
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data |= {"require_approval": "on", "require_name_email": "on"}
    assert client.post(url, data).status_code == 302
    assert create(article, user=make_user()).hold_reason == "manual approval is on"


def test_comment_page_in_the_admin_shows_reason_history_and_reply_box(moderator_client, article):
    comment = make_comment(
        article, status="pending", hold_reason="3 links, limit 2", email="h@example.com"
    )
    html = moderator_client.get(
        reverse("admin:comments_comment_change", args=[comment.pk])
    ).content.decode()
    assert "3 links, limit 2" in html and "0 / 0 / 0" in html and 'name="reply"' in html


def test_replying_from_the_queue_keeps_the_typed_reason_in_the_log(moderator_client, article):
    pending = make_comment(article, status="pending", body="a question")
    url = reverse("admin:comments_comment_change", args=[pending.pk])
    moderator_client.post(
        url,
        {
            "status": "pending",
            "body": "a question",
            "reason": "a fair question from a regular",
            "reply": "Here is the answer.",
        },
    )
    entry = ModerationLog.objects.get(comment=pending, action="approve")
    assert "a fair question from a regular" in entry.reason and "replied" in entry.reason
