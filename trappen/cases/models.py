"""Cases, investigations, interventions on the staircase, step movements and follow-ups."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from trappen.core.models import Municipality, OrganisationalUnit
from trappen.core.vocabulary import IcsDimension, Step
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
    closing_reason = models.CharField("begrundelse for lukning", max_length=500, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_assessment = models.ForeignKey(
        "early.WellbeingAssessment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
        verbose_name="trivselsvurdering",
    )
    is_synthetic = models.BooleanField(default=False)
    # The earliest open deadline of each kind and of all three, kept by cases/next_deadline.py
    # after every change of an investigation, a follow-up or a plan (the caseload sorts and
    # filters by next_due_on in the database).
    investigation_due_on = models.DateField(null=True, blank=True, editable=False)
    follow_up_due_on = models.DateField(null=True, blank=True, editable=False)
    plan_due_on = models.DateField(null=True, blank=True, editable=False)
    next_due_on = models.DateField("næste frist", null=True, blank=True, editable=False)

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
        indexes = [
            models.Index(fields=["team", "closed_on", "next_due_on"]),
            # the child's cases in a municipality (the case page's history reads them per kind)
            models.Index(fields=["child", "municipality"]),
        ]

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
    reason = models.CharField("begrundelse", max_length=300, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["started_on", "pk"]
        indexes = [models.Index(fields=["case", "ended_on"])]

    def __str__(self) -> str:
        return f"Rådgiver fra {self.started_on:%d.%m.%Y}"


class Investigation(models.Model):
    """Børnefaglig undersøgelse (Barnets Lov § 20)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="investigations")
    started_on = models.DateField("påbegyndt")
    due_on = models.DateField("frist")
    completed_on = models.DateField("afsluttet", null=True, blank=True)
    conclusion = models.TextField("konklusion", blank=True)
    aware_on = models.DateField("kommunen blev opmærksom", null=True, blank=True)
    reason = models.TextField("begrundelse for undersøgelsen", blank=True)
    recommendation = models.TextField("anbefaling", blank=True)
    recommended_step = models.PositiveSmallIntegerField(
        "anbefalet trin", choices=Step.choices, null=True, blank=True
    )
    child_conversation = models.ForeignKey(
        "voice.ChildConversation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="investigations",
        verbose_name="børnesamtale",
    )
    # Barnets lov § 20, stk. 3: when 4 months cannot be kept, a preliminary assessment.
    preliminary_assessment = models.TextField("foreløbig vurdering", blank=True)
    preliminary_assessed_on = models.DateField("foreløbig vurdering den", null=True, blank=True)
    expected_completion_on = models.DateField("forventet afsluttet", null=True, blank=True)
    triggered_by_sibling = models.ForeignKey(
        "SiblingAssessment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="investigations",
    )

    class Meta:
        verbose_name = "børnefaglig undersøgelse"
        verbose_name_plural = "børnefaglige undersøgelser"

    def __str__(self) -> str:
        return f"Børnefaglig undersøgelse (frist {self.due_on:%d.%m.%Y})"


class InvestigationArea(models.Model):
    """What the investigation found in one ICS dimension (barnets lov § 22)."""

    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="areas")
    dimension = models.CharField("område", max_length=20, choices=IcsDimension.choices)
    resources = models.TextField("ressourcer", blank=True)
    concerns = models.TextField("bekymringer", blank=True)

    class Meta:
        verbose_name = "undersøgelsesområde"
        verbose_name_plural = "undersøgelsesområder"
        constraints = [
            models.UniqueConstraint(
                fields=["investigation", "dimension"], name="one_finding_per_ics_dimension"
            )
        ]

    def __str__(self) -> str:
        return self.get_dimension_display()


class SiblingOutcome(models.TextChoices):
    INVESTIGATE = "investigate", "Søskende undersøges (§ 21)"
    NOT_NEEDED = "not_needed", "Åbenbart ikke nødvendigt"


