"""Routes of early detection: figures."""

from django.urls import path

from trappen.early.views import figures

urlpatterns: list = [
    path("tidlig-opsporing/tal/", figures.figures_page, name="figures"),
]
