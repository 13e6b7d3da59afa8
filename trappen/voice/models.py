"""The child's voice and the family's network (docs/voice.md).

- `ChildConversation`: a conversation with the child, structured by the Lundy model (space,
  voice, audience, influence), with the child told of the right to a bisidder (§ 6).
- `CaseDecision`: a decision on the case (an intervention, a placement, a change of step) and
  the conversation that informed it, or the recorded exceptional reason why there was none (§ 5).
- `InterventionNetworkRole`: a person of the child's network map (`people.NetworkPerson`) who
  carries part of an intervention.
- `NetworkMeeting` and `FamilyGroupConference` (with `FamilyPlanItem`): the network's meetings.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from trappen.cases.models import Case, FollowUp, Intervention
from trappen.people.models import NetworkPerson

# --- the child's conversations (Lundy) ---------------------------------------------------------


class ConversationMethod(models.TextChoices):
    IN_PERSON = "in_person", "Samtale ansigt til ansigt"
    ACTIVITY = "activity", "Under en aktivitet (gåtur, køretur, leg)"
    VIDEO = "video", "Videosamtale"
    PHONE = "phone", "Telefon"
    OTHER = "other", "Andet"


class InformationForm(models.TextChoices):
    ORAL = "oral", "Mundtligt"
    WRITTEN = "written", "Skriftligt"
    VISUAL = "visual", "Tegninger, billeder eller video"
    MATERIAL = "material", "Børnevenligt materiale"
    NONE = "none", "Barnet fik ingen information"


class ChildConversation(models.Model):
    """A conversation with the child (børnesamtale, Barnets Lov § 5), in the four parts of the
    Lundy model: space, voice, audience and influence."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="conversations")
    held_on = models.DateField("afholdt")
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    # RUM (space): where, how, who was present, how the child was made safe
    place = models.CharField("sted", max_length=200, blank=True)
    method = models.CharField(
        "samtaleform", max_length=12, choices=ConversationMethod.choices, blank=True
    )
    present = models.TextField("hvem var til stede", blank=True)
    made_safe = models.TextField("hvordan blev barnet gjort tryg", blank=True)
    # STEMME (voice): what the child was told and in what form; the child's own words
    information_given = models.TextField("information til barnet", blank=True)
    information_form = models.CharField(
        "informationens form", max_length=10, choices=InformationForm.choices, blank=True
    )
    childs_views = models.TextField("barnets synspunkter (med barnets egne ord)", blank=True)
    hopes_and_dreams = models.TextField("barnets håb og drømme", blank=True)
    # TILHØRSFORHOLD (audience): who listened; was it the one who decides
    listeners = models.TextField("hvem lyttede", blank=True)
    decision_maker_listened = models.BooleanField(
        "den der træffer afgørelsen lyttede", null=True, blank=True
    )
    # INDFLYDELSE (influence): what was done with the views, and how that was explained back
    views_used = models.TextField("hvad blev der gjort med barnets synspunkter", blank=True)
    explained_back = models.TextField("hvordan blev det forklaret for barnet", blank=True)
    explained_back_on = models.DateField("forklaret for barnet", null=True, blank=True)
    # § 6: the child is told of the right to a support person (bisidder)
    told_of_support_person = models.BooleanField(
        "barnet er orienteret om retten til en bisidder", default=False
    )
    support_person = models.CharField("bisidder", max_length=200, blank=True)
    is_synthetic = models.BooleanField(default=False)

    class Meta:
        verbose_name = "børnesamtale"
        verbose_name_plural = "børnesamtaler"
        ordering = ["-held_on"]
        indexes = [models.Index(fields=["case", "held_on"])]

    def __str__(self) -> str:
        return f"Børnesamtale {self.held_on:%d.%m.%Y}"


# --- decisions and the child's views (§ 5) -----------------------------------------------------


class DecisionKind(models.TextChoices):
    INTERVENTION = "intervention", "Bevilling af indsats"
    PLACEMENT = "placement", "Anbringelse"
    STEP_CHANGE = "step_change", "Ændring af trin"
    END = "end", "Afslutning af indsats"
    FOLLOW_UP = "follow_up", "Afgørelse ved opfølgning"


class NoConversationReason(models.TextChoices):
    """Barnets Lov § 5, stk. 4: the conversation may be dropped only in very special cases."""

    DECLINED = "declined", "Barnet ønsker ikke at deltage"
    MATURITY = "maturity", "Barnets alder eller modenhed taler afgørende imod"
    NATURE = "nature", "Sagens karakter taler afgørende imod"
    URGENT = "urgent", "Akut afgørelse; samtalen holdes hurtigst muligt"


