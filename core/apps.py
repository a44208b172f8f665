from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared layer every app uses; an app (for its management commands) with no models."""

    name = "core"
    verbose_name = "Core"
