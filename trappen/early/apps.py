from django.apps import AppConfig


class EarlyConfig(AppConfig):
    name = "trappen.early"
    label = "early"
    verbose_name = "Tidlig opsporing"
