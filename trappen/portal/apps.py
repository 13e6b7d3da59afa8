from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "trappen.portal"
    label = "portal"
    verbose_name = "Borgerportal"
