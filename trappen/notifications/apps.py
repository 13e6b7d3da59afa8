from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "trappen.notifications"
    label = "notifications"
    verbose_name = "Underretninger"
