"""Figures on the child's voice and the family's network, for the indicator library (issue 5,
docs/voice-figures.md).

Each function takes a municipality, a period `[start, end]` (both days included) and optionally
a team (the case's team, `Case.team`, as it is now), and answers with a few set-based queries,
whatever the number of cases, in the shape of `cases.case_services.continuity`:

- `share_of_decisions_with_conversation` (one query);
- `share_of_plans_with_childs_own_goals` (one query);
- `share_of_cases_with_network_map` (one query);
- `network_meetings_and_conferences_held` (two queries).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from trappen.cases.models import Case, ChildPlan, Goal, GoalSetter
from trappen.people.models import NetworkPerson
from trappen.voice.models import (
    CaseDecision,
    FamilyGroupConference,
    NetworkMeeting,
    NetworkMeetingKind,
)


@dataclass(frozen=True)
class Share:
    """numerator ÷ denominator for the period; `value` is None when the denominator is 0."""

    start: datetime.date
    end: datetime.date
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None


@dataclass(frozen=True)
class MeetingsHeld:
    """Counts of the network's meetings held in the period (no denominator: a count)."""

    start: datetime.date
    end: datetime.date
    network_meetings: int  # kind "network" (netværksmøde)
    large_meetings: int  # kind "large" (stormøde)
    conferences_held: int  # family group conferences whose meeting (rådslagning) was held

    @property
    def total(self) -> int:
        return self.network_meetings + self.large_meetings + self.conferences_held


def _check(municipality, start: datetime.date, end: datetime.date, team) -> None:
    if end < start:
        raise ValueError("Perioden slutter, før den begynder.")
    if team is not None and team.municipality_id != municipality.pk:
        raise ValueError("Teamet hører ikke til kommunen.")


def _cases(municipality, team, prefix: str = "") -> Q:
    """The municipality's cases (of `team`, if given), as a filter on a model `prefix` away."""
    q = Q(**{f"{prefix}municipality": municipality})
    if team is not None:
        q &= Q(**{f"{prefix}team": team})
    return q


def share_of_decisions_with_conversation(
    municipality, start: datetime.date, end: datetime.date, team=None
) -> Share:
    """Share of decisions preceded by a conversation with the child (Barnets Lov § 5).

    - numerator: the decisions (`CaseDecision`) of the denominator that link a conversation with
      the child (`conversation` set); the others carry a recorded exceptional reason.
    - denominator: every `CaseDecision` on a case of the municipality (team) decided in the
      period (`start <= decided_on <= end`), of every kind (intervention, placement, change of
      step, end, follow-up).
    - period: the day the decision was made; unit: a share of decisions (0–1).

    One query.
    """
    _check(municipality, start, end, team)
    counts = CaseDecision.objects.filter(
        _cases(municipality, team, "case__"), decided_on__gte=start, decided_on__lte=end
    ).aggregate(
        denominator=Count("pk"),
        numerator=Count("pk", filter=Q(conversation__isnull=False)),
    )
    return Share(start, end, counts["numerator"], counts["denominator"])


def share_of_plans_with_childs_own_goals(
    municipality, start: datetime.date, end: datetime.date, team=None
) -> Share:
    """Share of the child's plans holding at least one of the child's own goals (§§ 91–92).

    - numerator: the plans of the denominator with at least one `Goal` set by the child
      (`set_by` = `GoalSetter.CHILD`, whenever the goal was added).
    - denominator: the child's plans (`cases.ChildPlan`) on a case of the municipality (team)
      decided in the period (`start <= decided_on <= end`) for which a plan is needed
      (`is_needed`); a recorded decision that no plan is needed (§ 91, stk. 1) is no plan. A plan
      decided but not made yet has no goals, so it counts against the share.
    - period: the day the plan was decided; unit: a share of plans (0–1).

    One query.
    """
    _check(municipality, start, end, team)
    childs_own = Goal.objects.filter(plan=OuterRef("pk"), set_by=GoalSetter.CHILD)
    counts = ChildPlan.objects.filter(
        _cases(municipality, team, "case__"),
        decided_on__gte=start,
        decided_on__lte=end,
        is_needed=True,
    ).aggregate(
        denominator=Count("pk"),
        numerator=Count("pk", filter=Q(Exists(childs_own))),
    )
    return Share(start, end, counts["numerator"], counts["denominator"])


def share_of_cases_with_network_map(
    municipality, start: datetime.date, end: datetime.date, team=None
) -> Share:
    """Share of open cases whose child has a network map.

    - numerator: the cases of the denominator whose child has at least one `NetworkPerson` on
      the map on `end`: not removed by then (`removed_on` empty or after `end`) and not added
      after it (`added_on` empty or on or before `end`).
    - denominator: the cases of the municipality (team) open on the period's last day: opened on
      or before `end` and not closed before it (`closed_on` empty or on or after `end`, the same
      "open on a day" as the other case figures).
    - period: only its last day counts (a stock, not a flow); unit: a share of cases (0–1).

    One query.
    """
    _check(municipality, start, end, team)
    on_map = NetworkPerson.objects.filter(child=OuterRef("child")).filter(
        Q(removed_on__isnull=True) | Q(removed_on__gt=end),
        Q(added_on__isnull=True) | Q(added_on__lte=end),
    )
    counts = (
        Case.objects.filter(_cases(municipality, team), opened_on__lte=end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=end))
        .aggregate(denominator=Count("pk"), numerator=Count("pk", filter=Q(Exists(on_map))))
    )
    return Share(start, end, counts["numerator"], counts["denominator"])


def network_meetings_and_conferences_held(
    municipality, start: datetime.date, end: datetime.date, team=None
) -> MeetingsHeld:
    """Network meetings and family group conferences held in the period.

    - network meetings and large meetings (stormøder): `NetworkMeeting` rows of the kind on a
      case of the municipality (team) held in the period (`start <= held_on <= end`);
    - family group conferences: `FamilyGroupConference` rows on such a case whose meeting was
      held in the period (`start <= meeting_held_on <= end`), whatever their phase now (one
      cancelled after its meeting still held it).
    - unit: counts (no denominator).

    Two queries.
    """
    _check(municipality, start, end, team)
    meetings = NetworkMeeting.objects.filter(
        _cases(municipality, team, "case__"), held_on__gte=start, held_on__lte=end
    ).aggregate(
        network=Count("pk", filter=Q(kind=NetworkMeetingKind.NETWORK)),
        large=Count("pk", filter=Q(kind=NetworkMeetingKind.LARGE)),
    )
    conferences = FamilyGroupConference.objects.filter(
        _cases(municipality, team, "case__"),
        meeting_held_on__gte=start,
        meeting_held_on__lte=end,
    ).count()
    return MeetingsHeld(start, end, meetings["network"], meetings["large"], conferences)
