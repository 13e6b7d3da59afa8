"""Intake: the one service every way in (professional form, public form, API) goes through.

`submit_notification` validates, matches the child, stores the legal deadlines from
`core.calendar`, writes the timeline and the audit log, and commits before it returns; the
caller answers "received" only after that. A retried submission with the same idempotency key
returns the first notification (`created=False`); the same key with different content is a
conflict.

Decisions (docs/legal.md and the module's tests hold the reasons):

- The child is identified by a CPR number or by name and birth date. The name is always asked
  for (except for an unborn child without a CPR number), so the answer never reveals whether
  the municipality knows a CPR number. The public form may give the address instead of the
  birth date: a neighbour rarely knows a birth date, and a notification must not be lost.
- An unborn child (reason "unborn", Barnets Lov § 133 on expectant parents) needs neither
  name, CPR number nor birth date; a birth date given is the expected date and may lie up to
  300 days ahead. Without a name the notification is stored as "Ufødt barn".
- A valid CPR number is matched through its keyed hash to a Child of this municipality only.
  An unknown number creates a Child (name from the notification, birth date from the number,
  synthetic when the number or the municipality is), because the CPR number has no other
  place to be stored. Creators of a Child queue on the municipality row, so two concurrent
  notifications about one unknown child make one Child.
- Without a CPR number nothing is linked automatically, even when exactly one child in the
  municipality has the same name and birth date: names are not unique and a wrong link would
  put a notification in another child's file. The timeline notes the possible match for the
  caseworker.
- The team is the open case's team, else the caseworker team of the child's district, else
  the municipality's first caseworker team by name.
- A repeat notification is one about the child or a sibling in the same household received in
  the 12 months before (an indicator definition, DOMAIN.md).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from trappen.api.models import ApiClient
from trappen.cases.models import Case
from trappen.core import audit, cpr
from trappen.core import calendar as clock
from trappen.core.letters.service import create_letter
from trappen.core.models import (
    AuditAction,
    Letter,
    Municipality,
    OrganisationalUnit,
    Role,
    UnitKind,
    User,
)
from trappen.core.vocabulary import ConcernArea, ConcernLevel
from trappen.early.models import WellbeingAssessment
from trappen.notifications.models import (
    Channel,
    EventKind,
    Notification,
    NotificationEvent,
    NotificationReason,
    ReporterKind,
)
from trappen.people.models import Child
from trappen.people.services import find_child_by_cpr

logger = logging.getLogger(__name__)

# Longest text per field: the model's column widths, and sane limits for the free texts.
MAX_LENGTHS = {
    "concern": 20_000,
    "siblings_note": 5_000,
    "child_name": 200,
    "child_address": 300,
    "reporter_profession": 100,
    "reporter_name": 200,
    "reporter_phone": 30,
    "reporter_email": 254,
    "reporter_organisation": 200,
}
CHILD_AGE_LIMIT = 18  # Barnets Lov §§ 133-134: children and young people under 18
UNBORN_MAX_DAYS_AHEAD = 300  # an expected date of birth lies at most about 10 months ahead
UNBORN_LABEL = "Ufødt barn"
IDEMPOTENCY_KEY_MAX = 150  # Notification.idempotency_key
MAX_ID = 2**63 - 1
RECEIPT_TEMPLATE = "notification_receipt"
PHONE_PATTERN = re.compile(r"\+?[0-9][0-9 ()-]*")
REPORTING_ROLES = (Role.PROFESSIONAL, Role.OUTREACH)
ANONYMOUS_FORBIDDEN = ("reporter_name", "reporter_phone", "reporter_email", "reporter_organisation")

INVALID = "Ugyldig værdi."
BAD_CHARACTERS = "Teksten indeholder ugyldige tegn."
UNDER_18 = "Barnet skal være under 18 år: underretninger handler om børn og unge under 18 år."
ACUTE_WARNING = (
    "Du har angivet, at barnet er i akut fare. Ring også til kommunen med det samme, "
    "og ring 112, hvis der er fare for liv."
)


@dataclass(frozen=True)
class NotificationInput:
    """A submission, already parsed by its form or API schema (strings stripped, types right)."""

    channel: Channel
    reporter_kind: str  # a ReporterKind value
    concern: str
    areas: tuple[str, ...] = ()  # ConcernArea values
    reasons: tuple[str, ...] = ()  # NotificationReason values
    level: int | None = None  # ConcernLevel value
    acute: bool = False
    # The child: a CPR number, or name and birth date (and address) when it is unknown.
    child_cpr: str = ""
    child_name: str = ""
    child_birth_date: datetime.date | None = None
    child_address: str = ""
    siblings_note: str = ""
    # Who notifies
    reporter_user: User | None = None
    reporter_unit: OrganisationalUnit | None = None
    reporter_profession: str = ""
    reporter_name: str = ""
    reporter_phone: str = ""
    reporter_email: str = ""
    reporter_organisation: str = ""
    is_anonymous: bool = False
    api_client: object | None = None  # trappen.api.models.ApiClient
    wellbeing_assessment_id: int | None = None


class InvalidNotification(ValueError):
    """The submission breaks a rule. `errors` maps field names to Danish messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


