import pytest
from django.apps import apps
from django.contrib.auth.models import Group

from accounts.roles import sync_roles

pytestmark = pytest.mark.django_db


def codenames(group: str) -> set[str]:
    return set(Group.objects.get(name=group).permissions.values_list("codename", flat=True))


def test_migration_creates_the_three_groups():
    assert {"Reporter", "Editor", "Moderator"} <= set(Group.objects.values_list("name", flat=True))


def test_reporter_writes_but_can_never_publish_or_delete():
    perms = codenames("Reporter")
    assert {"add_article", "change_article", "view_article"} <= perms
    assert "publish_article" not in perms and "delete_article" not in perms


def test_editor_publishes_and_manages_sections_and_tags():
    perms = codenames("Editor")
    assert {"publish_article", "change_section", "add_tag", "add_correction"} <= perms


def test_moderator_has_no_article_rights():
    moderator = Group.objects.get(name="Moderator")
    assert not moderator.permissions.filter(content_type__app_label="articles").exists()


def test_sync_is_idempotent_and_keeps_permissions_other_apps_granted():
    from django.contrib.auth.models import Permission

    extra = Permission.objects.get(codename="view_group")
    Group.objects.get(name="Moderator").permissions.add(extra)
    sync_roles(apps)
    sync_roles(apps)
    assert Group.objects.filter(name="Editor").count() == 1
    assert "view_group" in codenames("Moderator")
