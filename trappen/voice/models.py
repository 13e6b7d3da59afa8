"""The child's voice: conversations with the child."""

from django.conf import settings
from django.db import models

from trappen.cases.models import Case


class ChildConversation(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="conversations")
    held_on = models.DateField("afholdt")
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    place = models.CharField("sted", max_length=200, blank=True)
    childs_views = models.TextField("barnets synspunkter", blank=True)
    is_synthetic = models.BooleanField(default=False)

    class Meta:
        verbose_name = "børnesamtale"
        verbose_name_plural = "børnesamtaler"
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"Børnesamtale {self.held_on:%d.%m.%Y}"