class IdempotencyConflict(ValueError):
    """The idempotency key was used before for a different submission."""


@dataclass(frozen=True)
class SubmissionResult:
    notification: Notification
    created: bool  # False: a retry, answered with the first notification
    warnings: list[str] = field(default_factory=list)


# --- validation ---------------------------------------------------------------------------------


def validate_notification(municipality: Municipality, data: NotificationInput) -> None:
    """Raise InvalidNotification naming every field that breaks a rule."""
    _validate(municipality, data, today=timezone.localdate())


def _validate(
    municipality: Municipality, data: NotificationInput, *, today: datetime.date
) -> cpr.CprNumber | None:
    """Check every rule; return the parsed CPR number (or None)."""
    errors: dict[str, list[str]] = {}
    _check_types(data, errors)
    if errors:  # with wrong types the other rules cannot be read safely
        raise InvalidNotification(errors)
    _check_texts(data, errors)
    _check_choices(data, errors)
    number = _check_child(data, errors, today)
    _check_reporter(data, errors)
    _check_links(municipality, data, errors)
    if errors:
        raise InvalidNotification(errors)
    return number


def _add(errors: dict[str, list[str]], name: str, message: str) -> None:
    messages = errors.setdefault(name, [])
    if message not in messages:
        messages.append(message)


def _is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def _check_types(data: NotificationInput, errors) -> None:
    for name in ("channel", "reporter_kind", "child_cpr", *MAX_LENGTHS):
        if not isinstance(getattr(data, name), str):
            _add(errors, name, INVALID)
    for name in ("acute", "is_anonymous"):
        if not isinstance(getattr(data, name), bool):
            _add(errors, name, INVALID)
    for name in ("areas", "reasons"):
        values = getattr(data, name)
        if not isinstance(values, tuple | list) or not all(isinstance(v, str) for v in values):
            _add(errors, name, INVALID)
    if data.level is not None and (isinstance(data.level, bool) or not isinstance(data.level, int)):
        _add(errors, "level", INVALID)
    born = data.child_birth_date
    if born is not None and (
        not isinstance(born, datetime.date) or isinstance(born, datetime.datetime)
    ):
        _add(errors, "child_birth_date", "Skriv en gyldig dato.")
    for name, model in (
        ("reporter_user", User),
        ("reporter_unit", OrganisationalUnit),
        ("api_client", ApiClient),
    ):
        value = getattr(data, name)
        if value is not None and (not isinstance(value, model) or value.pk is None):
            _add(errors, name, INVALID)
    if data.wellbeing_assessment_id is not None and not _is_id(data.wellbeing_assessment_id):
        _add(errors, "wellbeing_assessment_id", INVALID)


