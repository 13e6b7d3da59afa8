"""Forms of early help. They only parse; the rules live in `trappen.early.early_help`, whose
Danish errors the views put back on these fields."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from trappen.core import cpr
from trappen.core.form_fields import PkModelChoiceField, PkModelMultipleChoiceField
from trappen.early.early_help import NOTE_MAX, PURPOSE_MAX, TITLE_MAX
from trappen.early.models import EarlyHelpEnd
from trappen.people.forms import NoEchoTextInput

BAD_DATE = "Skriv en gyldig dato, fx 31-12-2026."
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y"]
TOO_LONG = "Teksten må højst være på %(limit_value)d tegn."
STEP_CHOICES = [
    ("", "Som tilbuddet"),
    ("0", "0 Indsatser i almenområdet"),
    ("1", "1 Forebyggende indsatser"),
]


def _date(label: str, *, missing: str, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(
            attrs={"type": "date", "class": "form-input input-width-s"}, format="%Y-%m-%d"
        ),
        error_messages={"invalid": BAD_DATE, "required": missing},
    )


class GuardianChoiceField(PkModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.full_name


class EarlyHelpForm(forms.Form):
    unit = PkModelChoiceField(
        label="Enhed",
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": "Vælg en af dine enheder.", "required": "Vælg enheden."},
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    offer = PkModelChoiceField(
        label="Tilbud fra tilbudsviften",
        queryset=None,
        required=False,
        empty_label="Intet tilbud fra tilbudsviften",
        help_text="Kun tilbud på trin 0 og 1.",
        error_messages={"invalid_choice": "Vælg et tilbud på trin 0 eller 1."},
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    title = forms.CharField(
        label="Indsats",
        required=False,
        max_length=TITLE_MAX,
        help_text="Fx forældrekursus, gruppeforløb eller ekstra støtte i klassen. "
        "Tom: tilbuddets navn.",
        widget=forms.TextInput(attrs={"class": "form-input"}),
        error_messages={"max_length": TOO_LONG},
    )
    step = forms.TypedChoiceField(
        label="Trin på indsatstrappen",
        choices=STEP_CHOICES,
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Vælg trin 0 eller 1."},
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    purpose = forms.CharField(
        label="Formål",
        required=False,
        max_length=PURPOSE_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-input"}),
        error_messages={"max_length": TOO_LONG},
    )
    started_on = _date("Start", missing="Skriv startdatoen.")
    consent_on = _date(
        "Samtykke givet den",
        missing="Skriv datoen for samtykket.",
        help_text="Samtykket skal være givet, før indsatsen starter.",
    )
    consenting_guardians = GuardianChoiceField(
        label="Samtykke fra",
        queryset=None,
        required=False,
        help_text="Kun forældremyndighedsindehavere kan give samtykke.",
        error_messages={"invalid_choice": "Vælg blandt barnets forældremyndighedsindehavere."},
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, units, offers, guardians, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["offer"].queryset = offers
        self.fields["consenting_guardians"].queryset = guardians
        if not self.is_bound:  # rendered at once: one query per select, not one per render
            for name in ("unit", "offer", "consenting_guardians"):
                field = self.fields[name]
                field.widget.choices = list(iter(field.choices))


class CprConsentForm(forms.Form):
    """Find a child of the own units by CPR number: only together with the custody holders'
    consent, so nothing identifying is looked at before it."""

    cpr = forms.CharField(
        label="Barnets CPR-nummer",
        max_length=20,
        help_text="10 cifre. Opslaget logges.",
        widget=NoEchoTextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
        error_messages={"required": "Skriv barnets CPR-nummer."},
    )
    consent_on = _date("Samtykke givet den", missing="Skriv datoen for samtykket.")
    consent_confirmed = forms.BooleanField(
        label="Forældremyndighedsindehaveren har givet samtykke til den tidlige indsats "
        "og til, at jeg slår barnet op",
        error_messages={
            "required": "Du må kun slå barnet op, når forældremyndighedsindehaveren har givet "
            "samtykke."
        },
    )

    def clean_cpr(self) -> cpr.CprNumber:
        return cpr.parse(self.cleaned_data["cpr"])


class EndEarlyHelpForm(forms.Form):
    ended_on = _date("Sidste dag med indsatsen", missing="Skriv slutdatoen.")
    end_reason = forms.ChoiceField(
        label="Afsluttet fordi",
        choices=[("", "Vælg")] + list(EarlyHelpEnd.choices),
        error_messages={
            "required": "Vælg, hvorfor indsatsen slutter.",
            "invalid_choice": "Vælg, hvorfor indsatsen slutter.",
        },
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    end_note = forms.CharField(
        label="Bemærkning",
        required=False,
        max_length=NOTE_MAX,
        help_text="Skal udfyldes ved »Andet«.",
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-input"}),
        error_messages={"max_length": TOO_LONG},
    )


def put_errors(form: forms.Form, error: ValidationError) -> None:
    """The action's errors on the form's fields (unknown fields on the whole form)."""
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)
