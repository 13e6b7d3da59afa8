from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "trappen.offers"
    label = "offers"
    verbose_name = "Tilbud"
