from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate, pre_delete

        # Keep the role groups in sync on every migrate, and after a flush.
        post_migrate.connect(_sync_roles, sender=self)
        # A deleted article leaves every page it was on at once, not at the cache's TTL.
        pre_delete.connect(_article_deleted, sender=self.get_model("Article"))


def _sync_roles(sender, apps=None, **kwargs) -> None:
    from articles.roles import sync_roles

    sync_roles(apps or sender.apps)


def _article_deleted(sender, instance, **kwargs) -> None:
    from articles.pages import article_pages_changed

    article_pages_changed(instance)
