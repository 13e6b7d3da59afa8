"""The case and its caseworker: open, change caseworker, close, and the continuity figure.

Every write is one function: atomic, `acting_user` as a keyword, the audit row in the same
transaction. Refusals raise `CaseError` with a Danish message for the user; a second open case
for a child is refused as `CaseAlreadyOpen` (never an IntegrityError), which carries the case.

- `open_case`: one open case per child per municipality (the database holds the same rule as a
  partial unique constraint, so two at once cannot both win); the first `CaseworkerAssignment`
  when a caseworker is given.
- `change_caseworker`: ends the running assignment, starts a new one, sets `case.caseworker` and
  sends the letter to every custody holder and to the child from 10 (Kalundborg's "robot").
  The case row is locked, so exactly one letter per recipient per change; no letter and no
  history row when the caseworker is unchanged.
- `close_case`: closes the case with a reason and ends the running assignment.
- `continuity`: caseworker changes per child per year, and the letters sent on change.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from trappen.cases.access import case_role, team_role
from trappen.cases.models import Case, CaseSource, CaseworkerAssignment
from trappen.core import audit, calendar
from trappen.core.letters.service import send_caseworker_changed
from trappen.core.models import AuditAction, Letter, Role, RoleAssignment, UnitKind, User

REASON_MAX = 300
CLOSING_REASON_MAX = 500
DAYS_PER_YEAR = 365
LETTER_TEMPLATE = "caseworker_changed"
OPEN_PURPOSES = {
    CaseSource.NOTIFICATION: "Sag oprettet efter underretning",
    CaseSource.EARLY_DETECTION: "Sag oprettet efter tidlig opsporing",
    CaseSource.APPLICATION: "Sag oprettet efter ansøgning fra familien",
    CaseSource.CASEWORKER: "Sag oprettet af rådgiver",
}


class CaseError(ValueError):
    """The step cannot be taken; the message is Danish, for the user."""


class CaseAlreadyOpen(CaseError):
    """The child already has an open case in the municipality (`case`)."""

    def __init__(self, case: Case):
        super().__init__(
            f"{case.child.full_name} har allerede en åben sag ({case}, {case.team.name}). "
            "Der kan kun være én åben sag pr. barn."
        )
        self.case = case


def is_caseworker_of(user: User, team_id: int) -> bool:
    """Is `user` an active caseworker of the team (read from the database, not a cache)?"""
    return (
        user.is_active
        and RoleAssignment.objects.filter(user=user, role=Role.CASEWORKER, unit_id=team_id).exists()
    )


def open_case_of(municipality_id: int, child_id: int) -> Case | None:
    return (
        Case.objects.select_related("child", "team", "caseworker")
        .filter(municipality_id=municipality_id, child_id=child_id, closed_on__isnull=True)
        .first()
    )


# --- open -------------------------------------------------------------------------------------


def open_case(
    *,
    child,
    team,
    source: CaseSource | str,
    acting_user: User,
    opened_on: datetime.date | None = None,
    caseworker: User | None = None,
    source_assessment=None,
) -> Case:
    """Open the child's case in `team`, with its first caseworker if one is given.

    `acting_user` must be a caseworker or a team leader of `team`; `caseworker` a caseworker of
    it; `source_assessment` a wellbeing assessment of the child. Raises `CaseAlreadyOpen` when
    the child has an open case in the municipality (also when another request opened one a
    moment ago), `CaseError` for the other refusals.
    """
    role = team_role(acting_user, team.pk)
    if role is None or acting_user.municipality_id != team.municipality_id:
        raise CaseError("Du kan kun oprette sager i et team, du arbejder i.")
    _check_new_case(child, team, source, caseworker, source_assessment)
    opened_on = opened_on or timezone.localdate()
    if opened_on > timezone.localdate():
        raise CaseError("En sag kan ikke oprettes med en dato i fremtiden.")
    with transaction.atomic():
        existing = open_case_of(child.municipality_id, child.pk)
        if existing is not None:
            raise CaseAlreadyOpen(existing)
        try:
            with transaction.atomic():  # a savepoint: the constraint may refuse a racing second
                case = Case.objects.create(
                    municipality_id=child.municipality_id,
                    child=child,
                    team=team,
                    caseworker=caseworker,
                    source=CaseSource(source),
                    opened_on=opened_on,
                    opened_by=acting_user,
                    source_assessment=source_assessment,
                    is_synthetic=child.is_synthetic,
                )
        except IntegrityError:
            raced = open_case_of(child.municipality_id, child.pk)
            if raced is None:
                raise
            raise CaseAlreadyOpen(raced) from None
        if caseworker is not None:
            CaseworkerAssignment.objects.create(
                case=case, caseworker=caseworker, started_on=opened_on, assigned_by=acting_user
            )
        audit.record(
            acting_user,
            AuditAction.CREATE,
            case,
            role=role,
            purpose=OPEN_PURPOSES.get(case.source, "Sag oprettet"),
        )
    return case


def _check_new_case(child, team, source, caseworker, source_assessment) -> None:
    if team.kind != UnitKind.CASEWORKER_TEAM or team.municipality_id != child.municipality_id:
        raise CaseError("Vælg et myndighedsteam i barnets kommune.")
    if source not in CaseSource.values:
        raise CaseError("Vælg, hvor sagen kommer fra.")
    if caseworker is not None and (
        caseworker.municipality_id != child.municipality_id
        or not is_caseworker_of(caseworker, team.pk)
    ):
        raise CaseError(f"{caseworker} er ikke rådgiver i {team.name}.")
    if source_assessment is not None and source_assessment.child_id != child.pk:
        raise CaseError("Trivselsvurderingen handler ikke om dette barn.")


# --- change caseworker --------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseworkerChange:
    assignment: CaseworkerAssignment
    previous: User | None
    letters: list[Letter]


def change_caseworker(
    case: Case,
    new_caseworker: User,
    *,
    acting_user: User,
    reason: str = "",
    today: datetime.date | None = None,
) -> CaseworkerChange | None:
    """Give the case to `new_caseworker` and tell the family; None when nothing changed.

    The new caseworker must be a caseworker of the case's team, and the case open. A case whose
    current caseworker has no running assignment (data from before the history existed) gets
    that assignment recorded first, from the day the case was opened, so the change counts.
    """
    role = case_role(acting_user, case)
    if role is None:
        raise CaseError("Du kan ikke skifte rådgiver på denne sag.")
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise CaseError(f"Begrundelsen må højst være på {REASON_MAX} tegn.")
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = (
            Case.objects.select_for_update(of=("self",))
            .select_related("municipality", "child", "team", "caseworker")
            .get(pk=case.pk)
        )
        if locked.caseworker_id == new_caseworker.pk:
            return None
        if locked.closed_on is not None:
            raise CaseError("Sagen er lukket. Der kan ikke skiftes rådgiver på en lukket sag.")
        if new_caseworker.municipality_id != locked.municipality_id or not is_caseworker_of(
            new_caseworker, locked.team_id
        ):
            raise CaseError(f"{new_caseworker} er ikke rådgiver i {locked.team.name}.")
        previous = locked.caseworker
        _end_assignments(locked, previous, today)
        assignment = CaseworkerAssignment.objects.create(
            case=locked,
            caseworker=new_caseworker,
            started_on=today,
            reason=reason,
            assigned_by=acting_user,
        )
        locked.caseworker = new_caseworker
        locked.save(update_fields=["caseworker"])
        audit.record(acting_user, AuditAction.UPDATE, locked, role=role, purpose="Rådgiverskift")
        letters = send_caseworker_changed(
            locked, previous_caseworker=previous, acting_user=acting_user
        )
    case.caseworker = new_caseworker
    return CaseworkerChange(assignment, previous, letters)


def _end_assignments(case: Case, previous: User | None, today: datetime.date) -> None:
    running = CaseworkerAssignment.objects.filter(case=case, ended_on__isnull=True)
    if running.update(ended_on=today) == 0 and previous is not None:
        CaseworkerAssignment.objects.create(
            case=case,
            caseworker=previous,
            started_on=min(case.opened_on, today),
            ended_on=today,
            reason="Registreret ved rådgiverskift (manglede i historikken)",
        )


# --- close ------------------------------------------------------------------------------------


def close_case(
    case: Case, *, acting_user: User, reason: str, closed_on: datetime.date | None = None
) -> Case:
    """Close the case with a reason; the running caseworker assignment ends the same day."""
    role = case_role(acting_user, case)
    if role is None:
        raise CaseError("Du kan ikke lukke denne sag.")
    reason = (reason or "").strip()
    if not reason:
        raise CaseError("Skriv en begrundelse for at lukke sagen.")
    if len(reason) > CLOSING_REASON_MAX:
        raise CaseError(f"Begrundelsen må højst være på {CLOSING_REASON_MAX} tegn.")
    closed_on = closed_on or timezone.localdate()
    if closed_on > timezone.localdate():
        raise CaseError("En sag kan ikke lukkes med en dato i fremtiden.")
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.closed_on is not None:
            raise CaseError("Sagen er allerede lukket.")
        if closed_on < locked.opened_on:
            raise CaseError("Sagen kan ikke lukkes, før den blev oprettet.")
        locked.closed_on, locked.closing_reason = closed_on, reason
        locked.save(update_fields=["closed_on", "closing_reason"])
        CaseworkerAssignment.objects.filter(case=locked, ended_on__isnull=True).update(
            ended_on=closed_on
        )
        audit.record(acting_user, AuditAction.UPDATE, locked, role=role, purpose="Sag lukket")
    case.closed_on, case.closing_reason = closed_on, reason
    return case


# --- continuity -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Continuity:
    start: datetime.date
    end: datetime.date
    changes: int
    children: int
    letters: int

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def per_child_per_year(self) -> float | None:
        """changes ÷ children ÷ (days ÷ 365); None without children."""
        if not self.children:
            return None
        return self.changes / self.children * DAYS_PER_YEAR / self.days


def continuity(municipality, start: datetime.date, end: datetime.date, team=None) -> Continuity:
    """Caseworker changes per child per year in [start, end] (both days included).

    - numerator: caseworker changes, i.e. assignments (`CaseworkerAssignment`) started in the
      period on a case of the municipality (of `team`, if given) that followed an earlier
      assignment on the same case (earlier: started before it, or the same day and stored
      before it). A case's first caseworker is not a change.
    - denominator: the distinct children with a case of the municipality (team) open at some
      day of the period (opened on or before `end`, not closed before `start`).
    - per year: changes ÷ children, scaled to a year of 365 days: × 365 ÷ the period's days.
    - letters: the letters about a new caseworker (template "caseworker_changed") created in the
      period (Copenhagen days) about the municipality's (team's) cases.

    Three set-based queries, whatever the number of cases.
    """
    if end < start:
        raise ValueError("The period ends before it starts.")
    case_q = (
        Q(municipality=municipality) if team is None else Q(municipality=municipality, team=team)
    )
    earlier = CaseworkerAssignment.objects.filter(case_id=OuterRef("case_id")).filter(
        Q(started_on__lt=OuterRef("started_on"))
        | Q(started_on=OuterRef("started_on"), pk__lt=OuterRef("pk"))
    )
    changes = (
        CaseworkerAssignment.objects.filter(
            case__in=Case.objects.filter(case_q), started_on__gte=start, started_on__lte=end
        )
        .filter(Exists(earlier))
        .count()
    )
    children = (
        Case.objects.filter(case_q, opened_on__lte=end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start))
        .values("child_id")
        .distinct()
        .count()
    )
    first_moment = datetime.datetime.combine(start, datetime.time.min, tzinfo=calendar.COPENHAGEN)
    after = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, tzinfo=calendar.COPENHAGEN
    )
    letters = Letter.objects.filter(
        municipality=municipality,
        template=LETTER_TEMPLATE,
        created_at__gte=first_moment,
        created_at__lt=after,
    )
    if team is not None:
        letters = letters.filter(case__team=team)
    return Continuity(start, end, changes, children, letters.count())
