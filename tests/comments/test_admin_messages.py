"""The comments admin speaks plain English after an action or a save."""

import pytest
from django.urls import reverse

from tests.comments.helpers import make_comment, make_moderator
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "action, count, message",
    [
        ("bulk_approve", 2, "Approved 2 comments."),
        ("bulk_approve", 1, "Approved 1 comment."),
        ("bulk_spam", 2, "Marked 2 comments as spam."),
        ("bulk_remove", 3, "Removed 3 comments."),
    ],
)
def test_bulk_action_message_is_a_sentence(client, action, count, message):
    article = make_article()
    comments = [make_comment(article, status="pending") for _ in range(count)]
    client.force_login(make_moderator())
    response = client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": action, "_selected_action": [c.pk for c in comments]},
        follow=True,
    )
    html = response.content.decode()
    assert message in html and "(s)" not in html


def test_saving_discussion_settings_says_saved_and_stays_on_the_form(client):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    url = reverse("admin:comments_discussionsettings_change", args=[1])
    client.get(reverse("admin:comments_discussionsettings_changelist"))
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    response = client.post(url, data | {"require_approval": "on"}, follow=True)
    html = response.content.decode()
    assert "Discussion settings saved." in html
    assert "changed successfully" not in html
    assert response.redirect_chain[-1][0] == url
