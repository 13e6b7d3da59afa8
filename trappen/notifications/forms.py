"""The forms of the two web ways in: the professional's notification and the public one.

The forms check the shape of the input (lengths, choices, dates) and build a
`services.NotificationInput`; the rules live in `services.validate_notification`, and
`add_service_errors` puts its Danish messages on the fields they name.

Every form carries a hidden random token, made when the form is rendered; the view submits with
the idempotency key "web:<token>", so a double click or a retried POST returns the first
notification instead of storing a second one.
"""

from __future__ import annotations

import secrets

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

from trappen.core.form_fields import PkModelChoiceField
from trappen.core.models import OrganisationalUnit, UnitKind, User
from trappen.core.vocabulary import ConcernArea, ConcernLevel
from trappen.notifications.models import Channel, NotificationReason, ReporterKind
from trappen.notifications.services import MAX_LENGTHS, NotificationInput
from trappen.people.forms import NoEchoTextInput

FORM_KEY_PATTERN = r"[A-Za-z0-9_-]{32,64}"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y"]

# The form's own messages (a dict, so ruff does not take "token" constants for passwords).
MESSAGES = {
    "token": (
        "Formularen var udløbet eller ufuldstændig. Kontrollér oplysningerne, og send den igen."
    ),
    "token_reused": (
        "Denne formular er allerede sendt med andre oplysninger. Vil du sende en ny "
        "underretning, så kontrollér oplysningerne og send igen."
    ),
    "bot": (
        "Formularen kunne ikke sendes. Prøv igen, eller ring til kommunen, hvis du er bekymret "
        "for et barn."
    ),
}
MAX_LENGTH_MESSAGE = "Teksten må højst være på %(limit_value)d tegn (den er på %(show_value)d)."
CHOICE_MESSAGE = "Vælg kun blandt mulighederne på listen."

REPORTER_KIND_BY_UNIT_KIND = {
    UnitKind.SCHOOL: ReporterKind.SCHOOL,
    UnitKind.DAYCARE: ReporterKind.DAYCARE,
    UnitKind.HEALTH_SERVICE: ReporterKind.HEALTH_VISITOR,
}

# The public form's simpler lists: how the notifier knows the child, and the reasons a
# citizen can tell apart (the rest are for professionals and the caseworker's screening).
PUBLIC_REPORTER_KINDS = (
    (ReporterKind.PARENT.value, "Jeg er forælder til barnet"),
    (ReporterKind.CHILD.value, "Jeg er barnet eller den unge selv"),
    (ReporterKind.FAMILY_NETWORK.value, "Jeg er i familie med barnet eller kender familien"),
    (ReporterKind.CITIZEN.value, "Jeg er nabo eller anden borger"),
    (ReporterKind.OTHER.value, "Andet"),
)
PUBLIC_REASONS = (
    NotificationReason.VIOLENCE,
    NotificationReason.SEXUAL_ABUSE,
    NotificationReason.NEGLECT,
    NotificationReason.PARENT_SUBSTANCE,
    NotificationReason.PARENT_MENTAL_HEALTH,
    NotificationReason.DOMESTIC_CONFLICT,
    NotificationReason.CHILD_BEHAVIOUR,
    NotificationReason.CRIME,
    NotificationReason.OTHER,
)
NAMED, ANONYMOUS = "navn", "anonym"


def new_form_token() -> str:
    return secrets.token_urlsafe(32)


def _text(label: str, max_length: int, *, required: bool = False, **kwargs) -> forms.CharField:
    attrs = {"class": "form-input", **kwargs.pop("attrs", {})}
    messages = {"max_length": MAX_LENGTH_MESSAGE, **kwargs.pop("error_messages", {})}
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=kwargs.pop("widget", forms.TextInput)(attrs=attrs),
        error_messages=messages,
        **kwargs,
    )


def _long_text(label: str, max_length: int, *, rows: int, **kwargs) -> forms.CharField:
    return _text(label, max_length, widget=forms.Textarea, attrs={"rows": rows}, **kwargs)


def _choices(label: str, choices, **kwargs) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-checkbox"}),
        error_messages={"invalid_choice": CHOICE_MESSAGE, "invalid_list": CHOICE_MESSAGE},
        **kwargs,
    )


def _level(*, required: bool) -> forms.TypedChoiceField:
    choices = list(ConcernLevel.choices)
    if not required:
        choices.append(("", "Ved ikke"))
    return forms.TypedChoiceField(
        label="Hvor bekymret er du?",
        help_text=(
            "Trivselslinealen: 1 I trivsel, 2 Faldende trivsel, 3 Sårbar, 4 Udsat, 5 Truet. "
            "Ved 4 og 5 har fagpersoner pligt til at underrette."
        ),
        choices=choices,
        coerce=int,
        empty_value=None,
        required=required,
        widget=forms.RadioSelect(attrs={"class": "form-radio"}),
        error_messages={
            "required": "Vælg, hvor bekymret du er, på trivselslinealen.",
            "invalid_choice": CHOICE_MESSAGE,
        },
    )


