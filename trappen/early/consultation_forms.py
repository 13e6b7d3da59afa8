"""The consultation pages' forms. They parse and check the shape of the input; the rules (whose
unit, which slot, the cleaning of the free text) live in `early.consultations`, whose Danish
errors the views put back on these fields with `add_service_errors`."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone

from trappen.core.form_fields import PkModelChoiceField
from trappen.core.models import OrganisationalUnit
from trappen.core.vocabulary import ConcernArea, ConcernLevel
from trappen.early import consultations as service
from trappen.early.models import AgeBand, ConsultationOutcome
from trappen.notifications.forms import FORM_KEY_PATTERN, MESSAGES, new_form_token
from trappen.people.forms import NoEchoTextInput

TOO_LONG = "Teksten må højst være på %(limit_value)d tegn (den er på %(show_value)d)."
CHOICE = "Vælg kun blandt mulighederne på listen."
BAD_DATE = "Skriv en gyldig dato, fx 14-03-2026."
BAD_TIME = "Skriv et klokkeslæt, fx 14:30."
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y"]
NO_IDENTIFYING = (
    "Skriv ikke barnets navn, CPR-nummer, adresse eller andet, der kan identificere barnet "
    "eller familien. Står der noget af det, fjerner vi det og viser dig teksten igen, før "
    "noget gemmes."
)


def _concern(label: str, *, required: bool, help_text: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=service.MAX_CONCERN,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 6, "class": "form-input", "autocomplete": "off"}),
        error_messages={
            "max_length": TOO_LONG,
            "required": "Beskriv kort, hvad du er bekymret for.",
        },
    )


def _age_band() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Barnets alder",
        choices=AgeBand.choices,
        widget=forms.RadioSelect(attrs={"class": "form-radio"}),
        error_messages={"required": "Vælg barnets alder.", "invalid_choice": CHOICE},
    )


class TokenForm(forms.Form):
    """A hidden random token made when the form is shown: a retried POST books once."""

    form_token = forms.CharField(
        widget=forms.HiddenInput,
        max_length=64,
        validators=[RegexValidator(f"^{FORM_KEY_PATTERN}$", MESSAGES["token"])],
        error_messages={"required": MESSAGES["token"], "max_length": MESSAGES["token"]},
    )

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        for name, messages in errors.items():
            target = name if name in self.fields and name != "form_token" else None
            for message in messages:
                self.add_error(target, message)

    def renew_token(self) -> None:
        self.data = self.data.copy()
        self.data[self.add_prefix("form_token")] = new_form_token()

    def replace_text(self, name: str, text: str) -> None:
        """Show the cleaned text in the field, so sending again stores exactly that."""
        self.data = self.data.copy()
        self.data[self.add_prefix(name)] = text


class ProfessionalBookingForm(TokenForm):
    unit = PkModelChoiceField(
        label="Hvilken enhed drejer det sig om?",
        queryset=OrganisationalUnit.objects.none(),
        empty_label=None,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={
            "required": "Vælg din enhed.",
            "invalid_choice": "Vælg en af dine egne enheder.",
        },
    )
    age_band = _age_band()
    level = forms.TypedChoiceField(
        label="Hvor bekymret er du?",
        help_text="Trivselslinealen: 1 I trivsel, 2 Faldende trivsel, 3 Sårbar, 4 Udsat, 5 Truet.",
        choices=ConcernLevel.choices,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "form-radio"}),
        error_messages={
            "required": "Vælg, hvor bekymret du er, på trivselslinealen.",
            "invalid_choice": CHOICE,
        },
    )
    areas = forms.MultipleChoiceField(
        label="Hvilke områder drejer bekymringen sig om?",
        help_text="Vælg alle, der passer.",
        choices=ConcernArea.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-checkbox"}),
        error_messages={"invalid_choice": CHOICE, "invalid_list": CHOICE},
    )
    concern = _concern("Hvad er du bekymret for?", required=True, help_text=NO_IDENTIFYING)

    def __init__(self, *args, units, slot=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.slot = slot
        if slot is not None:  # the slot names the unit
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = units

    def chosen_unit(self) -> OrganisationalUnit:
        return self.slot.unit if self.slot is not None else self.cleaned_data["unit"]


class ParentBookingForm(TokenForm):
    age_band = _age_band()
    concern = _concern(
        "Hvad er du bekymret for? (frivilligt)",
        required=False,
        help_text=(
            "Du kan skrive lidt om, hvad du gerne vil tale om. Skriv ikke navne, CPR-numre "
            "eller adresser: rådgivningen er anonym."
        ),
    )
    callback_phone = forms.CharField(
        label="Dit telefonnummer (frivilligt)",
        help_text=(
            "Skriv dit nummer, hvis du vil ringes op. Vi sletter nummeret, når samtalen er holdt "
            "eller aflyst."
        ),
        required=False,
        max_length=30,
        widget=forms.TextInput(
            attrs={"class": "form-input input-width-s", "autocomplete": "tel", "inputmode": "tel"}
        ),
        error_messages={"max_length": TOO_LONG},
    )
    # A field people never see: a bot that fills in every field gives itself away.
    website = forms.CharField(
        label="Hjemmeside (lad feltet være tomt)",
        required=False,
        widget=NoEchoTextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_callback_phone(self) -> str:
        try:
            return service.normalise_phone(self.cleaned_data.get("callback_phone", ""))
        except ValueError as error:
            raise ValidationError(str(error)) from None

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise ValidationError(MESSAGES["bot"], code="honeypot")
        return data

    @property
    def honeypot_filled(self) -> bool:
        return any(e.code == "honeypot" for e in self.non_field_errors().as_data())


class SlotForm(forms.Form):
    unit = PkModelChoiceField(
        label="Skole eller dagtilbud",
        queryset=OrganisationalUnit.objects.none(),
        empty_label=None,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={
            "required": "Vælg skolen eller dagtilbuddet.",
            "invalid_choice": "Vælg en af dine enheder.",
        },
    )
    day = forms.DateField(
        label="Dato",
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(
            format="%Y-%m-%d", attrs={"type": "date", "class": "form-input input-width-s"}
        ),
        error_messages={"invalid": BAD_DATE, "required": "Skriv datoen."},
    )
    at = forms.TimeField(
        label="Klokkeslæt",
        input_formats=["%H:%M", "%H.%M"],
        widget=forms.TimeInput(
            format="%H:%M", attrs={"type": "time", "class": "form-input input-width-xs"}
        ),
        error_messages={"invalid": BAD_TIME, "required": "Skriv klokkeslættet."},
    )
    minutes = forms.IntegerField(
        label="Varighed i minutter",
        min_value=service.MIN_MINUTES,
        max_value=service.MAX_MINUTES,
        initial=30,
        widget=forms.NumberInput(attrs={"class": "form-input input-width-xs"}),
        error_messages={
            "invalid": "Skriv varigheden som et helt antal minutter.",
            "required": "Skriv varigheden.",
            "min_value": f"Varigheden skal være mindst {service.MIN_MINUTES} minutter.",
            "max_value": f"Varigheden må højst være {service.MAX_MINUTES} minutter.",
        },
    )
    place = forms.CharField(
        label="Sted",
        help_text="Fx skolens mødelokale, eller 'telefon'.",
        max_length=service.MAX_PLACE,
        widget=forms.TextInput(attrs={"class": "form-input"}),
        error_messages={"required": "Skriv, hvor sparringen foregår.", "max_length": TOO_LONG},
    )
    open_to_parents = forms.BooleanField(
        label="Forældre kan også booke tiden (anonym rådgivning)",
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"class": "form-checkbox"}),
    )
    repeat_weeks = forms.IntegerField(
        label="Gentag de næste antal uger",
        help_text=f"0 = kun denne ene tid; højst {service.MAX_REPEAT_WEEKS}.",
        min_value=0,
        max_value=service.MAX_REPEAT_WEEKS,
        initial=0,
        required=False,
        widget=forms.NumberInput(attrs={"class": "form-input input-width-xs"}),
        error_messages={
            "invalid": "Skriv et helt antal uger.",
            "min_value": "Skriv 0 eller flere uger.",
            "max_value": f"Gentag højst {service.MAX_REPEAT_WEEKS} uger.",
        },
    )

    SERVICE_FIELDS = {"starts_at": "day"}

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def starts_at(self) -> datetime.datetime:
        data = self.cleaned_data
        naive = datetime.datetime.combine(data["day"], data["at"])
        return timezone.make_aware(naive, timezone.get_current_timezone())

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        for key, messages in errors.items():
            name = self.SERVICE_FIELDS.get(key, key)
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Udfald",
        choices=ConsultationOutcome.choices,
        widget=forms.RadioSelect(attrs={"class": "form-radio"}),
        error_messages={"required": "Vælg udfaldet af sparringen.", "invalid_choice": CHOICE},
    )
    outcome_note = forms.CharField(
        label="Rådgivningen",
        help_text="Kort, hvad du rådgav om. " + NO_IDENTIFYING,
        required=False,
        max_length=service.MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-input", "autocomplete": "off"}),
        error_messages={"max_length": TOO_LONG},
    )
    held_on = forms.DateField(
        label="Holdt den",
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(
            format="%Y-%m-%d", attrs={"type": "date", "class": "form-input input-width-s"}
        ),
        error_messages={"invalid": BAD_DATE, "required": "Skriv, hvornår sparringen blev holdt."},
    )

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        for name, messages in errors.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)

    def replace_text(self, name: str, text: str) -> None:
        self.data = self.data.copy()
        self.data[name] = text
