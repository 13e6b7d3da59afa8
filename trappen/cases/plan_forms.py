"""Forms of the child's plan, interventions and follow-ups. They only parse; the rules live in
`cases.plans`, `cases.interventions` and `cases.follow_ups`, whose Danish errors the views put
back on these forms' fields."""

from __future__ import annotations

from django import forms

from trappen.cases.follow_ups import MAX_NEXT_DATES, NOTE_MAX
from trappen.cases.interventions import REASON_MAX
from trappen.cases.models import FollowUpDecision, GoalSetter, PlanKind, ScoreSource
from trappen.cases.plans import GOAL_MAX, TEXT_MAX
from trappen.core.form_fields import PkModelMultipleChoiceField
from trappen.core.models import UnitKind
from trappen.core.vocabulary import Step
from trappen.voice.decisions import BOTH, ChildHeard
from trappen.voice.decisions import NOTE_MAX as NO_CONVERSATION_NOTE_MAX
from trappen.voice.models import NoConversationReason

TOO_LONG = "Teksten må højst være på %(limit_value)d tegn."
BAD_DATE = "Skriv en gyldig dato, fx 31-12-2026."
CHOICE = "Vælg en af mulighederne."
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y"]
YES, NO = "ja", "nej"
SCALE_CHOICES = [("", "–")] + [(str(n), str(n)) for n in range(11)]
SCHEDULE_INTERVAL, SCHEDULE_DATES = "interval", "datoer"
PROVIDER_KINDS = (UnitKind.PROVIDER, UnitKind.CIVIL_SOCIETY, UnitKind.OUTREACH_TEAM)
NEXT_DATE_FIELDS = min(4, MAX_NEXT_DATES)


def _date(label: str, *, required: bool, help_text: str = "", missing: str = ""):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(
            attrs={"type": "date", "class": "form-input input-width-s"}, format="%Y-%m-%d"
        ),
        error_messages={"invalid": BAD_DATE, "required": missing or BAD_DATE},
    )


def _text(label: str, *, limit: int, required: bool, help_text: str = "", missing: str = ""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=limit,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-input"}),
        error_messages={"max_length": TOO_LONG, "required": missing or "Udfyld feltet."},
    )


def _line(label: str, *, limit: int, required: bool, help_text: str = "", missing: str = ""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=limit,
        help_text=help_text,
        widget=forms.TextInput(attrs={"class": "form-input"}),
        error_messages={"max_length": TOO_LONG, "required": missing or "Udfyld feltet."},
    )


def _scale(label: str, *, required: bool, missing: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=SCALE_CHOICES if not required else [("", "Vælg")] + SCALE_CHOICES[1:],
        coerce=int,
        empty_value=None,
        required=required,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={
            "invalid_choice": "Vælg et tal fra 0 til 10.",
            "required": missing or CHOICE,
        },
    )


def _radios(label: str, choices, *, missing: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": missing, "invalid_choice": CHOICE},
    )


# --- the plan ---------------------------------------------------------------------------------


class PlanForm(forms.Form):
    kind = _radios("Planen hører til", PlanKind.choices, missing="Vælg, hvad planen hører til.")
    decided_on = _date(
        "Afgørelsen om indsatsen blev truffet den",
        required=True,
        help_text="Planen skal være udarbejdet senest 3 måneder efter (barnets lov § 91).",
        missing="Skriv datoen for afgørelsen.",
    )
    is_needed = forms.TypedChoiceField(
        label="Skal der udarbejdes en plan?",
        choices=[(YES, "Ja"), (NO, "Nej, ikke nødvendigt")],
        coerce=lambda value: value == YES,
        initial=YES,
        widget=forms.RadioSelect,
        help_text="Ved en støttende indsats (§ 32) vurderer du, om en plan er nødvendig; "
        "ved en anbringelse skal der altid være en plan.",
        error_messages={
            "required": "Svar på, om der skal udarbejdes en plan.",
            "invalid_choice": CHOICE,
        },
    )
    not_needed_reason = _text(
        "Begrundelse for, at der ikke skal være en plan",
        limit=TEXT_MAX,
        required=False,
        help_text="Kun hvis der ikke skal udarbejdes en plan.",
    )
    overall_purpose = _text(
        "Overordnet formål",
        limit=TEXT_MAX,
        required=False,
        help_text="Hvad skal indsatsen føre til for barnet? (barnets lov § 92)",
    )