class NotificationFieldsForm(forms.Form):
    """What both forms ask about the child and the concern, and the retry token."""

    form_token = forms.CharField(
        widget=forms.HiddenInput,
        max_length=64,
        validators=[RegexValidator(f"^{FORM_KEY_PATTERN}$", MESSAGES["token"])],
        error_messages={"required": MESSAGES["token"], "max_length": MESSAGES["token"]},
    )
    child_cpr = _text(
        "Barnets CPR-nummer",
        20,
        help_text=(
            "10 cifre, fx 140315-1234. Af hensyn til sikkerheden skal CPR-nummeret skrives "
            "igen, hvis formularen har fejl."
        ),
        widget=NoEchoTextInput,
        attrs={"autocomplete": "off", "inputmode": "numeric", "class": "form-input input-width-s"},
    )
    child_name = _text("Barnets navn", MAX_LENGTHS["child_name"], attrs={"autocomplete": "off"})
    child_birth_date = forms.DateField(
        label="Barnets fødselsdato",
        help_text="Fx 14-03-2015.",
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(
            format="%Y-%m-%d", attrs={"type": "date", "class": "form-input input-width-s"}
        ),
        error_messages={"invalid": "Skriv fødselsdatoen som dd-mm-åååå, fx 14-03-2015."},
    )
    child_address = _text(
        "Barnets adresse", MAX_LENGTHS["child_address"], attrs={"autocomplete": "off"}
    )
    siblings_note = _long_text(
        "Søskende",
        MAX_LENGTHS["siblings_note"],
        rows=2,
        help_text="Har barnet søskende, du kender til? Skriv navn og alder, hvis du ved det.",
    )
    concern = _long_text(
        "Hvad er du bekymret for?",
        MAX_LENGTHS["concern"],
        rows=8,
        required=True,
        help_text=(
            "Beskriv, hvad du har set og hørt, og hvornår. Skriv så konkret som muligt, "
            "fx hvad barnet har sagt."
        ),
        error_messages={"required": "Beskriv din bekymring for barnet."},
    )
    areas = _choices(
        "Hvilke områder drejer bekymringen sig om?",
        ConcernArea.choices,
        help_text="Vælg alle, der passer.",
    )
    acute = forms.BooleanField(
        label="Jeg vurderer, at barnet er i akut fare",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-checkbox"}),
    )

    CHILD_FIELDS = ("child_cpr", "child_name", "child_birth_date", "child_address")
    # Keys of InvalidNotification that are not field names of the form.
    SERVICE_FIELD_ALIASES = {"child": "child_cpr", "is_anonymous": "identity"}

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        """Put the service's Danish messages on the fields they name (the rest on the form)."""
        for key, messages in errors.items():
            name = self.SERVICE_FIELD_ALIASES.get(key, key)
            target = name if name in self.fields and name != "form_token" else None
            for message in messages:
                self.add_error(target, message)

    def renew_token(self) -> None:
        """Give the form a new token (the old one was used for other content, or was broken)."""
        self.data = self.data.copy()
        self.data[self.add_prefix("form_token")] = new_form_token()

    @property
    def idempotency_key(self) -> str:
        return f"web:{self.cleaned_data['form_token']}"

    def _common_input(self) -> dict:
        data = self.cleaned_data
        return {
            "concern": data["concern"],
            "areas": tuple(data.get("areas") or ()),
            "reasons": tuple(data.get("reasons") or ()),
            "level": data.get("level"),
            "acute": bool(data.get("acute")),
            "child_cpr": data.get("child_cpr", ""),
            "child_name": data.get("child_name", ""),
            "child_birth_date": data.get("child_birth_date"),
            "child_address": data.get("child_address", ""),
            "siblings_note": data.get("siblings_note", ""),
        }


