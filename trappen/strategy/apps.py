from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "trappen.strategy"
    label = "strategy"
    verbose_name = "Strategi og nøgletal"
