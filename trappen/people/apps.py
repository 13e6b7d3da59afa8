from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "trappen.people"
    label = "people"
    verbose_name = "Personer"
