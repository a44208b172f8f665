from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Comments"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_sync_comment_roles, sender=self)

        # The reader's account page, data export and erasure include their comments.
        from accounts import privacy
        from comments.services import (
            comment_export_for,
            comments_erase_for,
            subscription_export_for,
        )

        privacy.register_exporter("comments", comment_export_for)
        privacy.register_exporter("reply_subscriptions", subscription_export_for)
        privacy.register_eraser(comments_erase_for)
        privacy.register_account_panel("comments/_account_panel.html")


def _sync_comment_roles(sender, apps=None, **kwargs) -> None:
    from comments.roles import grant_comment_roles

    grant_comment_roles(apps or sender.apps)
