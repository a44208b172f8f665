from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared layer every app uses; an app for its management commands, its system
    checks and its one table, the pending edge purges."""

    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from core import checks  # noqa: F401 (registers the system checks)
