"""Display names follow commenters' names: no control or invisible formatting characters,
refused in every form that sets one and cleaned from names stored before the rule."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from accounts.forms import ProfileForm, SignupExtraForm
from accounts.models import User
from accounts.validators import validate_display_name
from tests.factories import make_user

pytestmark = pytest.mark.django_db
migration = importlib.import_module("accounts.migrations.0004_display_name_rule")
HOSTILE = ["Eve\u202eevil", "Bo\u200bb", "Ann\x07", "Tab\tbed", "Line\nbreak"]


@pytest.mark.parametrize("name", HOSTILE)
def test_a_name_with_an_invisible_or_control_character_is_refused(name):
    with pytest.raises(ValidationError, match="invisible or control character"):
        validate_display_name(name)
    profile = ProfileForm(data={"display_name": name}, instance=make_user())
    assert not profile.is_valid() and "display_name" in profile.errors
    assert not SignupExtraForm(data={"display_name": name}).is_valid()


@pytest.mark.parametrize("name", ["\u3164", "\u200d", " \u2800 ", "\u3164\u3164"])
def test_a_name_that_shows_nothing_is_refused(name):
    """Letters that draw nothing (Hangul fillers, the braille blank) or lone joiners would
    show an empty name beside the reader's comments."""
    with pytest.raises(ValidationError, match="shows nothing"):
        validate_display_name(name)
    assert not SignupExtraForm(data={"display_name": name}).is_valid()


@pytest.mark.parametrize("name", ["Zoë Müller", "Ana 👩‍💻", "سارة", "O'Brien-Smith Jr."])
def test_real_names_and_emoji_sequences_are_accepted(name):
    validate_display_name(name)


def test_the_account_page_refuses_it_and_keeps_what_was_typed(client):
    user = make_user(display_name="Before")
    client.force_login(user)
    response = client.post(reverse("accounts:profile"), {"display_name": "Eve\u202eevil"})
    assert response.status_code == 200
    assert "invisible or control character" in response.content.decode()
    assert User.objects.get(pk=user.pk).display_name == "Before"


def test_the_migration_cleans_names_stored_before_the_rule(monkeypatch):
    monkeypatch.setattr(migration, "BATCH", 1)
    hostile, fine = make_user(), make_user(display_name="Zoë 👩‍💻")
    User.objects.filter(pk=hostile.pk).update(display_name="Eve\u202e\r\nevil\x07")
    migration.clean_display_names(apps, SimpleNamespace(connection=connection))
    assert User.objects.get(pk=hostile.pk).display_name == "Eve evil"
    assert User.objects.get(pk=fine.pk).display_name == "Zoë 👩‍💻"
