from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared layer every app uses; an app for its management commands, its system
    checks and its tables: the pending edge purges and the imported rows deleted here."""

    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.apps import apps
        from django.db.models.signals import post_delete

        from core import checks  # noqa: F401 (registers the system checks)
        from core.models import ImportedRow, remember_deletion

        # Per model, not for every sender: a receiver for all would stop Django's fast
        # deletes (sessions, cache rows) everywhere.
        for model in apps.get_models():
            if issubclass(model, ImportedRow):
                post_delete.connect(
                    remember_deletion, sender=model, dispatch_uid=f"import-deleted-{model}"
                )
