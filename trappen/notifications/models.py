"""Notifications (underretninger), with their legal deadlines stored on the record."""

from django.conf import settings
from django.db import models

from trappen.core.models import Municipality, OrganisationalUnit
from trappen.core.vocabulary import ConcernLevel
from trappen.people.models import Child


class ReporterKind(models.TextChoices):
    """Who notified, in the categories Danmarks Statistik counts."""

    SCHOOL = "school", "Skole"
    DAYCARE = "daycare", "Dagtilbud"
    HEALTH = "health", "Sundhedsvæsen"
    POLICE = "police", "Politi"
    MUNICIPALITY = "municipality", "Kommunal forvaltning"
    PARENT = "parent", "Forælder"
    CHILD = "child", "Barnet selv"
    FAMILY_NETWORK = "family_network", "Familie og netværk"
    CITIZEN = "citizen", "Anden borger"
    ANONYMOUS = "anonymous", "Anonym"
    OTHER = "other", "Andre"


class NotificationStatus(models.TextChoices):
    NEW = "new", "Ny"
    ASSESSED = "assessed", "Vurderet inden for 24 timer"
    DECIDED = "decided", "Afgjort"


class Notification(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="notifications"
    )
    child = models.ForeignKey(
        Child, null=True, blank=True, on_delete=models.PROTECT, related_name="notifications"
    )
    received_at = models.DateTimeField("modtaget")
    reporter_kind = models.CharField("underretter", max_length=20, choices=ReporterKind.choices)
    reporter_unit = models.ForeignKey(
        OrganisationalUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reporter_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submitted_notifications",
    )
    team = models.ForeignKey(
        OrganisationalUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    concern = models.TextField("bekymring")
    areas = models.JSONField("bekymringsområder", default=list, blank=True)
    level = models.PositiveSmallIntegerField(
        "niveau", choices=ConcernLevel.choices, null=True, blank=True
    )
    acute = models.BooleanField("akut fare", default=False)
    status = models.CharField(
        max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.NEW
    )
    assessment_due_at = models.DateTimeField("vurdering senest")
    receipt_due_on = models.DateField("kvittering senest", null=True, blank=True)
    assessed_at = models.DateTimeField(null=True, blank=True)
    receipt_sent_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=30, blank=True)
    idempotency_key = models.CharField(max_length=100, null=True, blank=True, unique=True)
    is_synthetic = models.BooleanField(default=False)

    class Meta:
        verbose_name = "underretning"
        verbose_name_plural = "underretninger"
        ordering = ["assessment_due_at"]
        indexes = [
            models.Index(fields=["municipality", "status", "assessment_due_at"]),
            models.Index(fields=["child", "received_at"]),
        ]

    def __str__(self) -> str:
        return f"Underretning {self.pk}"
