"""A child with years of case history, built with bulk inserts (for the case page's query-count
test and for bench/case_page.py). Deterministic; synthetic people only.

Per year of history: three interventions (a new one every four months, each running eight
months, the step cycling 1, 2, 3, 2, 0, ...), a follow-up every three months of each
intervention (held when in the past, with a caseworker's and a provider's score per goal), a
step movement at each start and end, four notifications, two child conversations, three letters
and three progress notes. The years are split into cases of about three and a half years: the
earlier ones closed, the last one open, each with two caseworker assignments, a completed
investigation (the last case also one still open), and a plan with three goals (one the
child's own).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from trappen.cases.models import (
    Case,
    CaseworkerAssignment,
    ChildPlan,
    FollowUp,
    Goal,
    GoalScore,
    Intervention,
    Investigation,
    ProgressNote,
    StepMovement,
)
from trappen.core.calendar import add_months
from trappen.core.models import Letter
from trappen.notifications.models import Notification
from trappen.voice.models import ChildConversation

STEPS = (1, 2, 3, 2, 0)
CASE_YEARS = 3.5


@dataclass
class History:
    cases: list[Case] = field(default_factory=list)
    interventions: list[Intervention] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    movements: list[StepMovement] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)
    letters: list[Letter] = field(default_factory=list)

    @property
    def open_case(self) -> Case:
        return self.cases[-1]


def build_history(
    *,
    child,
    team,
    caseworkers: list,
    provider,
    today: datetime.date,
    years: int = 10,
    open_case: Case | None = None,
) -> History:
    """`years` of history for `child`, ending with an open case (`open_case` if given: its
    opening date is moved to the start of the last period)."""
    m = child.municipality
    first_day = add_months(today, -12 * years)
    n_cases = max(1, round(years / CASE_YEARS))
    bounds = [add_months(first_day, round(12 * years * k / n_cases)) for k in range(n_cases + 1)]
    history = History()
    for k in range(n_cases):
        opened, closed = bounds[k], bounds[k + 1] - datetime.timedelta(days=1)
        last = k == n_cases - 1
        if last and open_case is not None:
            open_case.opened_on = opened
            open_case.save(update_fields=["opened_on"])
            case = open_case
        else:
            case = Case.objects.create(
                municipality=m,
                child=child,
                team=team,
                caseworker=caseworkers[k % len(caseworkers)],
                source="notification",
                opened_on=opened,
                closed_on=None if last else closed,
                closing_reason="" if last else "Barnet og familien klarer sig uden støtte",
                is_synthetic=True,
            )
        history.cases.append(case)
    for case in history.cases:
        _case_records(history, case, caseworkers, provider, today)
    _child_records(history, child, team, first_day, today, years)
    return history


def _case_records(history: History, case: Case, caseworkers, provider, today) -> None:
    end = case.closed_on or today
    middle = case.opened_on + (end - case.opened_on) / 2
    CaseworkerAssignment.objects.bulk_create(
        [
            CaseworkerAssignment(
                case=case,
                caseworker=caseworkers[0],
                started_on=case.opened_on,
                ended_on=middle,
                reason="Sagen fordelt",
            ),
            CaseworkerAssignment(
                case=case,
                caseworker=caseworkers[-1],
                started_on=middle + datetime.timedelta(days=1),
                ended_on=case.closed_on,
                reason="Ny fordeling i teamet",
            ),
        ]
    )
    investigations = [
        Investigation(
            case=case,
            aware_on=case.opened_on,
            started_on=case.opened_on,
            due_on=add_months(case.opened_on, 4),
            completed_on=add_months(case.opened_on, 3),
            conclusion="Syntetisk konklusion.",
            recommendation="Hjemmebaseret støtte.",
            recommended_step=2,
        )
    ]
    if case.closed_on is None:
        started = today - datetime.timedelta(days=60)
        investigations.append(
            Investigation(
                case=case, aware_on=started, started_on=started, due_on=add_months(started, 4)
            )
        )
    Investigation.objects.bulk_create(investigations)
    plan = ChildPlan.objects.create(
        case=case,
        kind="support",
        decided_on=add_months(case.opened_on, 3),
        due_on=add_months(case.opened_on, 6),
        completed_on=add_months(case.opened_on, 5),
        made_with_child=True,
        made_with_guardians=True,
        overall_purpose="Barnet trives i skolen og hjemme.",
        is_synthetic=True,
    )
    goals = Goal.objects.bulk_create(
        [
            Goal(
                plan=plan,
                text=text,
                set_by=setter,
                baseline=3,
                target=8,
                created_on=plan.decided_on,
            )
            for text, setter in (
                ("Kommer i skole hver dag", "caseworker"),
                ("Færre konflikter derhjemme", "guardians"),
                ("Jeg vil have en ven i klassen", "child"),
            )
        ]
    )
    _interventions(history, case, end, goals, provider, caseworkers[0], today)


def _interventions(history, case, end, goals, provider, author, today) -> None:
    starts = []
    day = add_months(case.opened_on, 3)
    while day < end:
        starts.append(day)
        day = add_months(day, 4)
    rows = []
    for n, start in enumerate(starts):
        stop = add_months(start, 8) - datetime.timedelta(days=1)
        rows.append(
            Intervention(
                case=case,
                title=f"Indsats {len(history.interventions) + n + 1}",
                legal_basis="§ 32",
                step=STEPS[(len(history.interventions) + n) % len(STEPS)],
                provider=provider,
                is_immediate=n % 4 == 0,
                granted_on=start,
                start_on=start,
                end_on=stop if stop < today or case.closed_on else None,
                monthly_cost=15000 + 1000 * n,
                is_synthetic=True,
            )
        )
    if case.closed_on:
        for i in rows:
            i.end_on = min(i.end_on or case.closed_on, case.closed_on)
    created = Intervention.objects.bulk_create(rows)
    history.interventions += created
    links = Goal.interventions.through
    links.objects.bulk_create(
        [links(goal=g, intervention=i) for i in created for g in goals if (g.pk + i.pk) % 2 == 0]
        + [links(goal=goals[0], intervention=i) for i in created if (goals[0].pk + i.pk) % 2]
    )
    follow_ups, movements, notes = [], [], []
    for i in created:
        due = add_months(i.start_on, 3)
        last = i.end_on or add_months(today, 3)
        while due <= last:
            held = due if due < today else None
            follow_ups.append(
                FollowUp(
                    intervention=i,
                    due_on=due,
                    held_on=held,
                    decision="continue" if held else "",
                    progress=5 if held else None,
                    is_first=due == add_months(i.start_on, 3),
                )
            )
            due = add_months(due, 3)
        movements.append(
            StepMovement(
                case=case,
                from_step=None,
                to_step=i.step,
                moved_on=i.start_on,
                intervention=i,
                reason="Indsats startet",
            )
        )
        if i.end_on:
            movements.append(
                StepMovement(
                    case=case,
                    from_step=i.step,
                    to_step=None,
                    moved_on=i.end_on,
                    intervention=i,
                    reason="Indsats afsluttet",
                )
            )
        notes.append(
            ProgressNote(
                intervention=i,
                author=author,
                written_at=_at(add_months(i.start_on, 1)),
                text="Syntetisk statusnotat.",
            )
        )
    created_follow_ups = FollowUp.objects.bulk_create(follow_ups)
    history.follow_ups += created_follow_ups
    history.movements += StepMovement.objects.bulk_create(movements)
    ProgressNote.objects.bulk_create(notes)
    GoalScore.objects.bulk_create(
        [
            GoalScore(
                goal=g,
                follow_up=f,
                source=source,
                score=min(10, 3 + n % 6),
                recorded_on=f.held_on,
            )
            for n, f in enumerate(x for x in created_follow_ups if x.held_on)
            for g in goals[:2]
            for source in ("caseworker", "provider")
        ]
    )


def _child_records(history, child, team, first_day, today, years) -> None:
    m = child.municipality
    span = (today - first_day).days
    notifications = []
    for n in range(4 * years):
        received = _at(first_day + datetime.timedelta(days=span * n // (4 * years) + 3))
        notifications.append(
            Notification(
                municipality=m,
                child=child,
                team=team,
                received_at=received,
                reporter_kind=("school", "health", "police", "daycare")[n % 4],
                concern="Syntetisk bekymring.",
                assessment_due_at=received + datetime.timedelta(hours=24),
                status="decided",
                is_synthetic=True,
            )
        )
    history.notifications = Notification.objects.bulk_create(notifications)
    conversations, letters = [], []
    for n in range(2 * years):
        day = first_day + datetime.timedelta(days=span * n // (2 * years) + 10)
        conversations.append(
            ChildConversation(
                case=_case_on(history.cases, day), held_on=day, place="Skolen", is_synthetic=True
            )
        )
    ChildConversation.objects.bulk_create(conversations)
    for n in range(3 * years):
        day = first_day + datetime.timedelta(days=span * n // (3 * years) + 5)
        letters.append(
            Letter(
                municipality=m,
                child=child,
                case=_case_on(history.cases, day),
                recipient_name="Forælder Testesen",
                template="caseworker_changed",
                subject="Du har fået en ny rådgiver",
                body_html="<p>Syntetisk brev.</p>",
                channel="outbox",
                status="sent",
                sent_at=_at(day),
                is_synthetic=True,
            )
        )
    history.letters = Letter.objects.bulk_create(letters)


def _case_on(cases: list[Case], day: datetime.date) -> Case:
    """The case open on `day` (the first one for a day before any)."""
    return next((c for c in reversed(cases) if c.opened_on <= day), cases[0])


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
