from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "trappen.core"
    label = "core"
    verbose_name = "Kerne"

    def ready(self) -> None:
        from trappen.core import access  # noqa: F401  registers the rules