def _storable(text: str) -> bool:
    """PostgreSQL refuses NUL in text, and UTF-8 refuses lone surrogates (from JSON escapes)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _danish_number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _check_texts(data: NotificationInput, errors) -> None:
    for name, limit in MAX_LENGTHS.items():
        value = getattr(data, name)
        if not _storable(value):
            _add(errors, name, BAD_CHARACTERS)
        elif len(value) > limit:
            _add(
                errors,
                name,
                f"Må højst være {_danish_number(limit)} tegn "
                f"(der er {_danish_number(len(value))}).",
            )
    if not data.concern.strip():
        _add(errors, "concern", "Beskriv din bekymring for barnet.")


def _check_choices(data: NotificationInput, errors) -> None:
    if data.channel not in Channel.values:
        _add(errors, "channel", "Ukendt indgang.")
    if data.reporter_kind not in ReporterKind.values:
        _add(errors, "reporter_kind", "Vælg, hvem der underretter.")
    if any(a not in ConcernArea.values for a in data.areas):
        _add(errors, "areas", "Vælg bekymringsområder fra listen.")
    if any(r not in NotificationReason.values for r in data.reasons):
        _add(errors, "reasons", "Vælg årsager fra listen.")
    if data.level is not None and data.level not in ConcernLevel.values:
        _add(errors, "level", "Vælg et niveau fra 1 til 5.")


def _age(born: datetime.date, today: datetime.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _check_birth_date(born, today, name: str, errors, *, unborn: bool) -> None:
    if born > today:
        if not unborn:
            _add(errors, name, "Fødselsdatoen kan ikke ligge i fremtiden.")
        elif (born - today).days > UNBORN_MAX_DAYS_AHEAD:
            _add(errors, name, "Terminen kan højst ligge 10 måneder ude i fremtiden.")
    elif _age(born, today) >= CHILD_AGE_LIMIT:
        _add(errors, name, UNDER_18)


def _check_child(data: NotificationInput, errors, today: datetime.date) -> cpr.CprNumber | None:
    unborn = NotificationReason.UNBORN in data.reasons
    number = None
    if data.child_cpr:
        try:
            number = cpr.parse(data.child_cpr)
        except ValidationError as exc:
            for message in exc.messages:
                _add(errors, "child_cpr", message)
        else:
            _check_birth_date(number.birth_date, today, "child_cpr", errors, unborn=False)
            if data.child_birth_date and data.child_birth_date != number.birth_date:
                _add(errors, "child_birth_date", "Fødselsdatoen passer ikke med CPR-nummeret.")
    if not data.child_name.strip() and not (unborn and not data.child_cpr):
        _add(errors, "child_name", "Skriv barnets navn.")
    if not data.child_cpr:
        _check_description(data, errors, today, unborn=unborn)
    return number


def _check_description(data: NotificationInput, errors, today, *, unborn: bool) -> None:
    """Without a CPR number: a birth date, or (public form) an address; unborn: neither."""
    if data.child_birth_date is not None:
        _check_birth_date(data.child_birth_date, today, "child_birth_date", errors, unborn=unborn)
    elif unborn:
        return
    elif data.channel != Channel.PUBLIC_FORM:
        _add(errors, "child_birth_date", "Skriv barnets fødselsdato eller CPR-nummer.")
    elif not data.child_address.strip():
        _add(
            errors,
            "child_birth_date",
            "Skriv barnets fødselsdato eller adresse, så vi kan finde barnet.",
        )


def _check_reporter(data: NotificationInput, errors) -> None:
    professional = data.reporter_kind in ReporterKind.professional()
    if data.is_anonymous:
        _check_anonymous(data, errors, professional)
    elif data.reporter_kind == ReporterKind.ANONYMOUS:
        _add(errors, "is_anonymous", "Vælg at underrette anonymt, eller vælg hvem du er.")
    if data.channel == Channel.PROFESSIONAL_FORM:
        if data.reporter_user is None:
            _add(errors, "reporter_user", "Du skal være logget ind som fagperson.")
        if data.reporter_unit is None:
            _add(errors, "reporter_unit", "Vælg den enhed, du underretter fra.")
        if data.reporter_kind in ReporterKind.values and not professional:
            _add(errors, "reporter_kind", "Vælg den type arbejdssted, du underretter fra.")
    elif data.channel == Channel.API:
        if data.api_client is None:
            _add(errors, "api_client", "Underretninger via API skal have en API-klient.")
        unit = data.reporter_unit or getattr(data.api_client, "unit", None)
        if unit is None and not data.reporter_name.strip():
            _add(errors, "reporter_name", "Angiv underretterens navn eller enhed.")
    elif data.channel == Channel.PUBLIC_FORM and not data.is_anonymous:
        if not data.reporter_name.strip():
            _add(errors, "reporter_name", "Skriv dit navn, eller vælg at underrette anonymt.")
        if professional and not (data.reporter_phone.strip() or data.reporter_email.strip()):
            _add(
                errors,
                "reporter_email",
                "Skriv din e-mail eller dit telefonnummer, så vi kan sende dig en kvittering.",
            )
    _check_contact(data, errors)


def _check_anonymous(data: NotificationInput, errors, professional: bool) -> None:
    if data.channel != Channel.PUBLIC_FORM:
        _add(errors, "is_anonymous", "Kun den offentlige formular kan bruges anonymt.")
    if professional:
        _add(
            errors,
            "is_anonymous",
            "Fagpersoner kan ikke underrette anonymt, fordi de har skærpet underretningspligt.",
        )
    for name in ANONYMOUS_FORBIDDEN:
        if getattr(data, name).strip():
            _add(
                errors,
                name,
                "En anonym underretning må ikke indeholde navn eller kontaktoplysninger.",
            )
    if data.reporter_user is not None:
        _add(errors, "reporter_user", "En anonym underretning kan ikke knyttes til en bruger.")
    if data.reporter_unit is not None:
        _add(errors, "reporter_unit", "En anonym underretning kan ikke knyttes til en enhed.")


def _check_contact(data: NotificationInput, errors) -> None:
    if data.reporter_email and "reporter_email" not in errors:
        try:
            validate_email(data.reporter_email)
        except ValidationError:
            _add(errors, "reporter_email", "Skriv en gyldig e-mailadresse.")
    phone = data.reporter_phone
    if phone and "reporter_phone" not in errors:
        digits = sum(c.isdigit() for c in phone)
        if not PHONE_PATTERN.fullmatch(phone) or not 8 <= digits <= 15:
            _add(errors, "reporter_phone", "Skriv et gyldigt telefonnummer, fx 12 34 56 78.")


def _check_links(municipality: Municipality, data: NotificationInput, errors) -> None:
    user, unit, client = data.reporter_user, data.reporter_unit, data.api_client
    if user is not None and user.municipality_id != municipality.pk:
        _add(errors, "reporter_user", "Brugeren hører ikke til kommunen.")
    if unit is not None and unit.municipality_id != municipality.pk:
        _add(errors, "reporter_unit", "Enheden hører ikke til kommunen.")
    elif (
        unit is not None
        and user is not None
        and data.channel == Channel.PROFESSIONAL_FORM
        and unit.pk not in _reporting_unit_ids(user)
    ):
        _add(errors, "reporter_unit", "Du kan kun underrette fra en enhed, du er tilknyttet.")
    if client is not None and (client.municipality_id != municipality.pk or not client.is_active):
        _add(errors, "api_client", "API-klienten har ikke adgang til kommunen.")
    if data.wellbeing_assessment_id is not None:
        assessments = WellbeingAssessment.objects.filter(
            pk=data.wellbeing_assessment_id, child__municipality=municipality
        )
        if unit is not None:
            assessments = assessments.filter(unit=unit)
        if not assessments.exists():
            _add(errors, "wellbeing_assessment_id", "Trivselsvurderingen findes ikke.")


def _reporting_unit_ids(user: User) -> set[int]:
    return {unit_id for role in REPORTING_ROLES for unit_id in user.unit_ids(role)}


def _clean_key(key: str | None) -> str | None:
    if key is None or key == "":
        return None
    if not isinstance(key, str) or len(key) > IDEMPOTENCY_KEY_MAX or not _storable(key):
        raise InvalidNotification(
            {"idempotency_key": [f"Ugyldig idempotensnøgle (højst {IDEMPOTENCY_KEY_MAX} tegn)."]}
        )
    return key


# --- submission ---------------------------------------------------------------------------------


def submit_notification(
    municipality: Municipality,
    data: NotificationInput,
    *,
    idempotency_key: str | None = None,
    now: datetime.datetime | None = None,
) -> SubmissionResult:
    """Store a notification (or return the first one for a repeated key); see the module doc."""
    now = now or timezone.now()
    key = _clean_key(idempotency_key)
    number = _validate(municipality, data, today=clock.local_date(now))
    digest = submission_hash(municipality, data, number)
    warnings = [ACUTE_WARNING] if data.acute else []
    first = _first_for_key(key, digest)
    if first is not None:
        return SubmissionResult(first, created=False, warnings=warnings)
    try:
        with transaction.atomic():
            notification = _store(municipality, data, number, key=key, digest=digest, now=now)
    except IntegrityError:
        # A concurrent submission with the same key committed first: answer with its row.
        first = _first_for_key(key, digest)
        if first is None:
            raise
        return SubmissionResult(first, created=False, warnings=warnings)
    if notification.reporter_kind in ReporterKind.professional():
        _send_receipt_safely(notification, now)
    return SubmissionResult(notification, created=True, warnings=warnings)


def submission_hash(
    municipality: Municipality, data: NotificationInput, number: cpr.CprNumber | None
) -> str:
    """SHA-256 of a canonical JSON of the submission; the CPR number only as its keyed hash."""
    born = data.child_birth_date
    payload = {
        "municipality": municipality.pk,
        "channel": data.channel,
        "reporter_kind": data.reporter_kind,
        "concern": data.concern,
        "areas": sorted(set(data.areas)),
        "reasons": sorted(set(data.reasons)),
        "level": data.level,
        "acute": data.acute,
        "child_cpr": cpr.lookup_hash(number.digits) if number else "",
        "child_name": data.child_name,
        "child_birth_date": born.isoformat() if born else None,
        "child_address": data.child_address,
        "siblings_note": data.siblings_note,
        "reporter_user": getattr(data.reporter_user, "pk", None),
        "reporter_unit": getattr(data.reporter_unit, "pk", None),
        "reporter_profession": data.reporter_profession,
        "reporter_name": data.reporter_name,
        "reporter_phone": data.reporter_phone,
        "reporter_email": data.reporter_email,
        "reporter_organisation": data.reporter_organisation,
        "is_anonymous": data.is_anonymous,
        "api_client": getattr(data.api_client, "pk", None),
        "wellbeing_assessment_id": data.wellbeing_assessment_id,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _first_for_key(key: str | None, digest: str) -> Notification | None:
    if key is None:
        return None
    first = Notification.objects.filter(idempotency_key=key).first()
    if first is not None and first.submission_hash != digest:
        raise IdempotencyConflict(
            "Idempotensnøglen er allerede brugt til en anden underretning. "
            "Brug en ny nøgle til en ny underretning."
        )
    return first


def _store(
    municipality: Municipality,
    data: NotificationInput,
    number: cpr.CprNumber | None,
    *,
    key: str | None,
    digest: str,
    now: datetime.datetime,
) -> Notification:
    """Insert first (so a concurrent retry waits on the key), then match, clock and log."""
    notification = Notification.objects.create(
        **_fields(municipality, data, number, now), idempotency_key=key, submission_hash=digest
    )
    child, child_created = _child_for(municipality, data, number)
    case = _open_case(child)
    siblings = _siblings(child)
    notification.child = child
    notification.case = case
    notification.team = case.team if case else _team_for(municipality, child)
    notification.is_repeat = _is_repeat(notification, [child, *siblings]) if child else False
    notification.is_synthetic = municipality.is_synthetic or bool(child and child.is_synthetic)
    notification.save(update_fields=["child", "case", "team", "is_repeat", "is_synthetic"])
    if siblings:
        notification.siblings.set(siblings)
    _write_timeline(notification, data, child_created=child_created, siblings=siblings)
    _write_audit(notification, data, child if child_created else None)
    if case is not None:  # § 137: a measure on the open case is re-assessed (cases.reassessment)
        from trappen.cases.reassessment import flag_reassessment

        flag_reassessment(notification, now=now)
    return notification


def _fields(municipality, data: NotificationInput, number, now) -> dict:
    professional = data.reporter_kind in ReporterKind.professional()
    unborn_without_name = NotificationReason.UNBORN in data.reasons and not data.child_name
    return {
        "municipality": municipality,
        "channel": data.channel,
        "received_at": now,
        "reporter_kind": data.reporter_kind,
        "reporter_unit": data.reporter_unit or getattr(data.api_client, "unit", None),
        "reporter_user": data.reporter_user,
        "reporter_profession": data.reporter_profession,
        "reporter_name": data.reporter_name,
        "reporter_phone": data.reporter_phone,
        "reporter_email": data.reporter_email,
        "reporter_organisation": data.reporter_organisation,
        "is_anonymous": data.is_anonymous,
        "api_client": data.api_client,
        "child_name": UNBORN_LABEL if unborn_without_name else data.child_name,
        "child_birth_date": number.birth_date if number else data.child_birth_date,
        "child_address": data.child_address,
        "siblings_note": data.siblings_note,
        "concern": data.concern,
        "areas": list(dict.fromkeys(data.areas)),
        "reasons": list(dict.fromkeys(data.reasons)),
        "level": data.level,
        "acute": data.acute,
        "wellbeing_assessment_id": data.wellbeing_assessment_id,
        # The legal clock (docs/legal.md): computed once, stored on the record.
        "assessment_due_at": clock.notification_assessment_due(now),
        "receipt_due_on": clock.notification_receipt_due(now, municipality)
        if professional
        else None,
        "feedback_due_on": clock.notification_feedback_due(now) if professional else None,
        "is_synthetic": municipality.is_synthetic,
    }


# --- matching -----------------------------------------------------------------------------------


def _child_for(municipality, data: NotificationInput, number) -> tuple[Child | None, bool]:
    """The child with this CPR number in the municipality, created if unknown; no number: None."""
    if number is None:
        return None, False
    child = find_child_by_cpr(municipality, number)
    if child is not None:
        return child, False
    # Creators of a Child queue on the municipality row, then look again (one Child per number).
    # NO KEY UPDATE does not block the foreign-key checks of other inserts.
    list(Municipality.objects.select_for_update(no_key=True).filter(pk=municipality.pk))
    child = find_child_by_cpr(municipality, number)
    if child is not None:
        return child, False
    first_name, last_name = _split_name(data.child_name)
    child = Child(
        municipality=municipality,
        first_name=first_name,
        last_name=last_name,
        birth_date=number.birth_date,
        is_synthetic=municipality.is_synthetic or number.synthetic,
    )
    child.set_cpr(number.digits)
    child.save()
    return child, True


def _split_name(name: str) -> tuple[str, str]:
    parts = name.split()
    if not parts:
        return "Ukendt", ""
    if len(parts) == 1:
        return parts[0][:100], ""
    return " ".join(parts[:-1])[:100], parts[-1][:100]


def _open_case(child: Child | None) -> Case | None:
    if child is None:
        return None
    return (
        Case.objects.filter(child=child, closed_on__isnull=True)
        .select_related("team")
        .order_by("-opened_on", "-pk")
        .first()
    )


def _team_for(municipality: Municipality, child: Child | None) -> OrganisationalUnit | None:
    """The caseworker team of the child's district, else the municipality's first by name."""
    teams = OrganisationalUnit.objects.filter(
        municipality=municipality, kind=UnitKind.CASEWORKER_TEAM
    ).order_by("name", "pk")
    if child is not None and child.district:
        team = teams.filter(district=child.district).first()
        if team is not None:
            return team
    return teams.first()


def _siblings(child: Child | None) -> list[Child]:
    if child is None or child.household_id is None:
        return []
    return list(
        Child.objects.filter(household_id=child.household_id).exclude(pk=child.pk).order_by("pk")
    )


def _is_repeat(notification: Notification, children: list[Child]) -> bool:
    """Another notification about the child or a sibling in the 12 months before this one."""
    since = clock.repeat_notification_window_start(notification.received_at)
    return (
        Notification.objects.filter(
            child__in=children,
            received_at__gte=since,
            received_at__lt=notification.received_at,
        )
        .exclude(pk=notification.pk)
        .exists()
    )


def _possible_matches(notification: Notification) -> int:
    """Children of the municipality with the notification's name and birth date (not linked)."""
    if not notification.child_birth_date or not notification.child_name:
        return 0
    wanted = _normalised(notification.child_name)
    candidates = Child.objects.filter(
        municipality_id=notification.municipality_id, birth_date=notification.child_birth_date
    ).only("first_name", "last_name")
    return sum(_normalised(c.full_name) == wanted for c in candidates)


