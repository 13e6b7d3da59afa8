"""The range of offers (tilbudsvifte)."""

from django.db import models

from trappen.core.models import Municipality, OrganisationalUnit
from trappen.core.vocabulary import Step


class Offer(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="offers")
    name = models.CharField("navn", max_length=200)
    description = models.TextField("beskrivelse", blank=True)
    step = models.PositiveSmallIntegerField("trin", choices=Step.choices)
    legal_basis = models.CharField("lovgrundlag", max_length=50, blank=True)
    provider = models.ForeignKey(
        OrganisationalUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="offers"
    )
    monthly_cost = models.DecimalField("pris pr. måned", max_digits=10, decimal_places=0, default=0)
    is_public = models.BooleanField("vises for borgere", default=True)

    class Meta:
        verbose_name = "tilbud"
        verbose_name_plural = "tilbud"
        ordering = ["step", "name"]

    def __str__(self) -> str:
        return self.name
