from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from accounts import signals  # noqa: F401 - connects the staff-status handler
        from core import backup

        # Keep the role groups (and what the apps registered for them) in sync on every
        # migrate, and after a flush.
        post_migrate.connect(_sync_roles, sender=self)
        backup.register_part(
            checked=["accounts.User"],
            # Rate-limit counts kept during a cache outage: worthless after a restore.
            excluded=["accounts.ratelimitfallbackentry"],
        )


def _sync_roles(sender, apps=None, **kwargs) -> None:
    from accounts.roles import sync_roles

    sync_roles(apps or sender.apps)
