"""Early help at steps 0–1, started by the outreach social worker with the custody holders'
consent and without a case (barnets lov § 30; docs/early-help.md).

The rules, each a Danish `ValidationError` on its field:

- The acting user holds `Role.OUTREACH` at `unit`, a unit of the user's municipality.
- The child belongs to the unit (enrolled: `child.unit`, or served by a health visitor:
  `child.health_unit`) and to the user's municipality.
- The step is 0 (universal services) or 1 (preventive). An offer from the catalogue must be the
  municipality's own and at step 0 or 1; its name is the default title and its step the default
  step.
- Consent from at least one of the child's custody holders (`ChildGuardian.has_custody`) and
  from custody holders only: a parent without custody cannot consent on the child's behalf.
- Consent comes first: `consent_on <= started_on`, and consent cannot be given in the future.
- The start lies at most `MAX_DAYS_AHEAD` days ahead and at most `MAX_DAYS_BACK` days back
  (recorded soon after it began, not years later).
- A linked consultation or assessment is one of the unit's own (an assessment about the child).
- A second open early help with the same title and start for the child is refused (a double
  click saves once).

Ending (`end_early_help`) happens once, on or after the start, with a reason; "Andet" needs a
note. Both actions write their audit row (CREATE, UPDATE, naming the child) in the transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from trappen.core import audit
from trappen.core.models import AuditAction, OrganisationalUnit, Role, User
from trappen.early.models import (
    Consultation,
    EarlyHelp,
    EarlyHelpEnd,
    WellbeingAssessment,
)
from trappen.offers.models import Offer
from trappen.people.models import Child, ChildGuardian, Guardian

EARLY_STEPS = (0, 1)
MAX_DAYS_AHEAD = 30
MAX_DAYS_BACK = 365
TITLE_MAX = 200
PURPOSE_MAX = 2000
NOTE_MAX = 500


class Errors(dict):
    """Messages per field; `raise_if_any` raises them as one ValidationError."""

    def add(self, field: str | None, message: str) -> None:
        self.setdefault(field or NON_FIELD_ERRORS, []).append(message)

    def raise_if_any(self) -> None:
        if self:
            raise ValidationError(dict(self))


def is_outreach_at(user: User, unit_id: int | None) -> bool:
    return unit_id is not None and unit_id in user.unit_ids(Role.OUTREACH)


def belongs_to(child: Child, unit_id: int) -> bool:
    """Enrolled in the unit (daycare, school) or served by it (health visitor)."""
    return unit_id in (child.unit_id, child.health_unit_id)


def custody_holder_ids(child: Child) -> set[int]:
    return set(
        ChildGuardian.objects.filter(child=child, has_custody=True).values_list(
            "guardian_id", flat=True
        )
    )


def _text(errors: Errors, field: str, value, limit: int, required: str = "") -> str:
    if value is not None and not isinstance(value, str):
        errors.add(field, "Teksten kunne ikke læses.")
        return ""
    text = (value or "").strip()
    if required and not text:
        errors.add(field, required)
    if len(text) > limit:
        errors.add(field, f"Teksten må højst være på {limit} tegn.")
    return text


def _is_date(value) -> bool:
    return isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)


def _check_unit_and_child(errors: Errors, user: User, unit, child) -> None:
    if not isinstance(unit, OrganisationalUnit) or unit.municipality_id != user.municipality_id:
        errors.add("unit", "Vælg en af dine enheder.")
    elif not is_outreach_at(user, unit.pk):
        errors.add("unit", "Du er ikke fremskudt socialrådgiver for denne enhed.")
    if not isinstance(child, Child) or child.municipality_id != user.municipality_id:
        errors.add("child", "Barnet findes ikke i kommunen.")
    elif isinstance(unit, OrganisationalUnit) and not belongs_to(child, unit.pk):
        errors.add("child", "Barnet går ikke i eller hører ikke til den valgte enhed.")


def _check_offer(errors: Errors, user: User, offer) -> Offer | None:
    if offer is None:
        return None
    if not isinstance(offer, Offer) or offer.municipality_id != user.municipality_id:
        errors.add("offer", "Vælg et tilbud fra kommunens tilbudsvifte.")
        return None
    if offer.step not in EARLY_STEPS:
        errors.add("offer", "Tilbuddet ligger på trin 2 eller højere og kræver en sag.")
        return None
    return offer


def _check_step(errors: Errors, step, offer: Offer | None) -> int | None:
    if step is None or step == "":
        if offer is not None:
            return offer.step
        errors.add("step", "Vælg trin 0 eller 1.")
        return None
    if isinstance(step, bool) or not isinstance(step, int) or step not in EARLY_STEPS:
        errors.add(
            "step",
            "Tidlig indsats uden sag kan kun ligge på trin 0 eller 1. "
            "Hjælp på trin 2 og derover kræver en sag hos myndigheden.",
        )
        return None
    return step


def _check_dates(errors: Errors, started_on, consent_on, today: datetime.date) -> None:
    start_ok = _is_date(started_on)
    if not start_ok:
        errors.add("started_on", "Skriv startdatoen.")
    elif started_on > today + datetime.timedelta(days=MAX_DAYS_AHEAD):
        errors.add("started_on", f"Startdatoen må højst ligge {MAX_DAYS_AHEAD} dage frem.")
        start_ok = False
    elif started_on < today - datetime.timedelta(days=MAX_DAYS_BACK):
        errors.add("started_on", "Startdatoen må højst ligge et år tilbage.")
        start_ok = False
    if not _is_date(consent_on):
        errors.add("consent_on", "Skriv datoen for samtykket.")
    elif consent_on > today:
        errors.add("consent_on", "Samtykket kan ikke være givet i fremtiden.")
    elif start_ok and consent_on > started_on:
        errors.add("consent_on", "Samtykket skal være givet, før indsatsen starter.")


def _check_consent(errors: Errors, child, guardians: list) -> list[Guardian]:
    if not guardians:
        errors.add(
            "consenting_guardians",
            "Markér, hvem der har givet samtykke. Tidlig indsats kræver samtykke fra "
            "forældremyndighedsindehaveren.",
        )
        return []
    if not isinstance(child, Child) or any(not isinstance(g, Guardian) for g in guardians):
        errors.add("consenting_guardians", "Vælg blandt barnets forældremyndighedsindehavere.")
        return []
    holders = custody_holder_ids(child)
    if not holders:
        errors.add(
            "consenting_guardians",
            "Barnet har ingen registreret forældremyndighedsindehaver, så samtykket kan ikke "
            "registreres. Kontakt myndigheden.",
        )
        return []
    if any(g.pk not in holders for g in guardians):
        errors.add(
            "consenting_guardians",
            "Kun forældremyndighedsindehavere kan give samtykke. En forælder uden "
            "forældremyndighed kan ikke samtykke på barnets vegne.",
        )
        return []
    return guardians


def _check_sources(errors: Errors, unit, child, consultation, assessment) -> None:
    unit_id = unit.pk if isinstance(unit, OrganisationalUnit) else None
    if consultation is not None and (
        not isinstance(consultation, Consultation) or consultation.unit_id != unit_id
    ):
        errors.add("consultation", "Sparringen hører ikke til enheden.")
    if assessment is not None and (
        not isinstance(assessment, WellbeingAssessment)
        or assessment.unit_id != unit_id
        or not isinstance(child, Child)
        or assessment.child_id != child.pk
    ):
        errors.add("assessment", "Trivselsvurderingen hører ikke til barnet og enheden.")


@transaction.atomic
def start_early_help(
    *,
    child: Child,
    unit: OrganisationalUnit,
    offer: Offer | None = None,
    title: str = "",
    step: int | None = None,
    purpose: str = "",
    started_on: datetime.date,
    consent_on: datetime.date,
    consenting_guardians: Iterable[Guardian],
    consultation: Consultation | None = None,
    assessment: WellbeingAssessment | None = None,
    acting_user: User,
) -> EarlyHelp:
    """Start early help; see the module docstring for the rules."""
    today = timezone.localdate()
    errors = Errors()
    _check_unit_and_child(errors, acting_user, unit, child)
    offer = _check_offer(errors, acting_user, offer)
    step = _check_step(errors, step, offer)
    if not (title or "").strip() and offer is not None:
        title = offer.name
    title = _text(errors, "title", title, TITLE_MAX, required="Skriv, hvad indsatsen er.")
    purpose = _text(errors, "purpose", purpose, PURPOSE_MAX)
    _check_dates(errors, started_on, consent_on, today)
    guardians = _check_consent(errors, child, list(consenting_guardians or []))
    _check_sources(errors, unit, child, consultation, assessment)
    if not errors and (
        EarlyHelp.objects.filter(
            child=child, title=title, started_on=started_on, ended_on__isnull=True
        ).exists()
    ):
        errors.add(None, "Barnet har allerede denne tidlige indsats med samme startdato.")
    errors.raise_if_any()

    help = EarlyHelp.objects.create(
        municipality_id=acting_user.municipality_id,
        child=child,
        unit=unit,
        offer=offer,
        title=title,
        step=step,
        purpose=purpose,
        started_on=started_on,
        consent_on=consent_on,
        consultation=consultation,
        assessment=assessment,
        started_by=acting_user,
        is_synthetic=child.is_synthetic,
    )
    help.consenting_guardians.set(guardians)
    audit.record(
        acting_user,
        AuditAction.CREATE,
        help,
        role=Role.OUTREACH,
        purpose="Tidlig indsats startet med samtykke",
    )
    return help


@transaction.atomic
def end_early_help(
    help: EarlyHelp,
    *,
    ended_on: datetime.date,
    end_reason: str,
    end_note: str = "",
    acting_user: User,
) -> EarlyHelp:
    """End early help on `ended_on` (its last day, so it counts on the staircase up to and
    including that day), once, with a reason; "Andet" needs a note."""
    today = timezone.localdate()
    errors = Errors()
    if not is_outreach_at(acting_user, help.unit_id):
        errors.add(None, "Du er ikke fremskudt socialrådgiver for denne enhed.")
    locked = EarlyHelp.objects.select_for_update().get(pk=help.pk)
    if locked.ended_on is not None:
        errors.add(None, "Indsatsen er allerede afsluttet.")
    if not _is_date(ended_on):
        errors.add("ended_on", "Skriv slutdatoen.")
    elif ended_on < locked.started_on:
        errors.add("ended_on", "Slutdatoen kan ikke ligge før startdatoen.")
    elif ended_on > today + datetime.timedelta(days=MAX_DAYS_AHEAD):
        errors.add("ended_on", f"Slutdatoen må højst ligge {MAX_DAYS_AHEAD} dage frem.")
    if end_reason not in EarlyHelpEnd.values:
        errors.add("end_reason", "Vælg, hvorfor indsatsen slutter.")
    note = _text(errors, "end_note", end_note, NOTE_MAX)
    if end_reason == EarlyHelpEnd.OTHER and not note and "end_note" not in errors:
        errors.add("end_note", "Skriv, hvorfor indsatsen slutter, når du vælger »Andet«.")
    errors.raise_if_any()

    locked.ended_on, locked.end_reason, locked.end_note = ended_on, end_reason, note
    locked.save(update_fields=["ended_on", "end_reason", "end_note"])
    help.ended_on, help.end_reason, help.end_note = ended_on, end_reason, note
    audit.record(
        acting_user,
        AuditAction.UPDATE,
        locked,
        role=Role.OUTREACH,
        purpose="Tidlig indsats afsluttet",
    )
    return help


# --- early help on the child's page (core:child_detail) -------------------------------------

ALL_EARLY_HELP_ROLES = (Role.CASEWORKER, Role.TEAM_LEADER, Role.CITIZEN)


def early_help_for_child_page(user: User, child: Child, role: Role) -> list[EarlyHelp]:
    """The early help shown on the child's page to `user` seeing the child as `role`: all of it
    to the caseworkers and team leaders of the child's case and to the custody holders (and the
    child from 10); to an outreach worker the early help in the own units; none to others (a
    professional, a provider). The view logs each one shown."""
    if role in ALL_EARLY_HELP_ROLES:
        helps = EarlyHelp.objects.filter(child=child)
    elif role == Role.OUTREACH:
        helps = EarlyHelp.objects.filter(child=child, unit_id__in=user.unit_ids(role))
    else:
        return []
    return list(helps.select_related("unit").order_by("-started_on", "-pk")[:20])


def step_with_early_help(step: int | None, helps: Iterable[EarlyHelp], day: datetime.date):
    """The child's step from its interventions (`step`) raised by early help running on `day`."""
    running = [
        h.step for h in helps if h.started_on <= day and (h.ended_on is None or h.ended_on >= day)
    ]
    found = [s for s in (step, *running) if s is not None]
    return max(found) if found else None
