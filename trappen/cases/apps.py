from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "trappen.cases"
    label = "cases"
    verbose_name = "Sager"

    def ready(self) -> None:
        from trappen.cases import next_deadline  # noqa: F401 (connects its signal receivers)
