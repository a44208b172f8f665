"""The moderation queue's tabs, the "all by this commenter" view and the ban admin."""

import re

import pytest
from django.urls import reverse

from comments import queue
from comments.models import Ban, Comment, CommentQuerySet, ModerationLog
from tests.comments.helpers import make_comment, make_moderator
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db
QUEUE = reverse("admin:comments_comment_changelist")


@pytest.fixture
def moderator_client(client):
    client.force_login(make_moderator())
    return client


@pytest.fixture
def article():
    return make_article()


def tabs(html: str) -> list[tuple[str, bool]]:
    """(label with count, is current) of each tab in the queue's tab bar."""
    bar = re.search(
        r'<nav class="queue-tabs" aria-label="Moderation queue">(.*?)</nav>', html, re.S
    )
    assert bar, "the queue has its tab bar"
    found = re.findall(r"<a [^>]*?(aria-current=\"page\")?>(.*?)</a>", bar.group(1), re.S)
    return [(" ".join(re.sub(r"<[^>]+>", "", label).split()), bool(cur)) for cur, label in found]


def listed(response) -> set[str]:
    return {c.body for c in response.context["cl"].result_list}


def test_pending_is_the_default_tab_with_counts(moderator_client, article):
    make_comment(article, body="published")
    make_comment(article, body="held", status="pending")
    make_comment(article, body="held too", status="pending")
    response = moderator_client.get(QUEUE)
    assert tabs(response.content.decode()) == [
        ("Pending (2)", True),
        ("Reported (0)", False),
        ("Featured (0)", False),
        ("All (3)", False),
    ]
    assert listed(response) == {"held", "held too"}


def test_the_all_tab_is_current_when_chosen(moderator_client, article):
    make_comment(article, body="published")
    make_comment(article, body="held", status="pending")
    response = moderator_client.get(QUEUE, {"queue": "all"})
    assert tabs(response.content.decode()) == [
        ("Pending (1)", False),
        ("Reported (0)", False),
        ("Featured (0)", False),
        ("All (2)", True),
    ]
    assert listed(response) == {"published", "held"}


def test_a_tab_for_each_queryset_method_the_model_has(moderator_client, article, monkeypatch):
    """The "reported" and "featured" tabs appear with the branches that add their lookups."""
    monkeypatch.setattr(
        CommentQuerySet,
        "featured",
        lambda self: self.filter(body__startswith="pick"),
        raising=False,
    )
    make_comment(article, body="pick of the day")
    make_comment(article, body="ordinary")
    response = moderator_client.get(QUEUE, {"queue": "featured"})
    assert tabs(response.content.decode()) == [
        ("Pending (0)", False),
        ("Reported (0)", False),
        ("Featured (1)", True),
        ("All (2)", False),
    ]
    assert listed(response) == {"pick of the day"}


def test_the_old_awaiting_link_leads_to_the_pending_tab(moderator_client):
    response = moderator_client.get(QUEUE, {"awaiting": "yes"})
    assert response.url == f"{QUEUE}?queue=pending"


def test_all_by_a_guest_matches_the_address_whatever_its_case_or_name(moderator_client, article):
    first = make_comment(article, body="one", name="Troll", email="troll@example.com")
    make_comment(article, body="two", name="Another Name", email="TROLL@Example.com")
    make_comment(article, body="someone else", email="other@example.com")
    html = moderator_client.get(QUEUE, {"queue": "all"}).content.decode()
    link = f"{QUEUE}?queue=all&amp;commenter=email%3Atroll%40example.com"
    assert f'<a href="{link}"' in html
    response = moderator_client.get(QUEUE, {"queue": "all", "commenter": "email:troll@example.com"})
    assert listed(response) == {"one", "two"}
    assert tabs(response.content.decode())[-1] == ("All by troll@example.com (2)", True)
    assert first.pk in {c.pk for c in response.context["cl"].result_list}


def test_all_by_an_account(moderator_client, article):
    reader = make_user(display_name="Rita Reader")
    make_comment(article, body="mine", user=reader, name="", email=reader.email)
    make_comment(article, body="a guest's", email=reader.email)  # not the account
    response = moderator_client.get(QUEUE, {"queue": "all", "commenter": f"user:{reader.pk}"})
    assert listed(response) == {"mine"}
    assert tabs(response.content.decode())[-1] == ("All by Rita Reader (1)", True)


def test_the_queue_query_count_does_not_grow_with_the_tabs_view(
    moderator_client, article, django_assert_num_queries
):
    for n in range(5):
        make_comment(article, email=f"g{n}@example.com", status="pending")
    moderator_client.get(QUEUE)
    # as tests/comments/test_thread.py pins for the queue: one count a tab
    with django_assert_num_queries(7 + len(queue.tabs())):
        moderator_client.get(QUEUE)


# --- Banning from the queue ----------------------------------------------------------------


def test_each_row_offers_to_ban_its_commenter(moderator_client, article):
    comment = make_comment(article, status="pending")
    html = moderator_client.get(QUEUE).content.decode()
    assert f'href="{reverse("admin:comments_ban_add")}?comment={comment.pk}"' in html


def test_the_change_page_offers_to_ban_too(moderator_client, article):
    comment = make_comment(article)
    page = moderator_client.get(reverse("admin:comments_comment_change", args=[comment.pk]))
    assert f"{reverse('admin:comments_ban_add')}?comment={comment.pk}" in page.content.decode()


def test_the_ban_form_is_filled_from_the_comment(moderator_client, article):
    comment = make_comment(article, email="Troll@Example.com", ip_address="203.0.113.4")
    response = moderator_client.get(reverse("admin:comments_ban_add"), {"comment": comment.pk})
    form = response.context["adminform"].form
    assert form.initial["email"] == "Troll@Example.com"
    assert "sent from 203.0.113.4" in response.content.decode()


def test_a_moderator_bans_a_guest_in_the_admin(moderator_client, article):
    comment = make_comment(article, email="troll@example.com")
    data = {
        "kind": "ban",
        "email": "Troll@Example.com",
        "ip_address": "",
        "ends_at_0": "2099-01-01",
        "ends_at_1": "12:00:00",
        "reason": "Insults",
        "hide_comments": "on",
    }
    add = f"{reverse('admin:comments_ban_add')}?comment={comment.pk}"  # the row's link
    response = moderator_client.post(add, data)
    assert response.status_code == 302
    ban = Ban.objects.get()
    assert (ban.email, ban.reason, ban.hide_comments) == ("troll@example.com", "Insults", True)
    assert ModerationLog.objects.get(action="ban").comment == comment
    assert Comment.objects.get(pk=comment.pk).status == "removed"


def test_the_ban_form_refuses_an_end_date_in_the_past(moderator_client):
    data = {
        "kind": "ban",
        "email": "t@example.com",
        "ends_at_0": "2000-01-01",
        "ends_at_1": "12:00:00",
        "reason": "x",
    }
    response = moderator_client.post(reverse("admin:comments_ban_add"), data)
    assert response.status_code == 200
    assert "The end date must be in the future." in response.content.decode()
    assert not Ban.objects.exists()


def test_moderators_lift_bans_from_the_list(moderator_client, article):
    from comments import bans

    ban = bans.ban_create(moderator=make_moderator(), email="t@example.com", reason="x")
    data = {"action": "lift", "_selected_action": [ban.pk], "reason": "served"}
    moderator_client.post(reverse("admin:comments_ban_changelist"), data)
    ban.refresh_from_db()
    assert ban.lifted_at is not None
    assert ModerationLog.objects.get(action="lift_ban").reason == "served"
