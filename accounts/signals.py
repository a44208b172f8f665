"""Keep staff status in step with role groups, whichever side of the m2m changes; expire
the cached list of social logins when a social app changes; tell the apps above when the
name or picture readers see of a user changed (``identity_changed``)."""

from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import Signal, receiver

from accounts.caching import social_apps_changed
from accounts.models import User
from accounts.services import user_sync_staff


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="accounts_sync_staff")
def groups_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action not in {"post_add", "post_remove", "post_clear", "pre_clear"}:
        return
    if isinstance(instance, Group):
        if action == "pre_clear":  # the members are unknown after the clear
            instance._clearing_user_ids = list(instance.user_set.values_list("pk", flat=True))
            return
        ids = pk_set if action != "post_clear" else getattr(instance, "_clearing_user_ids", [])
        for user in User.objects.filter(pk__in=ids or []):
            user_sync_staff(user=user)
    elif action != "pre_clear":
        user_sync_staff(user=instance)


@receiver(pre_delete, sender=Group, dispatch_uid="accounts_group_deleting")
def group_deleting(sender, instance, **kwargs) -> None:
    # Deleting a group removes its memberships without m2m_changed: remember the members.
    instance._member_ids = list(instance.user_set.values_list("pk", flat=True))


@receiver(post_delete, sender=Group, dispatch_uid="accounts_group_deleted")
def group_deleted(sender, instance, **kwargs) -> None:
    for user in User.objects.filter(pk__in=getattr(instance, "_member_ids", [])):
        user_sync_staff(user=user)


def connect_social_apps() -> None:
    from allauth.socialaccount.models import SocialApp

    post_save.connect(social_apps_changed, sender=SocialApp, dispatch_uid="accounts_social_saved")
    post_delete.connect(social_apps_changed, sender=SocialApp, dispatch_uid="accounts_social_gone")
    m2m_changed.connect(
        social_apps_changed, sender=SocialApp.sites.through, dispatch_uid="accounts_social_sites"
    )


connect_social_apps()


# What readers see of a person: bylines and comment threads show these (get_display_name
# falls back to the names, then the username; the avatar beside them).
PUBLIC_FIELDS = ("username", "display_name", "first_name", "last_name", "avatar")
# Sent after a save that changed one of PUBLIC_FIELDS, with ``user`` and ``old_username``:
# articles and comments expire the pages showing them (accounts cannot import those apps).
identity_changed = Signal()


@receiver(pre_save, sender=User, dispatch_uid="accounts_identity_saving")
def identity_saving(sender, instance, update_fields=None, raw=False, **kwargs) -> None:
    """Remember the stored public fields a save may change (one query; none for a new
    user, a fixture load, or a save of other fields only, such as a login's last_login)."""
    instance._stored_identity = None
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and not set(PUBLIC_FIELDS) & set(update_fields):
        return
    instance._stored_identity = (
        User.objects.filter(pk=instance.pk).values_list(*PUBLIC_FIELDS).first()
    )


@receiver(post_save, sender=User, dispatch_uid="accounts_identity_saved")
def identity_saved(sender, instance, raw=False, **kwargs) -> None:
    stored, instance._stored_identity = getattr(instance, "_stored_identity", None), None
    if stored is None:
        return
    now = tuple(str(getattr(instance, field) or "") for field in PUBLIC_FIELDS)
    if now != tuple(str(value or "") for value in stored):
        identity_changed.send(sender=User, user=instance, old_username=stored[0])
