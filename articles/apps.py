from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self) -> None:
        from django.db.models.signals import pre_delete

        from accounts import profiles, roles
        from articles import roles as article_roles
        from core import backup

        # The roles' article permissions (accounts keeps the groups in sync).
        for name, permissions in article_roles.ROLES.items():
            roles.register_role(name, permissions)
        # A user's public page is their author page.
        profiles.register_profile_url(_author_url)
        backup.register_part(
            checked=["articles.Article", "reversion.Version"],
            scrub={"articles.previewlink": _new_preview_token},
        )
        # A deleted article leaves every page it was on at once, not at the cache's TTL.
        pre_delete.connect(_article_deleted, sender=self.get_model("Article"))
        # An author's new name or picture: every page with their byline expires at once, and
        # a renamed author's page keeps its old URL. accounts cannot call articles (imports
        # point the other way), so articles listens for accounts' signal.
        from accounts.signals import identity_changed

        identity_changed.connect(_identity_changed, dispatch_uid="articles_identity_changed")


def _author_url(user) -> str:
    from core.reversing import cached_reverse

    return cached_reverse("articles:author", kwargs={"username": user.username})


def _new_preview_token(row) -> None:
    from articles.models import new_token

    row.token = new_token()  # the old token would still open the unpublished article


def _article_deleted(sender, instance, **kwargs) -> None:
    from articles.caching import article_pages_changed

    article_pages_changed(instance)


def _identity_changed(sender, user, old_username: str, **kwargs) -> None:
    from articles.caching import byline_changed
    from articles.redirects import author_renamed

    author_renamed(user, old_username)
    byline_changed(user, old_username)
