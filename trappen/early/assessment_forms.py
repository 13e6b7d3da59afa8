"""The forms of a wellbeing assessment and of a sharing. They only parse; the rules live in
`early.assessments` and `early.sharing`, whose Danish errors the views put back on these fields
(the required ones are also checked here, with the same words, so every error shows at once)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from trappen.cases.plan_forms import BAD_DATE, CHOICE, DATE_INPUT_FORMATS, TOO_LONG
from trappen.core.vocabulary import ConcernArea, ConcernLevel
from trappen.early import assessments as rules
from trappen.early import sharing
from trappen.early.models import SharingBasis, SharingRecipient

YES, NO = "ja", "nej"

# What each level of the shared scale means (DOMAIN.md, "The shared scale of concern").
LEVEL_COLOUR_NAMES = {1: "grøn", 2: "gul", 3: "orange", 4: "rød", 5: "mørkerød"}
LEVEL_MEANINGS = {
    1: "Barnet trives. Der er ingen bekymring.",
    2: "Trivslen er faldende. Det håndteres i dagtilbud, skole eller sundhedspleje sammen med "
    "forældrene.",
    3: "Barnet er sårbart. Søg råd hos den fremskudte socialrådgiver (anonym sparring), eller tal "
    "om en tidlig indsats.",
    4: "Barnet er udsat. Du har pligt til at underrette kommunen "
    f"({rules.DUTY_TO_NOTIFY_PARAGRAPH}).",
    5: "Barnet er truet. Du har pligt til at underrette kommunen, straks "
    f"({rules.DUTY_TO_NOTIFY_PARAGRAPH}).",
}


def level_options() -> list[dict]:
    """The scale as the form shows it: value, label, colour name and meaning."""
    return [
        {
            "value": level.value,
            "label": level.label,
            "colour": LEVEL_COLOUR_NAMES[level.value],
            "css": level.colour,
            "meaning": LEVEL_MEANINGS[level.value],
        }
        for level in ConcernLevel
    ]


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


def _text(label: str, limit: int, help_text: str = "", *, rows: int = 3):
    return forms.CharField(
        label=label,
        required=False,
        max_length=limit,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows, "class": "form-input"}),
        error_messages={"max_length": TOO_LONG},
    )


def _line(label: str, limit: int, help_text: str = ""):
    return forms.CharField(
        label=label,
        required=False,
        max_length=limit,
        help_text=help_text,
        widget=forms.TextInput(attrs={"class": "form-input"}),
        error_messages={"max_length": TOO_LONG},
    )


def add_errors(form: forms.Form, error: ValidationError) -> None:
    """Put the service's Danish messages on the form's fields (or on the form itself)."""
    for field, messages in error.message_dict.items():
        target = field if field in form.fields and field != NON_FIELD_ERRORS else None
        for message in messages:
            form.add_error(target, message)


class AssessmentForm(forms.Form):
    unit = forms.TypedChoiceField(
        label="Enhed",
        coerce=int,
        choices=(),
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"required": CHOICE, "invalid_choice": CHOICE},
    )
    assessed_on = _date("Vurderet den", required=True, missing=rules.DATE_MISSING)
    level = forms.TypedChoiceField(
        label="Niveau på trivselslinealen",
        coerce=int,
        choices=ConcernLevel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": rules.LEVEL_MISSING, "invalid_choice": rules.LEVEL_MISSING},
    )
    areas = forms.MultipleChoiceField(
        label="Bekymringsområder",
        help_text="Vælg de områder, din bekymring drejer sig om (mindst ét fra niveau 2).",
        choices=ConcernArea.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-checkbox"}),
        error_messages={"invalid_choice": rules.AREAS_BAD, "invalid_list": rules.AREAS_BAD},
    )
    observations = _text(
        "Hvad ser du?",
        rules.TEXT_MAX,
        "Beskriv konkret, hvad du har set og hørt, og hvornår. Skriv ikke CPR-numre.",
        rows=5,
    )
    parents_informed = forms.ChoiceField(
        label="Er forældrene informeret om vurderingen?",
        choices=[(YES, "Ja"), (NO, "Nej")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Svar ja eller nej: er forældrene informeret?",
            "invalid_choice": CHOICE,
        },
    )
    parents_not_informed_reason = _text(
        "Hvis nej: hvorfor ikke?",
        rules.TEXT_MAX,
        "Forældrene skal som udgangspunkt inddrages. Skriv, hvorfor det ikke er sket.",
    )
    agreed = _text("Hvad er aftalt?", rules.TEXT_MAX, "Fx ekstra støtte i klassen, en samtale.")
    agreed_with = _line("Aftalt med hvem?", rules.AGREED_WITH_MAX, "Fx forældrene, AKT-lærer.")
    follow_up_by = _line("Hvem følger op?", rules.FOLLOW_UP_BY_MAX, "Navn eller funktion.")
    look_again_on = _date(
        "Vurderes igen den",
        required=False,
        help_text="Hvornår ser I på barnet igen? Gentagne vurderinger viser udviklingen.",
    )

    def __init__(self, *args, units: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = units
        self.one_unit = len(units) == 1
        if self.one_unit:
            self.fields["unit"].widget = forms.HiddenInput()
            self.fields["unit"].initial = units[0][0]

    def clean(self):
        data = super().clean()
        if data.get("parents_informed") == NO and not data.get("parents_not_informed_reason"):
            self.add_error("parents_not_informed_reason", rules.REASON_MISSING)
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "level": data["level"],
            "areas": data.get("areas") or [],
            "assessed_on": data["assessed_on"],
            "observations": data.get("observations", ""),
            "agreed": data.get("agreed", ""),
            "agreed_with": data.get("agreed_with", ""),
            "follow_up_by": data.get("follow_up_by", ""),
            "parents_informed": data["parents_informed"] == YES,
            "parents_not_informed_reason": data.get("parents_not_informed_reason", ""),
            "look_again_on": data.get("look_again_on"),
        }


class SharingForm(forms.Form):
    recipient = forms.ChoiceField(
        label="Delt med",
        choices=[("", "Vælg")] + list(SharingRecipient.choices),
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={
            "required": sharing.RECIPIENT_MISSING,
            "invalid_choice": sharing.RECIPIENT_MISSING,
        },
    )
    recipient_detail = _line("Navn eller funktion", sharing.DETAIL_MAX, "Fx sundhedsplejerske.")
    basis = forms.ChoiceField(
        label="Hjemmel",
        choices=SharingBasis.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": sharing.BASIS_MISSING,
            "invalid_choice": sharing.BASIS_MISSING,
        },
    )
    consent_from = _line(
        "Samtykke fra", sharing.CONSENT_FROM_MAX, "Ved samtykke: hvem gav det (fx far)."
    )
    purpose = _line(
        "Formål",
        sharing.PURPOSE_MAX,
        "Hvorfor deles oplysningerne? Uden samtykke: hvorfor er det nødvendigt for barnets "
        "trivsel?",
    )
    shared_on = _date("Delt den", required=True, missing=sharing.DATE_MISSING)

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "recipient": data["recipient"],
            "recipient_detail": data.get("recipient_detail", ""),
            "basis": data["basis"],
            "consent_from": data.get("consent_from", ""),
            "purpose": data.get("purpose", ""),
            "shared_on": data["shared_on"],
        }