class GoalForm(forms.Form):
    prefix = "maal"

    text = _line(
        "Mål",
        limit=GOAL_MAX,
        required=True,
        help_text="Et konkret mål for barnets trivsel og udvikling.",
        missing="Skriv målet, fx hvad barnet skal kunne.",
    )
    set_by = _radios("Målet er sat af", GoalSetter.choices, missing="Vælg, hvem der har sat målet.")
    childs_own_words = _text(
        "Med barnets egne ord",
        limit=TEXT_MAX,
        required=False,
        help_text="Hvordan siger barnet det selv?",
    )
    baseline = _scale(
        "Udgangspunkt (0–10)", required=True, missing="Vælg udgangspunktet på skalaen."
    )
    target = _scale("Mål på skalaen (0–10)", required=True, missing="Vælg målet på skalaen.")
    interventions = forms.TypedMultipleChoiceField(
        label="Indsatser, der skal hjælpe med målet",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": CHOICE},
    )

    def __init__(self, *args, interventions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.interventions = {i.pk: i for i in interventions}
        self.fields["interventions"].choices = [
            (i.pk, f"{i.title} (trin {i.step}, fra {i.start_on:%d.%m.%Y})") for i in interventions
        ]

    def chosen_interventions(self) -> list:
        return [self.interventions[pk] for pk in self.cleaned_data.get("interventions", [])]


class CompletePlanForm(forms.Form):
    prefix = "udarbejdet"

    completed_on = _date("Planen blev udarbejdet den", required=True, missing=BAD_DATE)
    made_with_child = forms.BooleanField(
        label="Planen er udarbejdet sammen med barnet", required=False
    )
    made_with_guardians = forms.BooleanField(
        label="Planen er udarbejdet sammen med forældremyndighedsindehaverne", required=False
    )


# --- the child heard before a decision (barnets lov § 5) ---------------------------------------

WORDS_SHOWN = 80


def conversation_label(conversation) -> str:
    """The conversation's date and the child's words, shortened."""
    words = " ".join((conversation.childs_views or "").split())
    if len(words) > WORDS_SHOWN:
        words = words[: WORDS_SHOWN - 1].rstrip() + "…"
    said = f": »{words}«" if words else ""
    return f"Børnesamtale {conversation.held_on:%d.%m.%Y}{said}"


class ChildHeardForm(forms.Form):
    """The conversation with the child that preceded the decision, or, when there is none in
    the window, the exceptional reason (§ 5, stk. 4) and a note. The rule is
    `voice.decisions.check_child_heard`; this only parses."""

    conversation = forms.TypedChoiceField(
        label="Børnesamtalen før afgørelsen",
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Vælg en af barnets samtaler fra listen."},
    )
    no_conversation_reason = forms.ChoiceField(
        label="Undtagelse (barnets lov § 5, stk. 4)",
        choices=NoConversationReason.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": CHOICE},
    )
    no_conversation_note = _text(
        "Begrundelse for at træffe afgørelsen uden samtale",
        limit=NO_CONVERSATION_NOTE_MAX,
        required=False,
        help_text="Skriv konkret, hvorfor samtalen ikke kan holdes før afgørelsen. "
        "Teamlederen gennemgår undtagelsen.",
    )

    def __init__(self, *args, conversations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.conversations = {c.pk: c for c in conversations}
        self.fields["conversation"].choices = [(c.pk, conversation_label(c)) for c in conversations]
        if conversations:  # the most recent first; the rule is the service's
            self.fields["conversation"].initial = next(iter(self.conversations))

    def clean(self):
        data = super().clean()
        exception = data.get("no_conversation_reason") or data.get("no_conversation_note")
        if data.get("conversation") is not None and exception:
            # the service's rule (`check_child_heard`), on the field the form shows
            self.add_error("conversation", BOTH)
        return data

    def child_heard(self) -> ChildHeard:
        """All that was chosen: the service refuses a conversation and an exception together."""
        data = self.cleaned_data
        pk = data.get("conversation")
        return ChildHeard(
            conversation=self.conversations[pk] if pk is not None else None,
            no_conversation_reason=data.get("no_conversation_reason") or "",
            no_conversation_note=data.get("no_conversation_note") or "",
        )


# --- interventions ----------------------------------------------------------------------------


def offer_label(offer) -> str:
    basis = f" ({offer.legal_basis})" if offer.legal_basis else ""
    provider = f" – {offer.provider.name}" if offer.provider_id else ""
    cost = f"{int(offer.monthly_cost):,}".replace(",", ".")
    return f"Trin {offer.step}: {offer.name}{basis}{provider}, {cost} kr./md."


class InterventionForm(ChildHeardForm):
    offer = forms.TypedChoiceField(
        label="Tilbud fra tilbudsviften",
        coerce=int,
        help_text="Tilbuddet giver indsatsens trin, lovgrundlag, udfører og pris.",
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"required": "Vælg et tilbud.", "invalid_choice": "Vælg et tilbud."},
    )
    start_on = _date("Start", required=True, missing="Skriv startdatoen.")
    expected_end_on = _date(
        "Forventet varighed til",
        required=False,
        help_text="Skal udfyldes ved en støttende indsats efter § 32 (§ 32, stk. 3).",
    )
    end_on = _date("Slut", required=False, help_text="Kun hvis slutdatoen allerede er kendt.")
    purpose = _text(
        "Formål",
        limit=TEXT_MAX,
        required=False,
        help_text="Skal udfyldes ved en støttende indsats efter § 32 (§ 32, stk. 3).",
    )
    provider = forms.TypedChoiceField(
        label="Udfører",
        coerce=int,
        empty_value=None,
        required=False,
        help_text="Tom: tilbuddets egen udfører.",
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": "Vælg en udfører i kommunen."},
    )
    monthly_cost = forms.IntegerField(
        label="Pris pr. måned (kr.)",
        required=False,
        min_value=0,
        max_value=9_999_999_999,
        help_text="Tom: tilbuddets pris.",
        widget=forms.NumberInput(attrs={"class": "form-input input-width-s"}),
        error_messages={
            "invalid": "Skriv prisen i hele kroner.",
            "min_value": "Prisen kan ikke være negativ.",
            "max_value": "Prisen er for stor.",
        },
    )
    goals = PkModelMultipleChoiceField(
        label="Mål i barnets plan, som indsatsen skal hjælpe med",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": CHOICE, "invalid_pk_value": CHOICE},
    )

    def __init__(self, *args, offers=(), providers=(), goals=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.offers = {o.pk: o for o in offers}
        groups: dict[int, list] = {}
        for offer in offers:
            groups.setdefault(offer.step, []).append((offer.pk, offer_label(offer)))
        self.fields["offer"].choices = [("", "Vælg et tilbud")] + [
            (f"Trin {step}: {Step(step).label}", choices) for step, choices in groups.items()
        ]
        self.fields["provider"].choices = [("", "Tilbuddets udfører")] + [
            (u.pk, u.name) for u in providers
        ]
        self.providers = {u.pk: u for u in providers}
        self.fields["goals"].queryset = goals
        self.fields["goals"].label_from_instance = lambda g: f"{g.text} ({g.get_set_by_display()})"


class EndInterventionForm(ChildHeardForm):
    end_on = _date("Sidste dag med indsatsen", required=True, missing="Skriv slutdatoen.")
    reason = _text(
        "Begrundelse",
        limit=REASON_MAX,
        required=True,
        missing="Skriv, hvorfor indsatsen slutter.",
        help_text="Fx at målene er nået, eller at barnet skal et trin ned eller op.",
    )


# --- follow-ups -------------------------------------------------------------------------------


class FollowUpForm(ChildHeardForm):
    held_on = _date("Opfølgningen blev holdt den", required=True, missing=BAD_DATE)
    progress = _scale("Samlet fremskridt (0–10)", required=False)
    decision = _radios("Beslutning", FollowUpDecision.choices, missing="Vælg en beslutning.")
    reason = _text("Begrundelse", limit=TEXT_MAX, required=True, missing="Begrund beslutningen.")
    schedule = _radios(
        "De næste opfølgninger",
        [(SCHEDULE_INTERVAL, "Efter et interval"), (SCHEDULE_DATES, "På bestemte datoer")],
        missing="Vælg, hvordan de næste opfølgninger planlægges.",
    )
    interval_months = forms.IntegerField(
        label="Interval i måneder",
        required=False,
        min_value=1,
        max_value=24,
        widget=forms.NumberInput(attrs={"class": "form-input input-width-xs"}),
        error_messages={
            "invalid": "Skriv et helt antal måneder.",
            "min_value": "Intervallet skal være mindst 1 måned.",
            "max_value": "Intervallet kan højst være 24 måneder.",
        },
    )
    schedule_explained_to_child = forms.BooleanField(
        label="Planen for de næste opfølgninger er forklaret for barnet",
        required=False,
        help_text="Skal ske ved den første opfølgning (barnets lov § 95, stk. 3).",
    )
    schedule_note = _line(
        "Sådan blev planen forklaret",
        limit=NOTE_MAX,
        required=False,
        help_text="Fx en kalender tegnet sammen med barnet.",
    )

    def __init__(self, *args, goals=(), interval_default: int = 3, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, NEXT_DATE_FIELDS + 1):
            self.fields[f"next_date_{n}"] = _date(f"Dato {n}", required=False)
        self.fields["interval_months"].initial = interval_default
        self.fields["schedule"].initial = SCHEDULE_INTERVAL
        self.goals = list(goals)
        self.grid = []
        for goal in self.goals:
            row = []
            for source, source_label in ScoreSource.choices:
                name = f"score_{goal.pk}_{source}"
                field = _scale(f"{goal.text}: {source_label}", required=False)
                self.fields[name] = field
                row.append(name)
            self.grid.append((goal, row))

    def clean(self):
        data = super().clean()
        by_dates = data.get("schedule") == SCHEDULE_DATES
        if by_dates and data.get("decision") != FollowUpDecision.END and not self.next_dates():
            self.add_error("next_date_1", "Skriv mindst én dato for den næste opfølgning.")
        return data

    @property
    def score_rows(self):
        """(goal, [bound fields per source]) for the template's grid."""
        return [(goal, [self[name] for name in names]) for goal, names in self.grid]

    @property
    def date_fields(self):
        return [self[f"next_date_{n}"] for n in range(1, NEXT_DATE_FIELDS + 1)]

    def scores(self) -> list[tuple]:
        data = self.cleaned_data
        rows = []
        for goal, names in self.grid:
            for name, (source, _label) in zip(names, ScoreSource.choices, strict=True):
                if data.get(name) is not None:
                    rows.append((goal, source, data[name]))
        return rows

    def next_dates(self) -> list:
        return [
            self.cleaned_data[f"next_date_{n}"]
            for n in range(1, NEXT_DATE_FIELDS + 1)
            if self.cleaned_data.get(f"next_date_{n}") is not None
        ]
