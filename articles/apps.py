from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_migrate, post_save, pre_delete, pre_save

        # Keep the role groups in sync on every migrate, and after a flush.
        post_migrate.connect(_sync_roles, sender=self)
        # A deleted article leaves every page it was on at once, not at the cache's TTL.
        pre_delete.connect(_article_deleted, sender=self.get_model("Article"))
        # An author's renamed page keeps its old URL; accounts cannot call articles (imports
        # point the other way), so articles listens for the username change.
        pre_save.connect(_user_saving, sender=get_user_model())
        post_save.connect(_user_saved, sender=get_user_model())


def _sync_roles(sender, apps=None, **kwargs) -> None:
    from articles.roles import sync_roles

    sync_roles(apps or sender.apps)


def _article_deleted(sender, instance, **kwargs) -> None:
    from articles.pages import article_pages_changed

    article_pages_changed(instance)


def _user_saving(sender, instance, update_fields=None, **kwargs) -> None:
    from articles.redirects import stored_value

    instance._stored_username = stored_value(instance, "username", update_fields)


def _user_saved(sender, instance, **kwargs) -> None:
    from articles.redirects import author_renamed

    author_renamed(instance, getattr(instance, "_stored_username", None))
