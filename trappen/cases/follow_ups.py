"""Follow-ups (opfølgning, barnets lov § 95): the scores, the decision, the next follow-ups, and
the flag on an intervention that shows no progress.

`record_follow_up` records a held follow-up in one transaction:
- each goal's score on the 0–10 scale from the caseworker, the provider, the parents and the
  child (`GoalScore` rows tied to the follow-up; the goals must serve the intervention);
- the decision (continue, adjust, step down, step up, end) with a required reason. END ends the
  intervention on the day of the follow-up (`interventions.end_intervention`). STEP_DOWN and
  STEP_UP are recorded as decisions only: the child's step moves when the next intervention is
  granted or this one ended, so a step movement always matches the interventions;
- the next follow-ups, set by the caseworker at each follow-up (the law fixes no interval,
  § 95, stk. 3–4): explicit dates, or an interval in months (one follow-up that many months after
  this one; by default the municipality's `follow_up_interval_months`). Each date is moved back
  to a working day (`calendar.follow_up_meeting_date`). The new schedule replaces the follow-ups
  not yet held; after END nothing is scheduled;
- whether the schedule was explained to the child (required at the first follow-up, § 95,
  stk. 3) and how;
- the no-progress flag (`update_no_progress_flag`); a decision ADJUST clears it;
- every decision but CONTINUE is a decision on the case and needs the child heard first
  (barnets lov § 5, `voice.decisions`): a `ChildHeard` with a conversation within the window
  before the follow-up's date, or the exceptional reason and a note. STEP_DOWN and STEP_UP are
  recorded as STEP_CHANGE, ADJUST as FOLLOW_UP, END as END with the follow-up set (through
  `end_intervention`), in the same transaction, so a refused guard saves nothing.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils import timezone

from trappen.cases import case_alerts
from trappen.cases.access import acting_role
from trappen.cases.interventions import end_intervention
from trappen.cases.models import (
    CaseAlert,
    CaseAlertKind,
    CaseAlertLevel,
    FollowUp,
    FollowUpDecision,
    Goal,
    GoalScore,
    Intervention,
    ScoreSource,
)
from trappen.cases.plans import (
    Errors,
    PlanError,
    check_date,
    clean_text,
    is_scale_value,
    log,
    require_case_role,
)
from trappen.core import audit, calendar
from trappen.core.models import AuditAction, User
from trappen.voice.decisions import ChildHeard, check_child_heard, record_decision
from trappen.voice.models import DecisionKind

NOTE_MAX = 500
MAX_NEXT_DATES = 12
INTERVAL_RANGE = range(1, 25)


# --- the no-progress flag ---------------------------------------------------------------------


def progress_measure(follow_up: FollowUp, goal_ids: set[int], caseworker_scores: dict) -> float:
    """The measure compared between follow-ups: the mean caseworker score over the intervention's
    goals scored at the follow-up; for an intervention without goals, its `progress` (0–10).
    None when the follow-up holds neither."""
    if goal_ids:
        scores = caseworker_scores.get(follow_up.pk, [])
        return sum(scores) / len(scores) if scores else None
    return follow_up.progress


def shows_no_progress(intervention: Intervention) -> tuple[FollowUp, FollowUp] | None:
    """Whether the intervention's last two held follow-ups show no progress.

    "No progress": at the later of the two follow-ups, the measure (`progress_measure`: the mean
    of the caseworker's scores over the intervention's goals, or, for an intervention without
    goals, the follow-up's `progress` field) is not higher than at the one before. Equal or lower
    is no progress. Fewer than two held follow-ups, or a follow-up without a measure, gives no
    verdict (None). Returns the pair (earlier, later) when there is no progress, else None.
    """
    verdict = _verdict(intervention)
    return verdict[1] if verdict is not None and verdict[0] else None


def _verdict(intervention: Intervention):
    """(no_progress, (earlier, later)) for the last two held follow-ups, or None (no verdict)."""
    held = list(
        FollowUp.objects.filter(intervention=intervention, held_on__isnull=False).order_by(
            "-held_on", "-pk"
        )[:2]
    )
    if len(held) < 2:
        return None
    later, earlier = held
    goal_ids = set(intervention.goals.values_list("pk", flat=True))
    caseworker_scores: dict[int, list[int]] = defaultdict(list)
    if goal_ids:
        rows = GoalScore.objects.filter(
            follow_up__in=held, source=ScoreSource.CASEWORKER, goal_id__in=goal_ids
        ).values_list("follow_up_id", "score")
        for follow_up_id, score in rows:
            caseworker_scores[follow_up_id].append(score)
    before = progress_measure(earlier, goal_ids, caseworker_scores)
    after = progress_measure(later, goal_ids, caseworker_scores)
    if before is None or after is None:
        return None
    return after <= before, (earlier, later)


def update_no_progress_flag(
    intervention: Intervention, *, acting_user: User | None, now: datetime.datetime | None = None
) -> bool:
    """Set or clear `Intervention.no_progress_since` after a follow-up (see `shows_no_progress`).

    No progress: the flag is set to the earlier follow-up's date (kept if already set) and a
    `CaseAlert` (NO_PROGRESS, FLAG) goes to the case's caseworker and the team leaders of the
    case's team (Hjørring: change the intervention when it does not work). Progress clears the
    flag; no verdict leaves it as it is. Returns whether the intervention is flagged.
    """
    verdict = _verdict(intervention)
    if verdict is None:
        return intervention.no_progress_since is not None
    no_progress, (earlier, _later) = verdict
    if not no_progress:
        clear_no_progress_flag(intervention, acting_user=acting_user, now=now)
        return False
    if intervention.no_progress_since is None:
        intervention.no_progress_since = earlier.held_on
        intervention.save(update_fields=["no_progress_since"])
        _alert(intervention, now or timezone.now(), acting_user)
        audit.record(
            acting_user,
            AuditAction.UPDATE,
            intervention,
            role=acting_role(acting_user, intervention.case),
            purpose="Indsats uden fremskridt ved to opfølgninger",
        )
    return True


def clear_no_progress_flag(
    intervention: Intervention, *, acting_user: User | None, now: datetime.datetime | None = None
) -> None:
    """Clear the flag (the intervention was adjusted, or progress was seen); its alerts are
    marked as seen."""
    if intervention.no_progress_since is None:
        return
    intervention.no_progress_since = None
    intervention.save(update_fields=["no_progress_since"])
    CaseAlert.objects.filter(
        kind=CaseAlertKind.NO_PROGRESS, subject_id=intervention.pk, seen_at__isnull=True
    ).update(seen_at=now or timezone.now())
    audit.record(
        acting_user,
        AuditAction.UPDATE,
        intervention,
        role=acting_role(acting_user, intervention.case),
        purpose="Markering for manglende fremskridt fjernet",
    )


def _alert(intervention: Intervention, now: datetime.datetime, actor: User | None) -> None:
    """Flag to the caseworker and the team leaders (`case_alerts`: a FLAG's recipients). Alerts
    left from an earlier flag on the same intervention are raised again (unseen, dated now)."""
    CaseAlert.objects.filter(kind=CaseAlertKind.NO_PROGRESS, subject_id=intervention.pk).update(
        seen_at=None, created_at=now
    )
    case_alerts.raise_alerts(
        [
            case_alerts.NewAlert(
                intervention.case, CaseAlertKind.NO_PROGRESS, intervention.pk, CaseAlertLevel.FLAG
            )
        ],
        now=now,
        actor=actor,
    )


# --- recording a follow-up --------------------------------------------------------------------


def record_follow_up(
    follow_up: FollowUp,
    *,
    held_on: datetime.date,
    scores: Iterable[tuple[Goal, str, int]],
    decision: FollowUpDecision | str,
    reason: str,
    acting_user: User,
    progress: int | None = None,
    next_dates: Sequence[datetime.date] | None = None,
    interval_months: int | None = None,
    schedule_explained_to_child: bool = False,
    schedule_note: str = "",
    child_heard: ChildHeard | None = None,
) -> FollowUp:
    """Record a held follow-up; see the module docstring."""
    intervention = follow_up.intervention
    case = intervention.case
    role = require_case_role(acting_user, case)
    errors = Errors()
    if follow_up.held_on is not None:
        errors.add(None, "Opfølgningen er allerede registreret.")
    held_ok = check_date(held_on, "held_on", errors, "Skriv datoen for opfølgningen.")
    if held_ok and held_on > timezone.localdate():
        errors.add("held_on", "Opfølgningen kan ikke være holdt i fremtiden.")
        held_ok = False
    if held_ok and held_on < intervention.start_on:
        errors.add("held_on", "Opfølgningen kan ikke være holdt, før indsatsen startede.")
        held_ok = False
    if decision not in FollowUpDecision.values:
        errors.add("decision", "Vælg en beslutning.")
    reason = clean_text(reason, "reason", errors, required="Begrund beslutningen.")
    if progress is not None and not is_scale_value(progress):
        errors.add("progress", "Fremskridt skal være et helt tal fra 0 til 10.")
    score_rows = _clean_scores(scores, intervention, errors)
    ends = decision == FollowUpDecision.END
    if ends and intervention.end_reason:
        errors.add("decision", "Indsatsen er allerede afsluttet.")
    schedules = not ends and not intervention.end_reason
    dates = []
    if schedules and held_ok:
        dates = next_follow_up_dates(
            case.municipality, held_on, next_dates, interval_months, errors
        )
    elif ends and (next_dates or interval_months):
        errors.add("next_dates", "Når indsatsen afsluttes, planlægges der ikke flere opfølgninger.")
    note = clean_text(schedule_note, "schedule_note", errors, limit=NOTE_MAX)
    if not isinstance(schedule_explained_to_child, bool):
        errors.add("schedule_explained_to_child", "Svar ja eller nej.")
    elif follow_up.is_first and schedules and not schedule_explained_to_child:
        errors.add(
            "schedule_explained_to_child",
            "Ved den første opfølgning skal planen for de næste opfølgninger forklares for "
            "barnet (§ 95, stk. 3).",
        )
    decides = decision in FollowUpDecision.values and decision != FollowUpDecision.CONTINUE
    heard = ChildHeard()
    if decides and held_ok:
        heard = check_child_heard(case, child_heard, held_on, errors)
    errors.raise_if_any()

    with transaction.atomic():
        locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        if locked.held_on is not None:
            raise PlanError({None: ["Opfølgningen er allerede registreret."]})
        follow_up.held_on, follow_up.held_by = held_on, acting_user
        follow_up.decision, follow_up.reason, follow_up.progress = decision, reason, progress
        follow_up.schedule_explained_to_child = schedule_explained_to_child
        follow_up.schedule_note = note
        follow_up.save(
            update_fields=[
                "held_on",
                "held_by",
                "decision",
                "reason",
                "progress",
                "schedule_explained_to_child",
                "schedule_note",
            ]
        )
        audit.record(
            acting_user, AuditAction.UPDATE, follow_up, role=role, purpose="Opfølgning (§ 95)"
        )
        _save_scores(follow_up, score_rows, held_on, acting_user, role)
        if schedules:
            _replace_schedule(follow_up, dates, acting_user, role)
        if ends:
            end_intervention(
                intervention,
                end_on=held_on,
                reason=f"Afsluttet ved opfølgning: {reason}"[:500],
                acting_user=acting_user,
                child_heard=heard,
                follow_up=follow_up,
            )
        elif decides:
            steps = decision in (FollowUpDecision.STEP_DOWN, FollowUpDecision.STEP_UP)
            label = FollowUpDecision(decision).label
            record_decision(
                case,
                kind=DecisionKind.STEP_CHANGE if steps else DecisionKind.FOLLOW_UP,
                summary=f"Opfølgning på {intervention.title}: {label}: {reason}"[:300],
                decided_on=held_on,
                acting_user=acting_user,
                conversation=heard.conversation,
                no_conversation_reason=heard.no_conversation_reason,
                no_conversation_note=heard.no_conversation_note,
                intervention=intervention,
                follow_up=follow_up,
            )
        if decision == FollowUpDecision.ADJUST:
            clear_no_progress_flag(intervention, acting_user=acting_user)
        elif not ends:
            update_no_progress_flag(intervention, acting_user=acting_user)
    return follow_up


def next_follow_up_dates(
    municipality,
    held_on: datetime.date,
    next_dates: Sequence[datetime.date] | None,
    interval_months: int | None,
    errors: Errors,
) -> list[datetime.date]:
    """The meeting days of the next follow-ups (see the module docstring), sorted, no repeats."""
    if next_dates and interval_months is not None:
        errors.add("next_dates", "Angiv enten datoer eller et interval, ikke begge.")
        return []
    if next_dates:
        if len(next_dates) > MAX_NEXT_DATES:
            errors.add("next_dates", f"Planlæg højst {MAX_NEXT_DATES} opfølgninger ad gangen.")
            return []
        days = set()
        for day in next_dates:
            if not check_date(day, "next_dates", errors, "Skriv datoerne som gyldige datoer."):
                return []
            meeting = calendar.follow_up_meeting_date(day, municipality)
            if meeting <= held_on:
                errors.add("next_dates", "De næste opfølgninger skal ligge efter denne.")
                return []
            days.add(meeting)
        return sorted(days)
    if interval_months is None:
        interval_months = municipality.follow_up_interval_months
    if not (isinstance(interval_months, int) and interval_months in INTERVAL_RANGE):
        errors.add("interval_months", "Intervallet skal være et helt antal måneder fra 1 til 24.")
        return []
    due = calendar.add_months(held_on, interval_months)
    return [calendar.follow_up_meeting_date(due, municipality)]


def _clean_scores(scores, intervention: Intervention, errors: Errors) -> list[tuple]:
    goal_ids = set(intervention.goals.values_list("pk", flat=True))
    rows, seen = [], set()
    for item in scores or ():
        try:
            goal, source, score = item
        except (TypeError, ValueError):
            errors.add("scores", "En score kunne ikke læses.")
            continue
        if not isinstance(goal, Goal) or goal.pk not in goal_ids:
            errors.add("scores", "Scor kun mål, som indsatsen skal hjælpe med.")
        elif source not in ScoreSource.values:
            errors.add("scores", "Vælg, hvem scoren kommer fra.")
        elif not is_scale_value(score):
            errors.add("scores", "En score skal være et helt tal fra 0 til 10.")
        elif (goal.pk, source) in seen:
            errors.add("scores", "Hvert mål kan kun have én score fra hver.")
        else:
            seen.add((goal.pk, source))
            rows.append((goal, source, score))
    return rows


def _save_scores(follow_up, rows, held_on, acting_user, role) -> None:
    if not rows:
        return
    created = GoalScore.objects.bulk_create(
        GoalScore(
            goal=goal,
            follow_up=follow_up,
            source=source,
            score=score,
            recorded_on=held_on,
            recorded_by=acting_user,
        )
        for goal, source, score in rows
    )
    case = follow_up.intervention.case
    if all(s.pk is not None for s in created):
        log(acting_user, AuditAction.CREATE, created, case, role, "Målscorer ved opfølgning")
    else:  # a backend that does not return ids: one row naming the follow-up
        log(acting_user, AuditAction.CREATE, [follow_up], case, role, "Målscorer ved opfølgning")


def _replace_schedule(follow_up, dates, acting_user, role) -> None:
    intervention = follow_up.intervention
    case = intervention.case
    pending = list(
        FollowUp.objects.filter(intervention=intervention, held_on__isnull=True).exclude(
            pk=follow_up.pk
        )
    )
    if pending:
        log(acting_user, AuditAction.DELETE, pending, case, role, "Opfølgningsplan ændret")
        FollowUp.objects.filter(pk__in=[f.pk for f in pending]).delete()
    created = [FollowUp.objects.create(intervention=intervention, due_on=day) for day in dates]
    if created:
        log(acting_user, AuditAction.CREATE, created, case, role, "Næste opfølgninger (§ 95)")