class ProfessionalNotificationForm(NotificationFieldsForm):
    """A logged-in professional's notification; the child may come from a wellbeing assessment."""

    reporter_unit = PkModelChoiceField(
        label="Din enhed",
        queryset=OrganisationalUnit.objects.none(),
        empty_label=None,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={
            "required": "Vælg den enhed, du underretter fra.",
            "invalid_choice": "Vælg en af dine egne enheder.",
        },
    )
    reporter_profession = _text(
        "Din faggruppe",
        MAX_LENGTHS["reporter_profession"],
        required=True,
        help_text="Fx lærer, pædagog eller sundhedsplejerske.",
        error_messages={"required": "Skriv din faggruppe, fx lærer eller pædagog."},
    )
    reporter_phone = _text(
        "Dit telefonnummer",
        MAX_LENGTHS["reporter_phone"],
        help_text="Så rådgiveren kan ringe til dig, hvis der er spørgsmål.",
        attrs={"autocomplete": "tel", "class": "form-input input-width-s"},
    )
    level = _level(required=True)
    reasons = _choices(
        "Årsager til underretningen",
        NotificationReason.choices,
        help_text="Vælg alle, der passer.",
    )

    field_order = ["reporter_unit", "reporter_profession", "reporter_phone"]

    def __init__(self, *args, units, child=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reporter_unit"].queryset = units
        if child is not None:  # the child comes from the assessment, not from the form
            for name in self.CHILD_FIELDS:
                del self.fields[name]

    def to_input(self, *, user: User, assessment=None) -> NotificationInput:
        unit = self.cleaned_data["reporter_unit"]
        child_fields = {}
        if assessment is not None:
            child = assessment.child
            child_fields = {
                "child_cpr": child.cpr,
                "child_name": child.full_name,
                "child_birth_date": child.birth_date,
            }
        return NotificationInput(
            channel=Channel.PROFESSIONAL_FORM,
            reporter_kind=REPORTER_KIND_BY_UNIT_KIND.get(unit.kind, ReporterKind.OTHER),
            **{**self._common_input(), **child_fields},
            reporter_user=user,
            reporter_unit=unit,
            reporter_profession=self.cleaned_data["reporter_profession"],
            reporter_name=user.get_full_name() or user.username,
            reporter_phone=self.cleaned_data.get("reporter_phone", ""),
            reporter_email=user.email,
            reporter_organisation=unit.name,
            wellbeing_assessment_id=assessment.pk if assessment is not None else None,
        )


class PublicNotificationForm(NotificationFieldsForm):
    """Anyone's notification, without logging in; anonymous if the notifier wishes."""

    municipality = forms.TypedChoiceField(
        label="Hvilken kommune bor barnet i?",
        coerce=int,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={
            "required": "Vælg den kommune, barnet bor i.",
            "invalid_choice": "Vælg en kommune på listen.",
        },
    )
    identity = forms.ChoiceField(
        label="Vil du oplyse, hvem du er?",
        choices=(
            (NAMED, "Ja, kommunen må kontakte mig"),
            (ANONYMOUS, "Nej, jeg vil være anonym"),
        ),
        initial=NAMED,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "form-radio"}),
        error_messages={"invalid_choice": CHOICE_MESSAGE},
    )
    reporter_kind = forms.ChoiceField(
        label="Hvordan kender du barnet?",
        choices=PUBLIC_REPORTER_KINDS,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "form-radio"}),
        error_messages={"invalid_choice": CHOICE_MESSAGE},
    )
    reporter_name = _text("Dit navn", MAX_LENGTHS["reporter_name"], attrs={"autocomplete": "name"})
    reporter_phone = _text(
        "Dit telefonnummer",
        MAX_LENGTHS["reporter_phone"],
        attrs={"autocomplete": "tel", "class": "form-input input-width-s"},
    )
    reporter_email = forms.EmailField(
        label="Din e-mail",
        max_length=MAX_LENGTHS["reporter_email"],
        required=False,
        widget=forms.EmailInput(attrs={"class": "form-input", "autocomplete": "email"}),
        error_messages={
            "invalid": "Skriv en gyldig e-mailadresse, fx navn@eksempel.dk.",
            "max_length": MAX_LENGTH_MESSAGE,
        },
    )
    # A field people never see: a bot that fills in every field gives itself away.
    website = forms.CharField(
        label="Hjemmeside (lad feltet være tomt)",
        required=False,
        widget=NoEchoTextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    level = _level(required=False)
    reasons = _choices(
        "Hvad drejer det sig om?",
        [(r.value, r.label) for r in PUBLIC_REASONS],
        help_text="Vælg alle, der passer. Du kan også springe spørgsmålet over.",
    )

    CONTACT_FIELDS = ("reporter_kind", "reporter_name", "reporter_phone", "reporter_email")

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipalities = {m.pk: m for m in municipalities}
        if len(self.municipalities) == 1:
            del self.fields["municipality"]
        else:
            self.fields["municipality"].choices = [("", "Vælg kommune")] + [
                (m.pk, m.name) for m in municipalities
            ]

    @property
    def is_anonymous(self) -> bool:
        return self.cleaned_data.get("identity") == ANONYMOUS

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise ValidationError(MESSAGES["bot"], code="honeypot")
        if self.is_anonymous:
            for name in self.CONTACT_FIELDS:  # ignored: an anonymous notifier leaves no trace
                data[name] = ""
                self.errors.pop(name, None)
        elif not data.get("reporter_kind") and "reporter_kind" not in self.errors:
            self.add_error(
                "reporter_kind", "Vælg, hvordan du kender barnet, eller vælg at være anonym."
            )
        return data

    @property
    def honeypot_filled(self) -> bool:
        return any(e.code == "honeypot" for e in self.non_field_errors().as_data())

    @property
    def chosen_municipality(self):
        if "municipality" not in self.fields:
            return next(iter(self.municipalities.values()))
        return self.municipalities.get(self.cleaned_data.get("municipality"))

    def to_input(self) -> NotificationInput:
        data = self.cleaned_data
        anonymous = self.is_anonymous
        return NotificationInput(
            channel=Channel.PUBLIC_FORM,
            reporter_kind=ReporterKind.ANONYMOUS if anonymous else data["reporter_kind"],
            **self._common_input(),
            reporter_name=data.get("reporter_name", ""),
            reporter_phone=data.get("reporter_phone", ""),
            reporter_email=data.get("reporter_email", ""),
            is_anonymous=anonymous,
        )
