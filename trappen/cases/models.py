"""Cases, investigations, interventions on the staircase, step movements and follow-ups."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from trappen.core.models import Municipality, OrganisationalUnit
from trappen.core.vocabulary import Step
from trappen.offers.models import Offer
from trappen.people.models import Child


class CaseSource(models.TextChoices):
    NOTIFICATION = "notification", "Underretning"
    EARLY_DETECTION = "early", "Tidlig opsporing"
    APPLICATION = "application", "Ansøgning fra familien"
    CASEWORKER = "caseworker", "Oprettet af rådgiver"


class Case(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="cases")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="cases")
    team = models.ForeignKey(OrganisationalUnit, on_delete=models.PROTECT, related_name="cases")
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    source = models.CharField("kilde", max_length=20, choices=CaseSource.choices)
    opened_on = models.DateField("oprettet")
    closed_on = models.DateField("lukket", null=True, blank=True)
    is_synthetic = models.BooleanField(default=False)

    class Meta:
        verbose_name = "sag"
        verbose_name_plural = "sager"
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "child"],
                condition=Q(closed_on__isnull=True),
                name="one_open_case_per_child",
            )
        ]
        indexes = [models.Index(fields=["team", "closed_on"])]

    def __str__(self) -> str:
        return f"Sag {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class CaseworkerAssignment(models.Model):
    """The history of who has been the case's caseworker."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["started_on"]

    def __str__(self) -> str:
        return f"Rådgiver fra {self.started_on:%d.%m.%Y}"


class Investigation(models.Model):
    """Børnefaglig undersøgelse (Barnets Lov § 20)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="investigations")
    started_on = models.DateField("påbegyndt")
    due_on = models.DateField("frist")
    completed_on = models.DateField("afsluttet", null=True, blank=True)
    conclusion = models.TextField("konklusion", blank=True)

    class Meta:
        verbose_name = "børnefaglig undersøgelse"
        verbose_name_plural = "børnefaglige undersøgelser"

    def __str__(self) -> str:
        return f"Børnefaglig undersøgelse (frist {self.due_on:%d.%m.%Y})"


class Intervention(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="interventions")
    offer = models.ForeignKey(
        Offer, null=True, blank=True, on_delete=models.PROTECT, related_name="interventions"
    )
    title = models.CharField("indsats", max_length=200)
    legal_basis = models.CharField("lovgrundlag", max_length=50, blank=True)
    step = models.PositiveSmallIntegerField("trin", choices=Step.choices)
    provider = models.ForeignKey(
        OrganisationalUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interventions",
    )
    is_immediate = models.BooleanField("straks-indsats", default=False)
    granted_on = models.DateField("bevilget", null=True, blank=True)
    start_on = models.DateField("start")
    end_on = models.DateField("slut", null=True, blank=True)
    monthly_cost = models.DecimalField("pris pr. måned", max_digits=10, decimal_places=0, default=0)
    is_synthetic = models.BooleanField(default=False)

    class Meta:
        verbose_name = "indsats"
        verbose_name_plural = "indsatser"
        ordering = ["start_on"]
        indexes = [models.Index(fields=["provider", "end_on"])]

    def __str__(self) -> str:
        return self.title


class StepMovement(models.Model):
    """A move of the child on the staircase: from step, to step, date and reason."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="step_movements")
    from_step = models.PositiveSmallIntegerField(choices=Step.choices, null=True, blank=True)
    to_step = models.PositiveSmallIntegerField(choices=Step.choices, null=True, blank=True)
    moved_on = models.DateField()
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["moved_on", "pk"]

    def __str__(self) -> str:
        return f"Trin {self.from_step} → {self.to_step} ({self.moved_on:%d.%m.%Y})"


class FollowUpDecision(models.TextChoices):
    CONTINUE = "continue", "Fortsæt"
    ADJUST = "adjust", "Justér"
    STEP_DOWN = "step_down", "Trin ned"
    STEP_UP = "step_up", "Trin op"
    END = "end", "Afslut"


class FollowUp(models.Model):
    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="follow_ups"
    )
    due_on = models.DateField("frist")
    held_on = models.DateField("afholdt", null=True, blank=True)
    decision = models.CharField(max_length=10, choices=FollowUpDecision.choices, blank=True)
    progress = models.PositiveSmallIntegerField("fremskridt (0-10)", null=True, blank=True)

    class Meta:
        verbose_name = "opfølgning"
        verbose_name_plural = "opfølgninger"
        ordering = ["due_on"]

    def __str__(self) -> str:
        return f"Opfølgning {self.due_on:%d.%m.%Y}"
