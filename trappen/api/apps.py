from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "trappen.api"
    label = "api"
    verbose_name = "API"
