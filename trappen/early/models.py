"""Early detection: wellbeing assessments on the shared scale."""

from django.conf import settings
from django.db import models

from trappen.core.models import OrganisationalUnit
from trappen.core.vocabulary import ConcernLevel
from trappen.people.models import Child


class WellbeingAssessment(models.Model):
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="assessments")
    unit = models.ForeignKey(OrganisationalUnit, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    assessed_on = models.DateField("vurderet den")
    level = models.PositiveSmallIntegerField("niveau", choices=ConcernLevel.choices)
    areas = models.JSONField("bekymringsområder", default=list, blank=True)
    agreed = models.TextField("aftalt", blank=True)
    parents_informed = models.BooleanField("forældre informeret", default=True)
    look_again_on = models.DateField("vurderes igen", null=True, blank=True)
    is_synthetic = models.BooleanField(default=False)

    class Meta:
        verbose_name = "trivselsvurdering"
        verbose_name_plural = "trivselsvurderinger"
        ordering = ["-assessed_on"]
        indexes = [models.Index(fields=["child", "-assessed_on"])]

    def __str__(self) -> str:
        return f"Trivselsvurdering {self.assessed_on:%d.%m.%Y}"