class CaseDecision(models.Model):
    """A decision on the case, with the conversation with the child that informed it, or the
    exceptional reason why there was none (§ 5). The team leader reviews the exceptions."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField("afgørelse", max_length=14, choices=DecisionKind.choices)
    summary = models.CharField("hvad blev besluttet", max_length=300)
    decided_on = models.DateField("truffet")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    intervention = models.ForeignKey(
        Intervention, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    follow_up = models.ForeignKey(
        FollowUp, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    conversation = models.ForeignKey(
        ChildConversation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name="børnesamtale",
    )
    no_conversation_reason = models.CharField(
        "undtagelse", max_length=10, choices=NoConversationReason.choices, blank=True
    )
    no_conversation_note = models.TextField(
        "begrundelse for at træffe afgørelsen uden samtale", blank=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    is_synthetic = models.BooleanField(default=False)

    class Meta:
        verbose_name = "afgørelse"
        verbose_name_plural = "afgørelser"
        ordering = ["-decided_on", "-pk"]
        indexes = [models.Index(fields=["case", "decided_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(conversation__isnull=False)
                | (~Q(no_conversation_reason="") & ~Q(no_conversation_note="")),
                name="decision_has_conversation_or_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.decided_on:%d.%m.%Y}"


# --- the network map ---------------------------------------------------------------------------


class InterventionNetworkRole(models.Model):
    """A network person who carries part of an intervention (Thisted: two gears)."""

    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="network_roles"
    )
    person = models.ForeignKey(
        NetworkPerson, on_delete=models.PROTECT, related_name="intervention_roles"
    )
    part = models.CharField("hvad personen står for", max_length=300)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "netværkets del af indsatsen"
        verbose_name_plural = "netværkets dele af indsatsen"
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "person"], name="one_role_per_person_per_intervention"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.part}"


# --- network meetings and family group conferences ---------------------------------------------


class NetworkMeetingKind(models.TextChoices):
    NETWORK = "network", "Netværksmøde"
    LARGE = "large", "Stormøde"


class NetworkMeeting(models.Model):
    """A meeting of the family's network and the professionals: who took part, what was agreed,
    and the follow-up."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="network_meetings")
    kind = models.CharField("mødetype", max_length=8, choices=NetworkMeetingKind.choices)
    held_on = models.DateField("afholdt")
    participants = models.ManyToManyField(
        NetworkPerson, blank=True, related_name="meetings", verbose_name="deltagere fra netværket"
    )
    professionals = models.TextField("fagpersoner til stede", blank=True)
    child_took_part = models.BooleanField("barnet deltog", default=False)
    agreements = models.TextField("aftaler")
    follow_up_on = models.DateField("opfølgning senest", null=True, blank=True)
    follow_up_held_on = models.DateField("opfølgning holdt", null=True, blank=True)
    follow_up_note = models.TextField("opfølgning", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    is_synthetic = models.BooleanField(default=False)

    class Meta:
        verbose_name = "netværksmøde"
        verbose_name_plural = "netværksmøder"
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on:%d.%m.%Y}"


class ConferencePhase(models.TextChoices):
    """The phases of a family group conference, in order (docs/voice.md)."""

    REFERRED = "referred", "Henvist; uafhængig koordinator"
    PREPARATION = "preparation", "Forberedelse af familie og netværk"
    MEETING = "meeting", "Rådslagningen er holdt; familiens plan"
    FOLLOW_UP = "follow_up", "Opfølgningsmødet er holdt"
    CANCELLED = "cancelled", "Afbrudt"


class FamilyGroupConference(models.Model):
    """A family group conference (familierådslagning): the family and its network make the plan
    themselves, prepared by an independent coordinator."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="conferences")
    phase = models.CharField(
        "fase", max_length=12, choices=ConferencePhase.choices, default=ConferencePhase.REFERRED
    )
    question = models.TextField("spørgsmålet familien skal svare på")
    referred_on = models.DateField("henvist")
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    coordinator_name = models.CharField("uafhængig koordinator", max_length=200)
    coordinator_contact = models.CharField("koordinatorens kontakt", max_length=200, blank=True)
    preparation_started_on = models.DateField("forberedelse begyndt", null=True, blank=True)
    invited = models.ManyToManyField(
        NetworkPerson, blank=True, related_name="conferences", verbose_name="inviterede"
    )
    meeting_planned_on = models.DateField("rådslagning planlagt", null=True, blank=True)
    meeting_held_on = models.DateField("rådslagning holdt", null=True, blank=True)
    information_given = models.TextField("fagpersonernes information", blank=True)
    private_time_held = models.BooleanField("familiens egen tid holdt", default=False)
    plan_accepted = models.BooleanField("planen er godkendt af rådgiveren", default=False)
    follow_up_due_on = models.DateField("opfølgningsmøde senest", null=True, blank=True)
    follow_up_held_on = models.DateField("opfølgningsmøde holdt", null=True, blank=True)
    follow_up_note = models.TextField("opfølgning", blank=True)
    cancelled_on = models.DateField("afbrudt", null=True, blank=True)
    cancelled_reason = models.TextField("begrundelse for afbrydelse", blank=True)
    is_synthetic = models.BooleanField(default=False)

    class Meta:
        verbose_name = "familierådslagning"
        verbose_name_plural = "familierådslagninger"
        ordering = ["-referred_on", "-pk"]

    def __str__(self) -> str:
        return f"Familierådslagning {self.referred_on:%d.%m.%Y}"


class FamilyPlanItem(models.Model):
    """One line of the family's plan: what, who, by when."""

    conference = models.ForeignKey(
        FamilyGroupConference, on_delete=models.CASCADE, related_name="plan_items"
    )
    what = models.CharField("hvad", max_length=300)
    who = models.CharField("hvem", max_length=200)
    person = models.ForeignKey(
        NetworkPerson, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_when = models.DateField("hvornår")
    done_on = models.DateField("gjort", null=True, blank=True)

    class Meta:
        verbose_name = "punkt i familiens plan"
        verbose_name_plural = "familiens plan"
        ordering = ["by_when", "pk"]

    def __str__(self) -> str:
        return f"{self.what} ({self.who})"
