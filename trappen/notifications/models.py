"""Notifications (underretninger), with their legal deadlines stored on the record."""

from django.conf import settings
from django.db import models

from trappen.core.models import Municipality, OrganisationalUnit
from trappen.core.vocabulary import ConcernLevel
from trappen.people.models import Child


class ReporterKind(models.TextChoices):
    """Who notified: Danmarks Statistik's reporter types (see docs/legal.md, statistics)."""

    SCHOOL = "school", "Skole, SFO og fritidstilbud"
    DAYCARE = "daycare", "Dagtilbud"
    HEALTH_VISITOR = "health_visitor", "Sundhedsplejen"
    HEALTH = "health", "Sundhedsvæsen (læge, hospital, tandpleje)"
    POLICE = "police", "Politi"
    MUNICIPALITY = "municipality", "Kommunal forvaltning"
    OTHER_MUNICIPALITY = "other_municipality", "Anden kommune"
    PROVIDER = "provider", "Udfører, anbringelsessted eller tilbud"
    PARENT = "parent", "Forælder"
    CHILD = "child", "Barnet eller den unge selv"
    FAMILY_NETWORK = "family_network", "Familie og netværk"
    CITIZEN = "citizen", "Anden borger"
    ANONYMOUS = "anonymous", "Anonym"
    OTHER = "other", "Andre"

    @classmethod
    def professional(cls) -> set[str]:
        """Reporters with a duty to notify (Barnets Lov § 133): they get a receipt and feedback."""
        return {
            cls.SCHOOL,
            cls.DAYCARE,
            cls.HEALTH_VISITOR,
            cls.HEALTH,
            cls.POLICE,
            cls.MUNICIPALITY,
            cls.OTHER_MUNICIPALITY,
            cls.PROVIDER,
        }


class NotificationReason(models.TextChoices):
    """Why: the reason categories Danmarks Statistik counts notifications by."""

    VIOLENCE = "violence", "Vold mod barnet"
    SEXUAL_ABUSE = "sexual_abuse", "Seksuelle overgreb mod barnet"
    NEGLECT = "neglect", "Omsorgssvigt"
    PARENT_SUBSTANCE = "parent_substance", "Forældres misbrug"
    PARENT_MENTAL_HEALTH = "parent_mental_health", "Forældres psykiske vanskeligheder"
    DOMESTIC_CONFLICT = "domestic_conflict", "Vold eller konflikter i hjemmet"
    CHILD_BEHAVIOUR = "child_behaviour", "Barnets adfærd eller trivsel"
    CHILD_SUBSTANCE = "child_substance", "Barnets misbrug"
    CRIME = "crime", "Kriminalitet"
    SCHOOL_ABSENCE = "school_absence", "Skolefravær"
    UNBORN = "unborn", "Bekymring for et ufødt barn"
    OTHER = "other", "Andet"


class Channel(models.TextChoices):
    """How the notification arrived. All three go through `services.submit_notification`."""

    PROFESSIONAL_FORM = "professional_form", "Fagpersonens formular"
    PUBLIC_FORM = "public_form", "Offentlig formular"
    API = "api", "Andet system (API)"


class NotificationStatus(models.TextChoices):
    NEW = "new", "Ny"
    ASSESSED = "assessed", "Vurderet (24 timer)"
    DECIDED = "decided", "Afgjort"


class Decision(models.TextChoices):
    """The screening decision (Barnets Lov § 18)."""

    NO_ACTION = "no_action", "Ingen yderligere handling"
    CLARIFICATION = "clarification", "Afdækning (§ 19)"
    INVESTIGATION = "investigation", "Børnefaglig undersøgelse (§ 20)"
    EXISTING_CASE = "existing_case", "Indgår i den igangværende sag"
    FORWARD = "forward", "Videresendt til anden kommune"


