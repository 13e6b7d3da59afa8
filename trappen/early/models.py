"""Early detection: wellbeing assessments on the shared scale, what was shared and on what legal
basis, anonymous consultations with the outreach social worker, and early help at steps 0–1."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from trappen.core.models import Municipality, OrganisationalUnit
from trappen.core.vocabulary import ConcernLevel, Step
from trappen.offers.models import Offer
from trappen.people.models import Child, Guardian


class WellbeingAssessment(models.Model):
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="assessments")
    unit = models.ForeignKey(OrganisationalUnit, on_delete=models.PROTECT, related_name="+")
    # the child's group or class when assessed, so the unit's overview can be read per group
    group_name = models.CharField("stue/klasse", max_length=50, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    assessed_on = models.DateField("vurderet den")
    level = models.PositiveSmallIntegerField("niveau", choices=ConcernLevel.choices)
    areas = models.JSONField("bekymringsområder", default=list, blank=True)
    observations = models.TextField("hvad ser du", blank=True)
    agreed = models.TextField("aftalt", blank=True)
    agreed_with = models.CharField("aftalt med", max_length=300, blank=True)
    follow_up_by = models.CharField("hvem følger op", max_length=200, blank=True)
    parents_informed = models.BooleanField("forældre informeret", default=True)
    parents_not_informed_reason = models.TextField(
        "hvorfor forældrene ikke er informeret", blank=True
    )
    look_again_on = models.DateField("vurderes igen", null=True, blank=True)
    recorded_at = models.DateTimeField("registreret", default=timezone.now)
    # the form's one-time token: a retried POST returns this assessment instead of a second one
    form_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    is_synthetic = models.BooleanField(default=False)

    class Meta:
        verbose_name = "trivselsvurdering"
        verbose_name_plural = "trivselsvurderinger"
        ordering = ["-assessed_on"]
        indexes = [
            models.Index(fields=["child", "-assessed_on"]),
            models.Index(fields=["unit", "assessed_on"]),
        ]

    def __str__(self) -> str:
        return f"Trivselsvurdering {self.assessed_on:%d.%m.%Y}"


class SharingRecipient(models.TextChoices):
    OUTREACH = "outreach", "Den fremskudte socialrådgiver"
    HEALTH_SERVICE = "health_service", "Sundhedsplejen"
    SCHOOL = "school", "Skole eller SFO"
    DAYCARE = "daycare", "Dagtilbud"
    PPR = "ppr", "Pædagogisk Psykologisk Rådgivning (PPR)"
    OTHER = "other", "Anden fagperson i kommunen"


class SharingBasis(models.TextChoices):
    """The legal basis on which something identifying leaves the unit (docs/legal.md)."""

    CONSENT = "consent", "Samtykke fra forældremyndighedsindehaveren"
    EARLY_COOPERATION = (
        "early_cooperation",
        "Nødvendig udveksling i det tidlige forebyggende samarbejde (uden samtykke)",
    )
    NOTIFICATION = "notification", "Underretning til kommunen"


class InformationSharing(models.Model):
    """One sharing of an assessment outside the unit: with whom, when, and on what basis."""

    assessment = models.ForeignKey(
        WellbeingAssessment, on_delete=models.CASCADE, related_name="sharings"
    )
    # the child and the unit the information leaves, kept for the access filter
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="sharings")
    unit = models.ForeignKey(OrganisationalUnit, on_delete=models.PROTECT, related_name="+")
    recipient = models.CharField("delt med", max_length=20, choices=SharingRecipient.choices)
    recipient_detail = models.CharField("navn eller funktion", max_length=200, blank=True)
    basis = models.CharField("hjemmel", max_length=20, choices=SharingBasis.choices)
    consent_from = models.CharField("samtykke fra", max_length=200, blank=True)
    purpose = models.CharField("formål", max_length=300)
    shared_on = models.DateField("delt den")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    form_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    is_synthetic = models.BooleanField(default=False)

    class Meta:
        verbose_name = "deling af oplysninger"
        verbose_name_plural = "delinger af oplysninger"
        ordering = ["shared_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(basis="consent") | ~Q(consent_from=""),
                name="sharing_on_consent_names_who_consented",
            )
        ]

    def __str__(self) -> str:
        return f"Deling {self.shared_on:%d.%m.%Y}"


class ConsultationSlot(models.Model):
    """A time the outreach social worker keeps free for consultations about one school or
    daycare; professionals of the unit book it, and parents too when it is open to them."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        OrganisationalUnit, on_delete=models.PROTECT, related_name="consultation_slots"
    )
    outreach_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consultation_slots"
    )
    starts_at = models.DateTimeField("tidspunkt")
    minutes = models.PositiveSmallIntegerField("varighed (minutter)", default=30)
    place = models.CharField("sted", max_length=200)
    open_to_parents = models.BooleanField("kan bookes af forældre", default=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    is_synthetic = models.BooleanField(default=False)

    class Meta:
        verbose_name = "sparringstid"
        verbose_name_plural = "sparringstider"
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["unit", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=10) & Q(minutes__lte=240), name="slot_length_sensible"
            )
        ]

    def __str__(self) -> str:
        return f"Sparringstid {timezone.localtime(self.starts_at):%d.%m.%Y %H:%M}"


