"""Staff status follows role groups; each role reaches exactly what it should; MFA door."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import GroupPolicy
from accounts.services import user_sync_staff
from tests.factories import make_user

pytestmark = pytest.mark.django_db

ROLES = ["Editor", "Reporter", "Moderator"]


def group(name):
    return Group.objects.get_or_create(name=name)[0]


@pytest.mark.parametrize("role", ROLES)
def test_joining_a_role_group_makes_staff_and_leaving_removes_it(role):
    user = make_user()
    user.groups.add(group(role))
    user.refresh_from_db()
    assert user.is_staff
    user.groups.remove(group(role))
    user.refresh_from_db()
    assert not user.is_staff


def test_adding_from_the_group_side_also_counts():
    user = make_user()
    group("Editor").user_set.add(user)
    user.refresh_from_db()
    assert user.is_staff
    group("Editor").user_set.clear()
    user.refresh_from_db()
    assert not user.is_staff


def test_other_groups_do_not_make_staff():
    user = make_user()
    user.groups.add(group("Newsletter readers"))
    user.refresh_from_db()
    assert not user.is_staff


def test_sync_takes_staff_away_from_a_reader_ticked_by_hand():
    user = make_user(is_staff=True)
    assert not user_sync_staff(user=user).is_staff


def test_superuser_stays_staff():
    user = make_user(is_superuser=True, is_staff=True)
    user.groups.clear()
    assert user_sync_staff(user=user).is_staff


def test_reader_never_reaches_the_admin(client):
    client.force_login(make_user())
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 302


def test_reader_cannot_log_in_through_the_admin_form(client):
    """The admin has no password form of its own: a POST there is sent to the site's login."""
    make_user(username="reader", password="correct horse battery staple")
    response = client.post(
        reverse("admin:login"), {"username": "reader", "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_the_admin_but_not_user_management(client, role):
    user = make_user()
    user.groups.add(group(role))
    client.force_login(user)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403


def test_superuser_manages_users(client):
    client.force_login(make_user(is_superuser=True, is_staff=True))
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200


def test_admin_user_form_assigns_groups_and_staff_follows(client):
    admin = make_user(is_superuser=True, is_staff=True)
    target = make_user()
    editor = group("Editor")
    client.force_login(admin)
    url = reverse("admin:accounts_user_change", args=[target.pk])
    data = {
        "username": target.username,
        "email": target.email,
        "is_active": "on",
        "groups": [editor.pk],
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
        "initial-date_joined_0": "2026-01-01",
        "initial-date_joined_1": "10:00:00",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    target.refresh_from_db()
    assert target.is_staff


def test_mfa_required_group_must_set_up_totp_before_the_admin(client, settings):
    settings.ACCOUNTS_MFA_REQUIRED_GROUPS = ["Editor", "Moderator"]
    user = make_user()
    user.groups.add(group("Moderator"))
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert client.get(reverse("admin:index")).status_code == 200


def test_admin_flag_on_a_group_requires_mfa(client):
    user = make_user()
    editors = group("Editor")
    user.groups.add(editors)
    client.force_login(user)
    assert client.get(reverse("admin:index")).status_code == 200
    GroupPolicy.objects.create(group=editors, requires_mfa=True)
    assert client.get(reverse("admin:index")).url == reverse("mfa_activate_totp")


def test_superuser_sets_the_mfa_flag_in_the_group_admin(client):
    client.force_login(make_user(is_superuser=True, is_staff=True))
    response = client.post(
        reverse("admin:auth_group_add"),
        {
            "name": "Night desk",
            "policy-TOTAL_FORMS": "1",
            "policy-INITIAL_FORMS": "0",
            "policy-MIN_NUM_FORMS": "0",
            "policy-MAX_NUM_FORMS": "1",
            "policy-0-requires_mfa": "on",
        },
    )
    assert response.status_code == 302
    assert GroupPolicy.objects.get(group__name="Night desk").requires_mfa


def test_mfa_not_required_for_reporters_when_only_editors_must(client, settings):
    settings.ACCOUNTS_MFA_REQUIRED_GROUPS = ["Editor", "Moderator"]
    user = make_user()
    user.groups.add(group("Reporter"))
    client.force_login(user)
    assert client.get(reverse("admin:index")).status_code == 200


def test_staff_can_open_the_two_factor_page(client):
    user = make_user()
    user.groups.add(group("Editor"))
    client.force_login(user)
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code in (200, 302)
    if response.status_code == 302:  # allauth asks to re-enter the password first
        assert "reauthenticate" in response.url


@pytest.mark.parametrize("count", [3, 30])
def test_account_page_queries_stay_fixed_as_linked_accounts_grow(
    client, django_assert_num_queries, count
):
    user = make_user()
    for n in range(count):
        SocialAccount.objects.create(user=user, provider="github", uid=str(n))
    client.force_login(user)
    # user, social apps, social accounts (session cached), and the comments panel's
    # comments and subscriptions (registered by the comments app)
    with django_assert_num_queries(5):
        response = client.get(reverse("accounts:account"))
    assert response.content.decode().count("<li>GitHub") == count


def test_deleting_a_role_group_takes_staff_away_from_its_members():
    user = make_user()
    user.groups.add(group("Moderator"))
    group("Moderator").delete()
    user.refresh_from_db()
    assert not user.is_staff