class Notification(models.Model):
    """One notification, however it arrived; its legal deadlines are stored when it is received."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="notifications"
    )
    channel = models.CharField(
        "indgang", max_length=20, choices=Channel.choices, default=Channel.PROFESSIONAL_FORM
    )
    received_at = models.DateTimeField("modtaget")
    # Who notified
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
    reporter_profession = models.CharField("faggruppe", max_length=100, blank=True)
    reporter_name = models.CharField("underretters navn", max_length=200, blank=True)
    reporter_phone = models.CharField("underretters telefon", max_length=30, blank=True)
    reporter_email = models.EmailField("underretters e-mail", blank=True)
    reporter_organisation = models.CharField("underretters arbejdssted", max_length=200, blank=True)
    is_anonymous = models.BooleanField("anonym", default=False)
    api_client = models.ForeignKey(
        "api.ApiClient", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The child: matched to a Child, or described when the CPR number is unknown
    child = models.ForeignKey(
        Child, null=True, blank=True, on_delete=models.PROTECT, related_name="notifications"
    )
    child_name = models.CharField("barnets navn", max_length=200, blank=True)
    child_birth_date = models.DateField("barnets fødselsdato", null=True, blank=True)
    child_address = models.CharField("barnets adresse", max_length=300, blank=True)
    siblings_note = models.TextField("søskende (oplyst)", blank=True)
    siblings = models.ManyToManyField(
        Child, blank=True, related_name="sibling_notifications", verbose_name="søskende"
    )
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
        verbose_name="sag",
    )
    is_repeat = models.BooleanField("gentagen underretning", default=False)
    # The concern
    concern = models.TextField("bekymring")
    areas = models.JSONField("bekymringsområder", default=list, blank=True)
    reasons = models.JSONField("årsager (Danmarks Statistik)", default=list, blank=True)
    level = models.PositiveSmallIntegerField(
        "niveau", choices=ConcernLevel.choices, null=True, blank=True
    )
    acute = models.BooleanField("underretter vurderer akut fare", default=False)
    wellbeing_assessment = models.ForeignKey(
        "early.WellbeingAssessment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    # Triage
    team = models.ForeignKey(
        OrganisationalUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.NEW
    )
    # The legal clock (core.calendar; the rules in docs/legal.md)
    assessment_due_at = models.DateTimeField("vurdering senest")
    receipt_due_on = models.DateField("kvittering senest", null=True, blank=True)
    feedback_due_on = models.DateField("tilbagemelding senest", null=True, blank=True)
    receipt_sent_at = models.DateTimeField(null=True, blank=True)
    feedback_sent_at = models.DateTimeField(null=True, blank=True)
    # The 24-hour assessment
    assessed_at = models.DateTimeField(null=True, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    danger = models.BooleanField("barnets sundhed eller udvikling er i fare", null=True)
    acute_measures = models.BooleanField("akutte foranstaltninger iværksat", null=True)
    assessment_note = models.TextField("vurdering", blank=True)
    # The screening decision (§ 18)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.CharField("beslutning", max_length=30, choices=Decision.choices, blank=True)
    decision_reason = models.TextField("begrundelse", blank=True)
    early_support = models.BooleanField("tidlig forebyggende indsats (§ 30)", default=False)
    immediate_measure = models.BooleanField("straksindsats (§ 32)", default=False)
    forwarded_to = models.CharField("videresendt til", max_length=100, blank=True)
    # Retries return the first result: "api:<client>:<key>" or "web:<form token>"
    idempotency_key = models.CharField(max_length=150, null=True, blank=True, unique=True)
    submission_hash = models.CharField(max_length=64, blank=True)
    is_synthetic = models.BooleanField(default=False)

    class Meta:
        verbose_name = "underretning"
        verbose_name_plural = "underretninger"
        ordering = ["assessment_due_at"]
        indexes = [
            models.Index(fields=["municipality", "status", "assessment_due_at"]),
            models.Index(fields=["team", "status", "assessment_due_at"]),
            models.Index(fields=["child", "received_at"]),
            models.Index(fields=["reporter_user", "-received_at"]),
        ]

    def __str__(self) -> str:
        return f"Underretning {self.reference}"

    @property
    def reference(self) -> str:
        """The number a notifier quotes to the municipality; it opens nothing by itself."""
        return f"U-{self.pk}"


class EventKind(models.TextChoices):
    RECEIVED = "received", "Modtaget"
    MATCHED = "matched", "Knyttet til barn"
    ASSIGNED = "assigned", "Fordelt"
    ASSESSED = "assessed", "Vurderet (24 timer)"
    DECIDED = "decided", "Beslutning truffet"
    RECEIPT_SENT = "receipt_sent", "Kvittering sendt"
    FEEDBACK_SENT = "feedback_sent", "Tilbagemelding sendt"
    LETTER_SENT = "letter_sent", "Brev sendt"
    REMINDER = "reminder", "Påmindelse"
    ESCALATED = "escalated", "Frist overskredet, sendt til teamleder"


class NotificationEvent(models.Model):
    """The notification's timeline, as the caseworker reads it (the audit log keeps the rest)."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="events")
    occurred_at = models.DateTimeField()
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d %H:%M}"


class DeadlineKind(models.TextChoices):
    ASSESSMENT = "assessment", "Vurdering inden for 24 timer"
    RECEIPT = "receipt", "Kvittering til fagperson"
    FEEDBACK = "feedback", "Tilbagemelding til fagperson"


class AlertLevel(models.TextChoices):
    REMINDER = "reminder", "Påmindelse"
    ESCALATION = "escalation", "Overskredet frist"


class DeadlineAlert(models.Model):
    """A reminder to the caseworker, or a breached deadline escalated to the team leader.

    Unique per notification, deadline, level and recipient, so the deadline task can run as
    often as it likes without raising an alert twice.
    """

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="alerts")
    deadline = models.CharField(max_length=12, choices=DeadlineKind.choices)
    level = models.CharField(max_length=12, choices=AlertLevel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deadline_alerts"
    )
    due_at = models.DateTimeField()
    created_at = models.DateTimeField()
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "deadline", "level", "recipient"],
                name="one_alert_per_deadline_level_recipient",
            )
        ]
        indexes = [models.Index(fields=["recipient", "seen_at"])]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.get_deadline_display()}"
