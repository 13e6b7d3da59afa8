"""Forms of the network meetings and the family group conference. They only parse; the rules live
in `voice.meetings` and `voice.conferences`, whose Danish errors the views put back on the fields.
"""

from __future__ import annotations

from django import forms

from trappen.cases.plan_forms import _date, _line, _radios, _text
from trappen.people.models import NetworkConsent
from trappen.voice.conferences import NAME_MAX, TEXT_MAX, WHAT_MAX, WHO_MAX, PlanLine
from trappen.voice.models import NetworkMeetingKind

PLAN_ROWS = 8
ROW_FIELDS = ("what", "who", "person", "by_when")


class ObjectChoices(forms.TypedMultipleChoiceField):
    """Choose among objects already loaded (the child's network map, the plan's lines): the
    choices are their ids, the cleaned value the objects. Rendering and cleaning run no query,
    and an id outside the list (or garbage) is an invalid choice."""

    def __init__(self, objects, label_of, *, message: str, **kwargs):
        self.objects = {str(o.pk): o for o in objects}
        super().__init__(
            choices=[(pk, label_of(o)) for pk, o in self.objects.items()],
            coerce=self.objects.__getitem__,
            error_messages={"invalid_choice": message, "invalid_list": message},
            **kwargs,
        )


class ObjectChoice(forms.TypedChoiceField):
    """One object among those already loaded, or None (see `ObjectChoices`)."""

    def __init__(self, objects, label_of, *, message: str, empty_label: str = "–", **kwargs):
        self.objects = {str(o.pk): o for o in objects}
        super().__init__(
            choices=[("", empty_label)] + [(pk, label_of(o)) for pk, o in self.objects.items()],
            coerce=self.objects.__getitem__,
            empty_value=None,
            error_messages={"invalid_choice": message, "required": message},
            widget=forms.Select(attrs={"class": "form-select"}),
            **kwargs,
        )


NOT_ON_MAP = "Vælg kun personer fra barnets netværkskort."
NOT_IN_PLAN = "Vælg kun punkter fra familiens plan."


def _person_label(p) -> str:
    # A person whose consent is refused stays in the list, so that choosing them gets the
    # service's message naming them (voice.meetings.check_persons).
    refused = " – samtykke nægtet" if p.consent == NetworkConsent.REFUSED else ""
    return f"{p.name} ({p.relation}){refused}"


def _item_label(i) -> str:
    return f"{i.what} ({i.who}, {i.by_when:%d.%m.%Y})"


def _persons(label: str, persons, help_text: str = "") -> ObjectChoices:
    return ObjectChoices(
        persons,
        _person_label,
        message=NOT_ON_MAP,
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.CheckboxSelectMultiple,
    )


def _yes(label: str, help_text: str = "") -> forms.BooleanField:
    return forms.BooleanField(label=label, required=False, help_text=help_text)


# --- network meetings -------------------------------------------------------------------------


class MeetingForm(forms.Form):
    kind = _radios("Mødetype", NetworkMeetingKind.choices, missing="Vælg mødetypen.")
    held_on = _date("Mødet blev holdt den", required=True, missing="Skriv datoen for mødet.")
    participants = None  # set in __init__: the child's network map
    professionals = _text(
        "Fagpersoner til stede",
        limit=TEXT_MAX,
        required=False,
        help_text="Fx skolens lærer, sundhedsplejersken, rådgiveren.",
    )
    child_took_part = _yes("Barnet deltog i mødet")
    agreements = _text(
        "Aftaler",
        limit=TEXT_MAX,
        required=True,
        help_text="Hvem gør hvad, og hvornår.",
        missing="Skriv, hvad der blev aftalt på mødet.",
    )
    follow_up_on = _date(
        "Aftalerne følges op senest",
        required=False,
        help_text="Valgfrit. Du får en påmindelse en uge før.",
    )

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"] = _persons(
            "Deltagere fra barnets netværk", network, "Personerne på barnets netværkskort."
        )
        self.order_fields(["kind", "held_on", "participants"])


class MeetingFollowUpForm(forms.Form):
    held_on = _date("Opfølgningen blev holdt den", required=True, missing="Skriv datoen.")
    note = _text(
        "Hvordan er aftalerne fulgt op?",
        limit=TEXT_MAX,
        required=True,
        missing="Skriv, hvordan aftalerne er fulgt op.",
    )


# --- the family group conference -------------------------------------------------------------


