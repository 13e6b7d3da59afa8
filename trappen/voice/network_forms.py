"""Forms of the network map and of the network on an intervention. They only parse; the rules
live in `voice.network`, whose Danish errors the views put back on these forms' fields."""

from __future__ import annotations

from django import forms

from trappen.cases.plan_forms import CHOICE, TOO_LONG, _date, _line, _radios, _text
from trappen.people.models import Closeness, NetworkConsent
from trappen.voice import network

CLOSENESS_CHOICES = [(str(c.value), f"{c.value}: {c.label}") for c in Closeness]


class NetworkPersonForm(forms.Form):
    prefix = "person"

    name = _line("Navn", limit=network.NAME_MAX, required=True, missing="Skriv personens navn.")
    relation = _line(
        "Relation til barnet",
        limit=network.RELATION_MAX,
        required=True,
        help_text="Fx mormor, nabo, træner eller bedste ven.",
        missing="Skriv personens relation til barnet, fx mormor, nabo eller træner.",
    )
    closeness = forms.TypedChoiceField(
        label="Hvor tæt er personen på barnet?",
        choices=CLOSENESS_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text="Sådan som barnet selv oplever det.",
        error_messages={
            "required": "Vælg, hvor tæt personen er på barnet (1, 2 eller 3).",
            "invalid_choice": CHOICE,
        },
    )
    can_offer = _text("Hvad kan personen bidrage med?", limit=network.OFFER_MAX, required=False)
    phone = _line("Telefon", limit=network.PHONE_MAX, required=False)
    email = _line("E-mail", limit=network.EMAIL_MAX, required=False)
    address = _line("Adresse", limit=network.ADDRESS_MAX, required=False)
    consent = _radios(
        "Samtykke til at kommunen kontakter og inddrager personen",
        NetworkConsent.choices,
        missing="Vælg, om der er givet samtykke til at kontakte personen.",
    )
    consent_on = _date(
        "Samtykket blev givet eller nægtet den",
        required=False,
        help_text="Kun når samtykket er givet eller nægtet.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"consent": NetworkConsent.NOT_ASKED})
        super().__init__(*args, **kwargs)

    @classmethod
    def for_person(cls, person, data=None) -> NetworkPersonForm:
        initial = {field: getattr(person, field) for field in (*network.FIELDS, "consent_on")}
        initial["closeness"] = str(person.closeness)
        return cls(data, initial=initial)


class NetworkRoleForm(forms.Form):
    prefix = "rolle"

    person = forms.TypedChoiceField(
        label="Person fra barnets netværk",
        coerce=int,
        error_messages={
            "required": "Vælg en person fra barnets netværk.",
            "invalid_choice": "Vælg en person fra barnets eget netværk.",
        },
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    part = forms.CharField(
        label="Hvad står personen for i indsatsen?",
        max_length=network.PART_MAX,
        help_text="Fx kører barnet til fritidsjob om torsdagen.",
        widget=forms.TextInput(attrs={"class": "form-input"}),
        error_messages={
            "required": "Skriv, hvad personen står for i indsatsen.",
            "max_length": TOO_LONG,
        },
    )

    def __init__(self, *args, persons=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.persons = {p.pk: p for p in persons}
        self.fields["person"].choices = [("", "Vælg")] + [
            (p.pk, f"{p.name} ({p.relation})") for p in persons
        ]

    def chosen_person(self):
        return self.persons.get(self.cleaned_data.get("person"))
