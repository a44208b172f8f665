from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        # Keep the role groups in sync on every migrate, and after a flush.
        post_migrate.connect(_sync_roles, sender=self)


def _sync_roles(sender, apps=None, **kwargs) -> None:
    from articles.roles import sync_roles

    sync_roles(apps or sender.apps)