def _normalised(name: str) -> str:
    return " ".join(name.split()).casefold()


# --- timeline and audit -------------------------------------------------------------------------


def _write_timeline(
    notification: Notification, data: NotificationInput, *, child_created: bool, siblings: list
) -> None:
    received_note = f"Modtaget via {notification.get_channel_display().lower()}."
    if notification.child_id is None:
        matches = _possible_matches(notification)
        if matches:
            received_note += (
                f" {matches} barn/børn i kommunen har samme navn og fødselsdato. Underretningen er "
                "ikke knyttet automatisk: rådgiveren afgør, om det er samme barn."
            )
    events = [
        NotificationEvent(
            notification=notification,
            occurred_at=notification.received_at,
            kind=EventKind.RECEIVED,
            actor=data.reporter_user,
            note=received_note,
        )
    ]
    if notification.child_id is not None:
        events.append(
            NotificationEvent(
                notification=notification,
                occurred_at=notification.received_at,
                kind=EventKind.MATCHED,
                note=_match_note(notification, child_created, len(siblings)),
            )
        )
    NotificationEvent.objects.bulk_create(events)


def _match_note(notification: Notification, child_created: bool, sibling_count: int) -> str:
    parts = ["Knyttet til barnet via CPR-nummeret."]
    if child_created:
        parts.append("Barnet var ikke kendt i kommunen og er oprettet.")
    if notification.case_id:
        parts.append("Barnet har en åben sag; underretningen er knyttet til den.")
    if sibling_count:
        parts.append(f"Søskende i husstanden: {sibling_count}.")
    if notification.is_repeat:
        parts.append(
            "Gentagen underretning: der er underrettet om barnet eller en søskende "
            "inden for 12 måneder."
        )
    return " ".join(parts)