class RequesterKind(models.TextChoices):
    PROFESSIONAL = "professional", "Fagperson"
    PARENT = "parent", "Forælder"


class AgeBand(models.TextChoices):
    """Age without a birth date: the consultation must not identify the child."""

    AGE_0_2 = "0_2", "0–2 år"
    AGE_3_5 = "3_5", "3–5 år"
    AGE_6_9 = "6_9", "6–9 år"
    AGE_10_13 = "10_13", "10–13 år"
    AGE_14_17 = "14_17", "14–17 år"


class ConsultationStatus(models.TextChoices):
    BOOKED = "booked", "Booket"
    HELD = "held", "Afholdt"
    CANCELLED = "cancelled", "Aflyst"


class ConsultationOutcome(models.TextChoices):
    ADVICE = "advice", "Råd og vejledning"
    PARENT_MEETING = "parent_meeting", "Møde med forældrene"
    EARLY_HELP = "early_help", "Tidlig indsats"
    SHOULD_NOTIFY = "should_notify", "Fagpersonen bør underrette"


class Consultation(models.Model):
    """Anonymous advice about a child who is not identified: no CPR number, name or address is
    ever stored (the free text is cleaned by early/redaction.py before it is saved)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        OrganisationalUnit, on_delete=models.PROTECT, related_name="consultations"
    )
    slot = models.ForeignKey(
        ConsultationSlot,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    requester_kind = models.CharField("spurgt af", max_length=20, choices=RequesterKind.choices)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requested_consultations",
    )
    age_band = models.CharField("alder", max_length=8, choices=AgeBand.choices, blank=True)
    level = models.PositiveSmallIntegerField(
        "niveau", choices=ConcernLevel.choices, null=True, blank=True
    )
    areas = models.JSONField("bekymringsområder", default=list, blank=True)
    concern = models.TextField("bekymringen", blank=True)
    # a parent's way to be called back, kept only until the consultation is held or cancelled
    callback_phone = models.CharField("telefon", max_length=30, blank=True)
    status = models.CharField(
        max_length=12, choices=ConsultationStatus.choices, default=ConsultationStatus.BOOKED
    )
    outcome = models.CharField(
        "udfald", max_length=20, choices=ConsultationOutcome.choices, blank=True
    )
    outcome_note = models.TextField("rådgivningen", blank=True)
    held_on = models.DateField("afholdt", null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # how many CPR numbers, names, addresses, phone numbers were removed from the free text
    redactions = models.PositiveSmallIntegerField(default=0)
    booking_code = models.CharField(max_length=40, unique=True)
    form_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    is_synthetic = models.BooleanField(default=False)

    class Meta:
        verbose_name = "anonym sparring"
        verbose_name_plural = "anonyme sparringer"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["unit", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=~Q(status="cancelled"),
                name="one_live_booking_per_slot",
            ),
            models.CheckConstraint(
                condition=~Q(status="held") | (~Q(outcome="") & Q(held_on__isnull=False)),
                name="held_consultation_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"Sparring {self.pk}"


class EarlyHelpEnd(models.TextChoices):
    GOAL_MET = "goal_met", "Målet er nået"
    NOTIFIED = "notified", "Underretning sendt; sagen overgår til myndighed"
    CONSENT_WITHDRAWN = "consent_withdrawn", "Forældrene trak samtykket tilbage"
    MOVED = "moved", "Barnet er flyttet"
    OTHER = "other", "Andet"


class EarlyHelp(models.Model):
    """Help at step 0 or 1 started by the outreach social worker with the custody holders'
    consent, without a case (barnets lov § 30; docs/legal.md). It counts on the staircase."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="early_help")
    unit = models.ForeignKey(
        OrganisationalUnit, on_delete=models.PROTECT, related_name="early_help"
    )
    offer = models.ForeignKey(
        Offer, null=True, blank=True, on_delete=models.PROTECT, related_name="early_help"
    )
    title = models.CharField("indsats", max_length=200)
    step = models.PositiveSmallIntegerField("trin", choices=Step.choices)
    purpose = models.TextField("formål", blank=True)
    started_on = models.DateField("start")
    ended_on = models.DateField("slut", null=True, blank=True)
    end_reason = models.CharField(
        "afsluttet fordi", max_length=20, choices=EarlyHelpEnd.choices, blank=True
    )
    end_note = models.CharField("bemærkning", max_length=500, blank=True)
    consent_on = models.DateField("samtykke givet")
    consenting_guardians = models.ManyToManyField(
        Guardian, related_name="early_help_consents", verbose_name="samtykke fra"
    )
    consultation = models.ForeignKey(
        Consultation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessment = models.ForeignKey(
        WellbeingAssessment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="early_help",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    is_synthetic = models.BooleanField(default=False)

    class Meta:
        verbose_name = "tidlig indsats"
        verbose_name_plural = "tidlige indsatser"
        ordering = ["started_on", "pk"]
        indexes = [
            models.Index(fields=["unit", "ended_on"]),
            models.Index(fields=["child", "started_on"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(step__lte=1), name="early_help_at_steps_0_1"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="early_help_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(consent_on__lte=F("started_on")), name="early_help_consent_first"
            ),
        ]

    def __str__(self) -> str:
        return self.title
