"""Wellbeing assessments on the shared scale (trivselsvurderinger; DOMAIN.md, "The shared scale
of concern"), and what follows from the level.

- `record_assessment(...)`: a professional's assessment of a child in the professional's own
  unit (daycare group, class, health visitor's district). The rules, each refused with a Danish
  message on the field it concerns (`django.core.exceptions.ValidationError` with a dict):
  the acting user holds the professional role at the unit, and when every assignment there names
  a group or class (a district for a health visitor), the child is in one of them; the child is
  enrolled in the unit (`child.unit`) or served by it (`child.health_unit`), in the same
  municipality; the level is 1–5; the areas are from `ConcernArea`, at least one from level 2;
  parents not informed needs the reason; the date is neither in the future nor before the child
  was born; the date to look again (optional) falls after the assessment. The child's group
  (or, for a health visitor, district) is kept on the assessment as it was that day. The audit
  row is written in the same transaction.
- `next_step(level)`: what the level asks of the professional: "notify" at 4–5 (the duty to
  notify, barnets lov § 133), "consult" at 3 (ask the outreach social worker), "none" at 1–2.
- `may_assess(user, child, unit)` and `units_for(user, child)`: the access rule above, for the
  views.
- `age_band_for(birth_date, on)`: the consultation's age band (never the birth date).

docs/early-assessments.md describes the page and the rules.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from trappen.core import audit
from trappen.core.models import AuditAction, OrganisationalUnit, Role, User
from trappen.core.vocabulary import ConcernArea, ConcernLevel
from trappen.early.models import AgeBand, WellbeingAssessment
from trappen.people.models import Child

PURPOSE = "Trivselsvurdering"
NOTIFY, CONSULT, NONE = "notify", "consult", "none"
DUTY_TO_NOTIFY_PARAGRAPH = "barnets lov § 133, stk. 1"
TEXT_MAX = 5000
AGREED_WITH_MAX = 300  # the model's max_length
FOLLOW_UP_BY_MAX = 200
GROUP_MAX = 50

NO_ACCESS = "Du kan kun vurdere børn i din egen enhed (dagtilbud, skole eller sundhedspleje)."
NOT_IN_GROUP = "Du kan kun vurdere børn i din egen stue, klasse eller dit eget distrikt."
NOT_IN_UNIT = "Barnet går ikke i denne enhed og får ikke sundhedspleje herfra."
LEVEL_MISSING = "Vælg et niveau på trivselslinealen (1–5)."
AREAS_BAD = "Vælg områderne fra listen."
AREAS_MISSING = "Vælg mindst ét område, bekymringen drejer sig om."
DATE_MISSING = "Skriv datoen for vurderingen."
DATE_FUTURE = "Vurderingen kan ikke ligge i fremtiden."
DATE_BEFORE_BIRTH = "Vurderingen kan ikke ligge, før barnet blev født."
REASON_MISSING = (
    "Skriv, hvorfor forældrene ikke er informeret. Forældrene skal som udgangspunkt inddrages; "
    "undtagelsen er fx, når det kan skade barnet."
)
LOOK_AGAIN_NOT_AFTER = "Datoen for næste vurdering skal ligge efter vurderingens dato."
TOO_LONG = "Teksten må højst være på {limit} tegn."


class Errors(dict):
    """Danish messages per field; `raise_if_any` raises them as one ValidationError."""

    def add(self, field: str | None, message: str) -> None:
        self.setdefault(field or NON_FIELD_ERRORS, []).append(message)

    def raise_if_any(self) -> None:
        if self:
            raise ValidationError({k: list(v) for k, v in self.items()})


def next_step(level: int) -> str:
    """What the level asks of the professional (DOMAIN.md, "The shared scale of concern")."""
    if level >= ConcernLevel.AT_RISK:
        return NOTIFY
    if level == ConcernLevel.VULNERABLE:
        return CONSULT
    return NONE


def child_group_in(child: Child, unit_id: int) -> str:
    """The child's group or class in the unit (for a health unit: the district), or ""."""
    if child.unit_id == unit_id:
        return child.group_name
    if child.health_unit_id == unit_id:
        return child.district
    return ""


def serves(unit_id: int, child: Child) -> bool:
    return unit_id in (child.unit_id, child.health_unit_id)


def may_assess(user: User, child: Child, unit_id: int) -> bool:
    """Whether `user` is a professional at the unit who may see the child there: the whole unit,
    or the one group or class (district) an assignment names (as `core.access`)."""
    if not user.is_authenticated or child.municipality_id != user.municipality_id:
        return False
    if not serves(unit_id, child):
        return False
    groups = [g for u, g in user.unit_groups(Role.PROFESSIONAL) if u == unit_id]
    if not groups:
        return False
    return "" in groups or child_group_in(child, unit_id) in groups