class SiblingAssessment(models.Model):
    """Barnets lov § 21, stk. 2: when a child is placed, siblings under 15 in the household are
    flagged for an investigation, unless it is obviously not needed (recorded with a reason)."""

    placed_case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="sibling_assessments"
    )
    placement = models.ForeignKey(
        "Intervention", on_delete=models.CASCADE, related_name="sibling_assessments"
    )
    sibling = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    flagged_on = models.DateField("markeret")
    decided_on = models.DateField("besluttet", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=SiblingOutcome.choices, blank=True)
    reason = models.TextField("begrundelse", blank=True)

    class Meta:
        verbose_name = "vurdering af søskende"
        verbose_name_plural = "vurderinger af søskende"
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "sibling"], name="one_sibling_assessment_per_placement"
            )
        ]

    def __str__(self) -> str:
        return f"Søskendevurdering {self.flagged_on:%d.%m.%Y}"


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
    # § 32, stk. 3: the decision states the purpose and the expected duration.
    purpose = models.TextField("formål", blank=True)
    expected_end_on = models.DateField("forventet varighed til", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    end_reason = models.CharField("begrundelse for afslutning", max_length=500, blank=True)
    # Set when two follow-ups in a row found no progress (Hjørring: change what does not work);
    # cleared when the intervention is adjusted.
    no_progress_since = models.DateField("uden fremskridt siden", null=True, blank=True)
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
    intervention = models.ForeignKey(
        Intervention, null=True, blank=True, on_delete=models.SET_NULL, related_name="movements"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["moved_on", "pk"]
        indexes = [models.Index(fields=["case", "moved_on"])]

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
    is_first = models.BooleanField("første opfølgning (§ 95)", default=False)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField("begrundelse", blank=True)
    # § 95, stk. 3: the schedule set at the first follow-up is explained to the child.
    schedule_explained_to_child = models.BooleanField("plan forklaret for barnet", default=False)
    schedule_note = models.CharField("sådan blev planen forklaret", max_length=500, blank=True)

    class Meta:
        verbose_name = "opfølgning"
        verbose_name_plural = "opfølgninger"
        ordering = ["due_on"]
        indexes = [models.Index(fields=["held_on", "due_on"])]

    def __str__(self) -> str:
        return f"Opfølgning {self.due_on:%d.%m.%Y}"


class PlanKind(models.TextChoices):
    SUPPORT = "support", "Støttende indsats (§ 32)"
    PLACEMENT = "placement", "Anbringelse (§§ 46–47)"


class ChildPlan(models.Model):
    """Barnets plan (barnets lov §§ 91–92)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plans")
    kind = models.CharField("plantype", max_length=10, choices=PlanKind.choices)
    decided_on = models.DateField("afgørelse truffet")
    # § 91, stk. 1: for a § 32 measure the caseworker decides whether a plan is needed.
    is_needed = models.BooleanField("plan nødvendig", default=True)
    not_needed_reason = models.TextField("begrundelse for ingen plan", blank=True)
    due_on = models.DateField("frist", null=True, blank=True)
    completed_on = models.DateField("udarbejdet", null=True, blank=True)
    made_with_child = models.BooleanField("udarbejdet med barnet", default=False)
    made_with_guardians = models.BooleanField("udarbejdet med forældrene", default=False)
    overall_purpose = models.TextField("overordnet formål", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_synthetic = models.BooleanField(default=False)

    class Meta:
        verbose_name = "barnets plan"
        verbose_name_plural = "barnets planer"
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return f"Barnets plan ({self.decided_on:%d.%m.%Y})"


class GoalSetter(models.TextChoices):
    CASEWORKER = "caseworker", "Rådgiver"
    GUARDIANS = "guardians", "Forældre"
    CHILD = "child", "Barnet selv"


class Goal(models.Model):
    plan = models.ForeignKey(ChildPlan, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField("mål", max_length=500)
    set_by = models.CharField("sat af", max_length=12, choices=GoalSetter.choices)
    childs_own_words = models.TextField("med barnets egne ord", blank=True)
    baseline = models.PositiveSmallIntegerField("udgangspunkt (0-10)")
    target = models.PositiveSmallIntegerField("mål på skalaen (0-10)", default=10)
    interventions = models.ManyToManyField(
        Intervention, blank=True, related_name="goals", verbose_name="indsatser"
    )
    created_on = models.DateField("oprettet")
    achieved_on = models.DateField("nået", null=True, blank=True)

    class Meta:
        verbose_name = "mål"
        verbose_name_plural = "mål"
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(baseline__lte=10), name="goal_baseline_0_10"),
            models.CheckConstraint(condition=Q(target__lte=10), name="goal_target_0_10"),
        ]

    def __str__(self) -> str:
        return self.text


class ScoreSource(models.TextChoices):
    CASEWORKER = "caseworker", "Rådgiver"
    PROVIDER = "provider", "Udfører"
    GUARDIANS = "guardians", "Forældre"
    CHILD = "child", "Barnet"


class GoalScore(models.Model):
    """A goal's score on the 0–10 scale, from one source, at a follow-up or a provider's note."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="scores")
    follow_up = models.ForeignKey(
        FollowUp, null=True, blank=True, on_delete=models.CASCADE, related_name="scores"
    )
    source = models.CharField("fra", max_length=12, choices=ScoreSource.choices)
    score = models.PositiveSmallIntegerField("score (0-10)")
    recorded_on = models.DateField("registreret")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "målscore"
        verbose_name_plural = "målscorer"
        ordering = ["recorded_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(score__lte=10), name="goal_score_0_10"),
            models.UniqueConstraint(
                fields=["follow_up", "goal", "source"],
                condition=Q(follow_up__isnull=False),
                name="one_score_per_goal_source_follow_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.score}/10"


class ProgressNote(models.Model):
    """A provider's note back to the caseworker about an intervention."""

    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="progress_notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField("skrevet")
    text = models.TextField("notat")

    class Meta:
        verbose_name = "statusnotat"
        verbose_name_plural = "statusnotater"
        ordering = ["-written_at", "-pk"]

    def __str__(self) -> str:
        return f"Notat {self.written_at:%d.%m.%Y}"


class CaseAlertKind(models.TextChoices):
    INVESTIGATION = "investigation", "Børnefaglig undersøgelse (4 måneder)"
    PLAN = "plan", "Barnets plan (3 måneder)"
    FOLLOW_UP = "follow_up", "Opfølgning"
    NO_PROGRESS = "no_progress", "Ingen fremskridt ved to opfølgninger"
    SIBLINGS = "siblings", "Søskende skal vurderes (§ 21)"
    REASSESSMENT = "reassessment", "Ny underretning: sagen revurderes (§ 137)"
    NOT_HEARD = "not_heard", "Afgørelse uden børnesamtale (§ 5)"
    CONFERENCE = "conference", "Familierådslagning: opfølgning"
    NETWORK_MEETING = "network_meeting", "Netværksmøde: opfølgning"


class CaseAlertLevel(models.TextChoices):
    REMINDER = "reminder", "Påmindelse"
    ESCALATION = "escalation", "Frist overskredet"
    FLAG = "flag", "Markering"


class CaseAlert(models.Model):
    """A reminder, escalation or flag about a case, to a caseworker or a team leader.

    Unique per kind, subject, level and recipient, so the deadline task can run as often as it
    likes without raising an alert twice. `subject_id` is the investigation, plan, follow-up,
    intervention or sibling assessment the alert is about; for the child's voice and the network
    (trappen/voice) the decision made without a conversation, the network meeting, or the family
    group conference (a line of its plan: see `voice.reminders.plan_item_subject`).
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=16, choices=CaseAlertKind.choices)
    subject_id = models.PositiveBigIntegerField()
    level = models.CharField(max_length=12, choices=CaseAlertLevel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_alerts"
    )
    due_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField()
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_id", "level", "recipient"],
                name="one_case_alert_per_subject_level_recipient",
            )
        ]
        indexes = [models.Index(fields=["recipient", "seen_at"])]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.get_kind_display()}"