class ReferForm(forms.Form):
    question = _text(
        "Spørgsmålet familien og netværket skal svare på",
        limit=TEXT_MAX,
        required=True,
        help_text="Fx: Hvordan sikrer familien, at Anna kommer i skole hver dag?",
        missing="Skriv det spørgsmål, familien og netværket skal svare på.",
    )
    coordinator_name = _line(
        "Uafhængig koordinator",
        limit=NAME_MAX,
        required=True,
        help_text="Koordinatoren er ikke sagens rådgiver.",
        missing="Skriv navnet på den uafhængige koordinator.",
    )
    coordinator_contact = _line("Koordinatorens kontakt", limit=NAME_MAX, required=False)
    referred_on = _date("Henvist den", required=True, missing="Skriv datoen for henvisningen.")


class PrepareForm(forms.Form):
    started_on = _date(
        "Forberedelsen begyndte den", required=True, missing="Skriv datoen, forberedelsen begyndte."
    )
    invited = None
    meeting_planned_on = _date("Rådslagningen er planlagt til", required=False)

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invited"] = _persons(
            "Inviterede fra barnets netværk", network, "Personerne på barnets netværkskort."
        )
        self.order_fields(["started_on", "invited", "meeting_planned_on"])


class ConferenceMeetingForm(forms.Form):
    """The meeting in its three parts, and the family's plan in rows (empty rows are skipped)."""

    held_on = _date(
        "Rådslagningen blev holdt den", required=True, missing="Skriv datoen for rådslagningen."
    )
    information_given = _text(
        "1. Fagpersonernes information",
        limit=TEXT_MAX,
        required=True,
        help_text="Hvad fagpersonerne fortalte familien og netværket om bekymringen og "
        "mulighederne.",
        missing="Skriv, hvilken information fagpersonerne gav familien og netværket.",
    )
    private_time_held = _yes(
        "2. Familiens egen tid blev holdt",
        "Familien og netværket lavede planen alene, uden fagpersoner.",
    )
    plan_accepted = _yes(
        "Jeg godkender familiens plan",
        "Rådgiveren godkender planen, når den besvarer spørgsmålet og er tryg for barnet.",
    )
    follow_up_due_on = _date(
        "Opfølgningsmødet holdes senest",
        required=False,
        help_text="Tomt: 3 måneder efter rådslagningen.",
    )

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(PLAN_ROWS):
            self.fields[f"plan_{n}_what"] = _line("Hvad", limit=WHAT_MAX, required=False)
            self.fields[f"plan_{n}_who"] = _line("Hvem", limit=WHO_MAX, required=False)
            self.fields[f"plan_{n}_person"] = ObjectChoice(
                network,
                _person_label,
                message=NOT_ON_MAP,
                label="Fra netværkskortet",
                required=False,
            )
            self.fields[f"plan_{n}_by_when"] = _date("Hvornår", required=False)
        self.rows = [[self[f"plan_{n}_{x}"] for x in ROW_FIELDS] for n in range(PLAN_ROWS)]

    def lines(self) -> list[PlanLine]:
        """The rows with anything in them (the service checks each is complete)."""
        result = []
        for n in range(PLAN_ROWS):
            what, who, person, by_when = (
                self.cleaned_data.get(f"plan_{n}_{x}") for x in ROW_FIELDS
            )
            if what or who or person or by_when:
                result.append(PlanLine(what or "", who or "", by_when, person))
        return result

    def clean(self):
        data = super().clean()
        for n in range(PLAN_ROWS):
            key = f"plan_{n}_by_when"
            filled = any(data.get(f"plan_{n}_{x}") for x in ("what", "who", "person"))
            if filled and data.get(key) is None and key not in self.errors:
                self.add_error(key, "Skriv, hvornår det skal ske.")
        return data


class ItemDoneForm(forms.Form):
    item = None
    done_on = _date("Gjort den", required=True, missing="Skriv datoen, punktet blev gjort.")

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"] = ObjectChoice(
            items, _item_label, message=NOT_IN_PLAN, label="Punkt", empty_label="Vælg punktet"
        )
        self.order_fields(["item", "done_on"])


class ConferenceFollowUpForm(forms.Form):
    held_on = _date(
        "Opfølgningsmødet blev holdt den",
        required=True,
        missing="Skriv datoen, opfølgningsmødet blev holdt.",
    )
    note = _text(
        "Hvordan er det gået med planen?",
        limit=TEXT_MAX,
        required=True,
        missing="Skriv, hvordan det er gået med planen.",
    )
    done_items = None

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        field = ObjectChoices(
            items,
            _item_label,
            message=NOT_IN_PLAN,
            label="Punkter i planen, der er gjort",
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text="Markeres som gjort på opfølgningsmødets dato.",
        )
        self.fields["done_items"] = field


class CancelForm(forms.Form):
    cancelled_on = _date("Afbrudt den", required=True, missing="Skriv datoen for afbrydelsen.")
    reason = _text(
        "Begrundelse",
        limit=TEXT_MAX,
        required=True,
        missing="Begrund, hvorfor forløbet afbrydes.",
    )
