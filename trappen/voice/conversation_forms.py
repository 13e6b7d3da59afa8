"""The form of a conversation with the child, its fields grouped under the four parts of the
Lundy model. It only parses; the rules live in `voice.conversations`, whose Danish errors the
views put back on these fields (the required ones are also checked here, with the same words, so
every error shows at once)."""

from __future__ import annotations

from django import forms

from trappen.cases.plan_forms import CHOICE, NO, TOO_LONG, YES, _date
from trappen.cases.plans import TEXT_MAX
from trappen.voice import conversations as rules
from trappen.voice.models import ConversationMethod, InformationForm

NOT_STATED = ""


def _text(label: str, help_text: str = "", *, required: str = ""):
    return forms.CharField(
        label=label,
        required=bool(required),
        max_length=TEXT_MAX,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-input"}),
        error_messages={"max_length": TOO_LONG, "required": required or "Udfyld feltet."},
    )


def _line(label: str, help_text: str = ""):
    return forms.CharField(
        label=label,
        required=False,
        max_length=rules.LINE_MAX,
        help_text=help_text,
        widget=forms.TextInput(attrs={"class": "form-input"}),
        error_messages={"max_length": TOO_LONG},
    )


def _choice(label: str, choices, help_text: str = ""):
    return forms.ChoiceField(
        label=label,
        choices=[(NOT_STATED, "Ikke angivet")] + list(choices),
        required=False,
        help_text=help_text,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": CHOICE},
    )


class ConversationForm(forms.Form):
    held_on = _date("Samtalen blev holdt den", required=True, missing=rules.HELD_ON_MISSING)
    # Rum
    place = _line("Sted", "Fx hjemme, i skolen, på en gåtur eller i bilen.")
    method = _choice("Samtaleform", ConversationMethod.choices)
    present = _text(
        "Hvem var til stede", "Fx rådgiver og barnet alene, eller med en voksen barnet kender."
    )
    made_safe = _text(
        "Hvordan blev barnet gjort trygt",
        "Fx valgte barnet selv stedet, havde en tryg voksen med eller vidste, hvad samtalen skulle "
        "bruges til.",
    )
    # Stemme
    information_given = _text(
        "Information til barnet", "Hvad fik barnet at vide om sagen og om samtalen?"
    )
    information_form = _choice("Informationens form", InformationForm.choices)
    childs_views = _text(
        "Barnets synspunkter med barnets egne ord",
        "Skriv så vidt muligt barnets egne ord. Har barnet ikke kunnet eller villet sige noget, så "
        "skriv det, og hvorfor.",
        required=rules.VIEWS_MISSING,
    )
    hopes_and_dreams = _text("Barnets håb og drømme", "Hvad ønsker barnet sig?")
    # Tilhørsforhold
    listeners = _text("Hvem lyttede", "Hvem hørte barnets synspunkter, og hvem får dem at vide?")
    decision_maker_listened = forms.TypedChoiceField(
        label="Lyttede den, der træffer afgørelsen?",
        choices=[(YES, "Ja"), (NO, "Nej"), (NOT_STATED, "Ikke angivet")],
        coerce=lambda value: value == YES,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text="Fx rådgiveren selv, eller hørte rådgiveren synspunkterne gengivet af andre?",
        error_messages={"invalid_choice": CHOICE},
    )
    # Indflydelse
    views_used = _text(
        "Hvad blev der gjort med barnets synspunkter",
        "Hvordan indgik synspunkterne i vurderingen og afgørelsen?",
    )
    explained_back = _text(
        "Hvordan blev det forklaret for barnet",
        "Hvordan fik barnet at vide, hvad der skete med det, barnet sagde?",
    )
    explained_back_on = _date("Forklaret for barnet den", required=False)
    # § 6
    told_of_support_person = forms.BooleanField(
        label="Barnet er orienteret om retten til en bisidder (§ 6)",
        required=True,
        help_text="Barnet kan have en bisidder med under hele sagen; kommunen skal fortælle barnet "
        "om det (barnets lov § 6). En bisidder skal være fyldt 15 år.",
        error_messages={"required": rules.SUPPORT_PERSON_MISSING},
    )
    support_person = _line("Bisidder", "Navnet på barnets bisidder, hvis barnet har valgt en.")

    def lundy_groups(self):
        """[(part, [bound fields])] for the template: the four parts with their questions."""
        return [(part, [self[f] for f in part.fields]) for part in rules.LUNDY_PARTS]

    def service_fields(self) -> dict:
        """The cleaned data as `record_conversation`/`update_conversation` take it."""
        return {f: self.cleaned_data[f] for f in rules.FIELDS}

    @staticmethod
    def initial_from(conversation) -> dict:
        initial = {f: getattr(conversation, f) for f in rules.FIELDS}
        listened = conversation.decision_maker_listened
        initial["decision_maker_listened"] = (
            NOT_STATED if listened is None else (YES if listened else NO)
        )
        return initial