def _write_audit(notification: Notification, data: NotificationInput, new_child) -> None:
    purpose = f"Underretning modtaget ({notification.get_channel_display()})"
    if data.api_client is not None:
        purpose += f", API-klient {data.api_client.pk}"
    entries = [audit.entry_for(notification, AuditAction.CREATE, purpose=purpose)]
    if new_child is not None:
        entries.append(
            audit.entry_for(new_child, AuditAction.CREATE, purpose="Barn oprettet fra underretning")
        )
    audit.record_many(
        data.reporter_user,
        entries,
        role=_reporter_role(data),
        municipality=notification.municipality,
    )


def _reporter_role(data: NotificationInput) -> str:
    user, unit = data.reporter_user, data.reporter_unit
    if user is None or unit is None:
        return ""
    for role in REPORTING_ROLES:
        if unit.pk in user.unit_ids(role):
            return str(role)
    return ""


# --- the receipt --------------------------------------------------------------------------------


def send_receipt(
    notification: Notification, *, now: datetime.datetime | None = None
) -> Letter | None:
    """Create the receipt letter to a professional notifier, once; return it (None: no receipt).

    Idempotent and safe to call from the deadline task: the notification row is locked, and a
    receipt already created is returned, not made again. The letter goes to the reporting user,
    else to the reporting unit, else to the named reporter; it carries no child (the notifier
    must not reach the child's record through the letter). Sets `receipt_sent_at` and a
    RECEIPT_SENT event. Letter errors propagate; `submit_notification` catches them.
    """
    if notification.reporter_kind not in ReporterKind.professional():
        return None
    with transaction.atomic():
        locked = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("municipality", "reporter_user", "reporter_unit")
            .get(pk=notification.pk)
        )
        if locked.receipt_sent_at is not None:
            notification.receipt_sent_at = locked.receipt_sent_at
            return locked.letters.filter(template=RECEIPT_TEMPLATE).order_by("pk").first()
        recipient_user, recipient_name = _receipt_recipient(locked)
        if not recipient_name:
            return None
        # Rendered under the row lock (about 0.1 s) so two callers cannot both make a receipt.
        letter = create_letter(
            template=RECEIPT_TEMPLATE,
            context={"notification": locked, "hide_team": True},
            municipality=locked.municipality,
            recipient_name=recipient_name[:200],
            recipient_user=recipient_user,
            notification=locked,
            child=None,
        )
        locked.receipt_sent_at = now or timezone.now()
        locked.save(update_fields=["receipt_sent_at"])
        NotificationEvent.objects.create(
            notification=locked,
            occurred_at=locked.receipt_sent_at,
            kind=EventKind.RECEIPT_SENT,
            note=f"Kvittering dannet og sendt til udbakken (brev {letter.pk}).",
        )
    notification.receipt_sent_at = locked.receipt_sent_at
    return letter


def _receipt_recipient(notification: Notification) -> tuple[User | None, str]:
    user = notification.reporter_user
    if user is not None:
        return user, user.get_full_name() or user.username
    if notification.reporter_unit is not None:
        return None, notification.reporter_unit.name
    parts = (notification.reporter_name, notification.reporter_organisation)
    return None, ", ".join(p for p in parts if p)


def _send_receipt_safely(notification: Notification, now: datetime.datetime) -> None:
    """The notification is committed; a failing receipt is left to the deadline task's retry."""
    try:
        send_receipt(notification, now=now)
    except Exception:
        logger.exception(
            "Receipt for notification %s not created; it will be retried", notification.pk
        )