def units_for(user: User, child: Child) -> list[int]:
    """The units (ids) in which `user` may assess `child`: the child's own unit first."""
    candidates = [u for u in (child.unit_id, child.health_unit_id) if u is not None]
    return [u for u in dict.fromkeys(candidates) if may_assess(user, child, u)]


def age_band_for(birth_date: datetime.date, on: datetime.date) -> str:
    """The age band (AgeBand value) of a child born on `birth_date`, on `on`; "" from 18."""
    years = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    for band, top in (
        (AgeBand.AGE_0_2, 2),
        (AgeBand.AGE_3_5, 5),
        (AgeBand.AGE_6_9, 9),
        (AgeBand.AGE_10_13, 13),
        (AgeBand.AGE_14_17, 17),
    ):
        if years <= top:
            return band.value
    return ""


def clean_text(errors: Errors, field: str, value, limit: int) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        errors.add(field, TOO_LONG.format(limit=limit))
    return text


def _level(errors: Errors, level) -> int | None:
    try:
        value = int(level)
    except (TypeError, ValueError):
        value = None
    if value not in ConcernLevel.values:
        errors.add("level", LEVEL_MISSING)
        return None
    return value


def _areas(errors: Errors, areas, level: int | None) -> list[str]:
    chosen = list(dict.fromkeys(areas or ()))
    if any(a not in ConcernArea.values for a in chosen):
        errors.add("areas", AREAS_BAD)
        return []
    if not chosen and level is not None and level >= ConcernLevel.DECLINING:
        errors.add("areas", AREAS_MISSING)
    # in the vocabulary's order, so the same choice reads the same everywhere
    return [a for a in ConcernArea.values if a in chosen]


@transaction.atomic
def record_assessment(
    *,
    child: Child,
    unit: OrganisationalUnit,
    level: int,
    areas,
    assessed_on: datetime.date | None,
    observations: str = "",
    agreed: str = "",
    agreed_with: str = "",
    follow_up_by: str = "",
    parents_informed: bool = True,
    parents_not_informed_reason: str = "",
    look_again_on: datetime.date | None = None,
    acting_user: User,
) -> WellbeingAssessment:
    """Record a professional's wellbeing assessment of `child` in `unit` (rules: module
    docstring). Raises ValidationError with Danish messages per field."""
    errors = Errors()
    if not serves(unit.pk, child) or unit.municipality_id != child.municipality_id:
        errors.add(None, NOT_IN_UNIT)
    elif not may_assess(acting_user, child, unit.pk):
        groups = [g for u, g in acting_user.unit_groups(Role.PROFESSIONAL) if u == unit.pk]
        errors.add(None, NOT_IN_GROUP if groups else NO_ACCESS)
    value = _level(errors, level)
    chosen = _areas(errors, areas, value)
    today = timezone.localdate()
    if assessed_on is None:
        errors.add("assessed_on", DATE_MISSING)
    elif assessed_on > today:
        errors.add("assessed_on", DATE_FUTURE)
    elif assessed_on < child.birth_date:
        errors.add("assessed_on", DATE_BEFORE_BIRTH)
    if look_again_on is not None and assessed_on is not None and look_again_on <= assessed_on:
        errors.add("look_again_on", LOOK_AGAIN_NOT_AFTER)
    reason = clean_text(
        errors, "parents_not_informed_reason", parents_not_informed_reason, TEXT_MAX
    )
    informed = bool(parents_informed)
    if not informed and not reason:
        errors.add("parents_not_informed_reason", REASON_MISSING)
    fields = {
        "observations": clean_text(errors, "observations", observations, TEXT_MAX),
        "agreed": clean_text(errors, "agreed", agreed, TEXT_MAX),
        "agreed_with": clean_text(errors, "agreed_with", agreed_with, AGREED_WITH_MAX),
        "follow_up_by": clean_text(errors, "follow_up_by", follow_up_by, FOLLOW_UP_BY_MAX),
    }
    errors.raise_if_any()
    assessment = WellbeingAssessment.objects.create(
        child=child,
        unit=unit,
        group_name=child_group_in(child, unit.pk)[:GROUP_MAX],
        author=acting_user,
        assessed_on=assessed_on,
        level=value,
        areas=chosen,
        parents_informed=informed,
        parents_not_informed_reason="" if informed else reason,
        look_again_on=look_again_on,
        is_synthetic=child.is_synthetic,
        **fields,
    )
    audit.record(
        acting_user, AuditAction.CREATE, assessment, role=Role.PROFESSIONAL, purpose=PURPOSE
    )
    return assessment
