from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared core as a Django app, for the one model it owns: the outbox."""

    name = "caspa.core"
    label = "core"
    verbose_name = "Core"
