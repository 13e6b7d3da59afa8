from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "trappen.cases"
    label = "cases"
    verbose_name = "Sager"
