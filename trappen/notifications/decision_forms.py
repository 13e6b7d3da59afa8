"""The detail page's two forms: the 24-hour assessment and the screening decision (§ 18).

They only parse; the rules (required reason, what may go with what, who may decide) live in
`decisions`, whose Danish errors the view puts back on these forms' fields.
"""

from __future__ import annotations

from django import forms

from trappen.notifications.decisions import FORWARD_MAX, NOTE_MAX
from trappen.notifications.models import Decision

YES, NO = "ja", "nej"
YES_NO = [(YES, "Ja"), (NO, "Nej")]
CHOICE_MESSAGE = "Vælg en af mulighederne."
TOO_LONG = "Teksten må højst være på %(limit_value)d tegn."


def _yes_no(label: str, required_message: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == YES,
        widget=forms.RadioSelect,
        error_messages={"required": required_message, "invalid_choice": CHOICE_MESSAGE},
    )


def _long_text(label: str, *, required: bool, help_text: str, messages=None) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=NOTE_MAX,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-input"}),
        error_messages={"max_length": TOO_LONG, **(messages or {})},
    )


class AssessmentForm(forms.Form):
    prefix = "vurdering"

    danger = _yes_no(
        "Er barnets sundhed eller udvikling i fare?",
        "Svar på, om barnets sundhed eller udvikling er i fare.",
    )
    acute_measures = _yes_no(
        "Er der sat akutte foranstaltninger i gang?",
        "Svar på, om der er sat akutte foranstaltninger i gang.",
    )
    note = _long_text(
        "Vurdering",
        required=False,
        help_text="Hvad bygger vurderingen på? Skal udfyldes, hvis barnet er i fare.",
    )


class DecisionForm(forms.Form):
    prefix = "beslutning"

    decision = forms.ChoiceField(
        label="Beslutning (barnets lov § 18)",
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Vælg en beslutning.", "invalid_choice": CHOICE_MESSAGE},
    )
    reason = _long_text(
        "Begrundelse",
        required=True,
        help_text="Hvorfor denne beslutning? Begrundelsen står i sagen, ikke i brevene.",
        messages={"required": "Skriv en begrundelse for beslutningen."},
    )
    forwarded_to = forms.CharField(
        label="Kommune, underretningen sendes videre til",
        required=False,
        max_length=FORWARD_MAX,
        help_text="Kun ved videresendelse: den kommune, hvor barnet bor.",
        widget=forms.TextInput(attrs={"class": "form-input"}),
        error_messages={"max_length": TOO_LONG},
    )
    early_support = forms.BooleanField(
        label="Tilbyd en tidlig forebyggende indsats (§ 30)", required=False
    )
    immediate_measure = forms.BooleanField(
        label="Sæt en straksindsats i gang (§ 32, stk. 4)",
        required=False,
        help_text="Støtte ved siden af en afdækning eller undersøgelse, med forældremyndighedens "
        "samtykke.",
    )
    hold_guardian_letter = forms.BooleanField(
        label="Hold brevet til forældremyndighedsindehaverne tilbage",
        required=False,
        help_text="Kun hvis forældrene ikke må orienteres endnu: en risikovurdering skal laves "
        "først (§ 18, stk. 3), eller der er mistanke om overgreb fra en forælder, og politiet "
        "skal inddrages først. Skriv hvorfor i begrundelsen.",
    )

    def __init__(self, *args, allow_existing_case: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_choices(allow_existing_case=allow_existing_case)

    def limit_choices(self, *, allow_existing_case: bool) -> None:
        """Offer "part of the open case" only when the child has one."""
        self.fields["decision"].choices = [
            c for c in Decision.choices if allow_existing_case or c[0] != Decision.EXISTING_CASE
        ]
