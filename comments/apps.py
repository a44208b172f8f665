from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Comments"

    def ready(self) -> None:
        from accounts import roles
        from comments.roles import EDITOR, MODERATOR
        from core import backup

        # The roles' comment permissions (accounts keeps the groups in sync).
        roles.register_role("Moderator", [("comments", c) for c in MODERATOR])
        roles.register_role("Editor", [("comments", c) for c in EDITOR])
        backup.register_part(
            checked=["comments.Comment"],
            # Kept by the database's triggers as the comments are restored.
            excluded=["comments.threadcount"],
        )

        # The reader's account page, data export and erasure include their comments.
        from accounts import privacy
        from comments.privacy import (
            comment_export_for,
            comments_erase_for,
            reader_erase_for,
            reader_export_for,
            subscription_export_for,
        )

        privacy.register_exporter("comments", comment_export_for)
        privacy.register_exporter("reply_subscriptions", subscription_export_for)
        privacy.register_eraser(comments_erase_for)
        privacy.register_exporter("reports_and_reactions", reader_export_for)
        privacy.register_eraser(reader_erase_for)
        privacy.register_account_panel("comments/_account_panel.html")

        # A commenter's new name or picture: the threads showing them expire at once.
        from accounts.signals import identity_changed

        identity_changed.connect(_identity_changed, dispatch_uid="comments_identity_changed")
        # An account deleted anywhere (the admin too): its likes come off the counts.
        from django.contrib.auth import get_user_model
        from django.db.models.signals import pre_delete

        pre_delete.connect(_user_deleting, sender=get_user_model(), dispatch_uid="comments_likes")


def _user_deleting(sender, instance, **kwargs) -> None:
    from comments.privacy import likes_taken_back

    likes_taken_back(instance)


def _identity_changed(sender, user, **kwargs) -> None:
    from comments.caching import speaker_changed

    speaker_changed(user.pk)
