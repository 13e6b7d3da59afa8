"""The investigation pages' forms. They only parse; the rules live in `cases.investigations` and
`cases.siblings`, whose Danish errors the views put back on these forms' fields."""

from __future__ import annotations

from django import forms

from trappen.cases.investigations import REASON_MAX, TEXT_MAX
from trappen.cases.models import SiblingOutcome
from trappen.core.form_fields import PkModelChoiceField
from trappen.core.vocabulary import IcsDimension, Step

TOO_LONG = "Teksten må højst være på %(limit_value)d tegn."
BAD_DATE = "Skriv en gyldig dato."
CHOICE_MESSAGE = "Vælg en af mulighederne."


def _date(label: str, *, required: bool, help_text: str = "", missing: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-input"}, format="%Y-%m-%d"),
        error_messages={"invalid": BAD_DATE, "required": missing or BAD_DATE},
    )


def _text(label: str, *, limit: int, required: bool, help_text: str = "", missing: str = ""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=limit,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-input"}),
        error_messages={"max_length": TOO_LONG, "required": missing or "Udfyld feltet."},
    )


class StartForm(forms.Form):
    aware_on = _date(
        "Kommunen blev opmærksom på barnets behov den",
        required=True,
        help_text="Fristen på 4 måneder regnes fra denne dato (barnets lov § 20, stk. 3).",
        missing="Skriv datoen, hvor kommunen blev opmærksom.",
    )
    reason = _text(
        "Begrundelse for undersøgelsen",
        limit=REASON_MAX,
        required=False,
        help_text="Hvorfor skal barnets forhold undersøges?",
    )


class AreaForm(forms.Form):
    """One ICS dimension; `dimension` names it (the page has one form per dimension)."""

    dimension = forms.ChoiceField(
        choices=IcsDimension.choices,
        widget=forms.HiddenInput,
        error_messages={"required": CHOICE_MESSAGE, "invalid_choice": CHOICE_MESSAGE},
    )
    resources = _text("Ressourcer", limit=TEXT_MAX, required=False)
    concerns = _text("Bekymringer", limit=TEXT_MAX, required=False)

    def __init__(self, *args, dimension: str | None = None, **kwargs):
        kwargs.setdefault("auto_id", f"omraade-{dimension or 'x'}-%s")
        super().__init__(*args, **kwargs)
        if dimension is not None:
            self.fields["dimension"].initial = dimension
        self.dimension = dimension


class ConversationForm(forms.Form):
    conversation = PkModelChoiceField(
        label="Børnesamtale",
        queryset=None,
        required=False,
        empty_label="Ingen børnesamtale knyttet",
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": CHOICE_MESSAGE, "invalid_pk_value": CHOICE_MESSAGE},
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conversation"].queryset = case.conversations.order_by("-held_on", "-pk")


class PreliminaryForm(forms.Form):
    prefix = "foreloebig"

    text = _text(
        "Foreløbig vurdering",
        limit=TEXT_MAX,
        required=True,
        help_text="Hvad viser undersøgelsen indtil nu, og hvorfor kan den ikke nå fristen?",
        missing="Skriv den foreløbige vurdering.",
    )
    expected_completion_on = _date(
        "Forventes afsluttet senest",
        required=True,
        help_text="Undersøgelsen skal afsluttes snarest efter fristen.",
        missing="Skriv den dato, undersøgelsen forventes afsluttet.",
    )


class CompleteForm(forms.Form):
    prefix = "afslut"

    conclusion = _text(
        "Konklusion",
        limit=TEXT_MAX,
        required=True,
        help_text="Er der grundlag for støtte efter §§ 32, 46 eller 47, og hvilken (§ 22, stk. 6)?",
        missing="Skriv undersøgelsens konklusion.",
    )
    recommendation = _text(
        "Anbefaling",
        limit=TEXT_MAX,
        required=False,
        help_text="Hvilken hjælp anbefales, og hvordan stiller barnet og forældrene sig til den?",
    )
    recommended_step = forms.TypedChoiceField(
        label="Anbefalet trin på indsatstrappen",
        choices=[("", "Ingen indsats anbefalet")]
        + [(s.value, f"{s.value} {s.label}") for s in Step],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": CHOICE_MESSAGE},
    )
    completed_on = _date("Afsluttet den", required=False, help_text="Tom: i dag.")


class SiblingDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Skal søskende undersøges?",
        choices=SiblingOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": CHOICE_MESSAGE, "invalid_choice": CHOICE_MESSAGE},
    )
    reason = _text(
        "Begrundelse",
        limit=REASON_MAX,
        required=False,
        help_text="Skal udfyldes, hvis en undersøgelse åbenbart ikke er nødvendig (§ 21, stk. 3).",
    )
