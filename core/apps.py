from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared layer every app uses; an app for its management commands and its one
    table, the pending edge purges."""

    name = "core"
    verbose_name = "Core"
