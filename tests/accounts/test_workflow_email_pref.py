"""Staff turn the editorial workflow emails off (and on) on their account page."""

import pytest
from django.urls import reverse

from tests.factories import make_member, make_user

pytestmark = pytest.mark.django_db


def test_staff_turn_workflow_email_off_and_on(client):
    editor = make_member("Editor")
    assert editor.wants_workflow_email is True
    client.force_login(editor)
    html = client.get(reverse("accounts:account")).content.decode()
    assert 'name="wants_workflow_email"' in html
    response = client.post(reverse("accounts:workflow-email"), {}, follow=True)
    assert "will not get" in response.content.decode()
    editor.refresh_from_db()
    assert editor.wants_workflow_email is False
    client.post(reverse("accounts:workflow-email"), {"wants_workflow_email": "on"})
    editor.refresh_from_db()
    assert editor.wants_workflow_email is True


def test_readers_have_no_workflow_email_setting(client):
    reader = make_user()
    client.force_login(reader)
    html = client.get(reverse("accounts:account")).content.decode()
    assert "wants_workflow_email" not in html
    assert client.post(reverse("accounts:workflow-email"), {}).status_code == 403
