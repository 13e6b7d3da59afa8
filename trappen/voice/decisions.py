"""No decision without the child (barnets lov § 5): every decision on a case is recorded with the
conversation with the child that preceded it, or with the exceptional reason why there was none.

- `eligible_conversations(case, on)`: the conversations of the case held on or before `on` and
  at most `municipality.child_conversation_window_days` days before it (the window is the
  municipality's setting, 90 days by default).
- `check_child_heard`: the guard, as field errors on the caller's `Errors` (so a form shows it
  beside its other errors). Either a conversation of this case within the window, or one of the
  reasons of § 5, stk. 4 (`NoConversationReason`) with a note of at least `NOTE_MIN` characters.
- `record_decision`: the `CaseDecision` row, after the same guard (a refusal raises `PlanError`;
  call it inside the caller's transaction, so a refused decision saves nothing). A decision
  without a conversation raises a `CaseAlert` (NOT_HEARD, FLAG) to the team leaders of the case's
  team, so the exception reaches the leader; the leader reviews it (`review_decision`).
- The guarded decisions are in `cases.interventions` (`grant_intervention`: INTERVENTION, or
  PLACEMENT from step 3; `end_intervention`: END) and `cases.follow_ups` (`record_follow_up`:
  STEP_CHANGE for a step down or up, FOLLOW_UP for an adjustment, END for an end, with the
  follow-up set). Each takes a
  `ChildHeard` and has no way around the guard.
- `raise_promised_conversation_reminders`: an urgent decision (`NoConversationReason.URGENT`,
  "samtalen holdes hurtigst muligt") promises the conversation. When none of the case is held
  on or after the decision day by `PROMISED_DAYS` days after it, the deadline check reminds the
  caseworker (a `CaseAlert` NOT_HEARD, REMINDER, subject the decision); the reminder drops out
  (`open_reminder_q`) once such a conversation is recorded.
- `decisions_to_review`, `recently_reviewed`, `review_decision`: the team leader's review.
- `decisions_without_conversation(scope, period)`: how many decisions of a team or a
  municipality were made without a conversation in a period.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from trappen.cases import case_alerts
from trappen.cases.access import acting_role, team_role
from trappen.cases.deadlines import CaseDeadlineSummary
from trappen.cases.models import (
    Case,
    CaseAlert,
    CaseAlertKind,
    CaseAlertLevel,
    FollowUp,
    Intervention,
)
from trappen.cases.plans import Errors, check_date, clean_text, log, require_case_role
from trappen.cases.prepared import Prepared
from trappen.core import audit, calendar
from trappen.core.models import AuditAction, Municipality, OrganisationalUnit, Role, User
from trappen.notifications.deadlines import TeamLeaders
from trappen.voice.models import (
    CaseDecision,
    ChildConversation,
    DecisionKind,
    NoConversationReason,
)

NOTE_MIN = 20
NOTE_MAX = 2000
SUMMARY_MAX = 300
PROMISED_DAYS = 7  # an urgent decision's conversation is due this many days after it
REVIEWED_DAYS = 30  # the review page also lists what was reviewed in the last 30 days
LIST_MAX = 200

NO_CONVERSATION = (
    "Vælg den børnesamtale, der gik forud for afgørelsen: barnets synspunkter skal belyses "
    "gennem en samtale før afgørelsen (barnets lov § 5). Er der ingen samtale fra de seneste "
    "{days} dage, så hold en samtale med barnet, eller angiv undtagelsen og begrund den."
)
BOTH = "Vælg enten en børnesamtale eller en undtagelse, ikke begge."


@dataclass(frozen=True)
class ChildHeard:
    """How the child was heard before a decision: the conversation, or the exception (§ 5,
    stk. 4: the reason and a note explaining it)."""

    conversation: ChildConversation | None = None
    no_conversation_reason: str = ""
    no_conversation_note: str = ""


def window_days(case: Case) -> int:
    return case.municipality.child_conversation_window_days


def eligible_conversations(case: Case, on: datetime.date) -> QuerySet[ChildConversation]:
    """The case's conversations held on or before `on` and within the window before it, the
    most recent first."""
    start = on - datetime.timedelta(days=window_days(case))
    return ChildConversation.objects.filter(
        case=case, held_on__lte=on, held_on__gte=start
    ).order_by("-held_on", "-pk")


def check_child_heard(
    case: Case, heard: ChildHeard | None, on: datetime.date, errors: Errors
) -> ChildHeard:
    """The guard: add Danish errors to `errors` unless the child was heard before a decision on
    `on` (see the module docstring). Returns the cleaned `ChildHeard`."""
    if heard is None:
        heard = ChildHeard()
    if not isinstance(heard, ChildHeard):
        errors.add("conversation", "Oplysningerne om børnesamtalen kunne ikke læses.")
        return ChildHeard()
    conversation = heard.conversation
    reason = heard.no_conversation_reason or ""
    note = clean_text(heard.no_conversation_note, "no_conversation_note", errors, limit=NOTE_MAX)
    if conversation is not None:
        if reason or note:
            errors.add("no_conversation_reason", BOTH)
        if not isinstance(conversation, ChildConversation) or conversation.case_id != case.pk:
            errors.add("conversation", "Vælg en børnesamtale fra barnets egen sag.")
        elif conversation.held_on > on:
            errors.add(
                "conversation", "Børnesamtalen skal være holdt før eller samme dag som afgørelsen."
            )
        elif conversation.held_on < on - datetime.timedelta(days=window_days(case)):
            errors.add(
                "conversation",
                f"Børnesamtalen er mere end {window_days(case)} dage gammel. Hold en ny samtale "
                "med barnet før afgørelsen (barnets lov § 5).",
            )
        return ChildHeard(conversation=conversation)
    if not reason and not note:
        errors.add("conversation", NO_CONVERSATION.format(days=window_days(case)))
        return ChildHeard()
    if reason not in NoConversationReason.values:
        errors.add("no_conversation_reason", "Vælg undtagelsen efter barnets lov § 5, stk. 4.")
    if len(note) < NOTE_MIN:
        errors.add(
            "no_conversation_note",
            "Begrund med mindst en hel sætning, hvorfor afgørelsen træffes uden en samtale med "
            "barnet.",
        )
    return ChildHeard(no_conversation_reason=reason, no_conversation_note=note)


def record_decision(
    case: Case,
    *,
    kind: DecisionKind | str,
    summary: str,
    decided_on: datetime.date,
    acting_user: User,
    conversation: ChildConversation | None = None,
    no_conversation_reason: str = "",
    no_conversation_note: str = "",
    intervention: Intervention | None = None,
    follow_up: FollowUp | None = None,
) -> CaseDecision:
    """Record a decision on the case with the conversation that preceded it, or the exception;
    see the module docstring. Raises `PlanError` (Danish) when the child was not heard."""
    role = require_case_role(acting_user, case)
    errors = Errors()
    if kind not in DecisionKind.values:
        errors.add("kind", "Vælg, hvilken slags afgørelse der er truffet.")
    summary = clean_text(
        summary, "summary", errors, limit=SUMMARY_MAX, required="Skriv, hvad der blev besluttet."
    )
    if not check_date(decided_on, "decided_on", errors, "Skriv datoen for afgørelsen."):
        errors.raise_if_any()
    if intervention is not None and intervention.case_id != case.pk:
        errors.add("intervention", "Indsatsen hører ikke til sagen.")
    if follow_up is not None and (
        intervention is None or follow_up.intervention_id != intervention.pk
    ):
        errors.add("follow_up", "Opfølgningen hører ikke til indsatsen.")
    heard = check_child_heard(
        case,
        ChildHeard(conversation, no_conversation_reason, no_conversation_note),
        decided_on,
        errors,
    )
    errors.raise_if_any()
    with transaction.atomic():
        decision = CaseDecision.objects.create(
            case=case,
            kind=kind,
            summary=summary,
            decided_on=decided_on,
            decided_by=acting_user,
            intervention=intervention,
            follow_up=follow_up,
            conversation=heard.conversation,
            no_conversation_reason=heard.no_conversation_reason,
            no_conversation_note=heard.no_conversation_note,
        )
        purpose = "Afgørelse og barnets synspunkter (§ 5)"
        if heard.conversation is None:
            purpose = "Afgørelse uden børnesamtale (§ 5, stk. 4)"
        log(acting_user, AuditAction.CREATE, [decision], case, role, purpose)
        if heard.conversation is None:
            _alert_leaders(decision, acting_user)
    return decision


def _alert_leaders(decision: CaseDecision, actor: User) -> list[CaseAlert]:
    """A NOT_HEARD flag to each team leader of the case's team (every team leader of the
    municipality when the team has none, as `case_alerts` does), logged."""
    case = decision.case
    leaders = TeamLeaders.load({case.municipality_id}).of(case)
    alerts = CaseAlert.objects.bulk_create(
        CaseAlert(
            case=case,
            kind=CaseAlertKind.NOT_HEARD,
            subject_id=decision.pk,
            level=CaseAlertLevel.FLAG,
            recipient_id=leader_id,
            created_at=timezone.now(),
        )
        for leader_id in leaders
    )
    if alerts:
        audit.record_many(
            actor,
            [
                audit.AuditEntry(
                    AuditAction.CREATE,
                    "cases.casealert",
                    str(a.pk) if a.pk else "",
                    case.child_id,
                    "Markering: Afgørelse uden børnesamtale (§ 5)",
                )
                for a in alerts
            ],
            role=acting_role(actor, case),
            municipality=Municipality(pk=case.municipality_id),
        )
    return alerts


# --- the promised conversation after an urgent decision ----------------------------------------

NOT_HEARD_REMINDER = Q(kind=CaseAlertKind.NOT_HEARD, level=CaseAlertLevel.REMINDER)


def _heard_since() -> Exists:
    """A conversation of the decision's case held on or after the decision day (the decision is
    the outer query)."""
    return Exists(
        ChildConversation.objects.filter(
            case_id=OuterRef("case_id"), held_on__gte=OuterRef("decided_on")
        )
    )


def open_reminder_q() -> Q:
    """The NOT_HEARD reminders still worth acting on (`cases.case_alerts.open_case_alert_q`):
    no conversation of the case held on or after the decision day is recorded yet."""
    pending = CaseDecision.objects.filter(pk=OuterRef("subject_id")).filter(~_heard_since())
    return NOT_HEARD_REMINDER & Exists(pending)


def promised_conversation_due(decision: CaseDecision) -> datetime.date:
    """The last day for the conversation an urgent decision promised."""
    return decision.decided_on + datetime.timedelta(days=PROMISED_DAYS)


def raise_promised_conversation_reminders(
    today: datetime.date | None = None,
    *,
    now: datetime.datetime | None = None,
    municipality: Municipality | None = None,
) -> CaseDeadlineSummary:
    """Remind the caseworker (else the team leaders, `case_alerts.recipients`) of each urgent
    decision on an open case whose promised conversation is overdue on `today`: none of the case
    held on or after the decision day, and the day `promised_conversation_due` is over. Run with
    the case deadline check; running it again raises nothing new."""
    now = now or timezone.now()
    today = today or calendar.local_date(now)
    summary = CaseDeadlineSummary(checked_at=now)
    overdue = today - datetime.timedelta(days=PROMISED_DAYS)  # decided before: due day is over
    decisions = CaseDecision.objects.filter(
        ~_heard_since(),
        conversation__isnull=True,
        no_conversation_reason=NoConversationReason.URGENT,
        decided_on__lt=overdue,
        case__closed_on__isnull=True,
    )
    if municipality is not None:
        decisions = decisions.filter(case__municipality_id=municipality.pk)
    with transaction.atomic():
        rows = (
            decisions.select_related("case")
            .annotate(caseworker_active=F("case__caseworker__is_active"))
            .order_by("pk")
            .select_for_update(of=("self",))
        )
        wanted = []
        for d in rows:
            d.case.caseworker_active = d.caseworker_active
            wanted.append(
                case_alerts.NewAlert(
                    d.case,
                    CaseAlertKind.NOT_HEARD,
                    d.pk,
                    CaseAlertLevel.REMINDER,
                    promised_conversation_due(d),
                )
            )
        alerts = case_alerts.raise_alerts(wanted, now=now, actor=None)
        summary.raised.update((a.kind, a.level) for a in alerts)
    return summary


# --- the team leader's review -------------------------------------------------------------------


def _led_decisions(leader: User) -> QuerySet[CaseDecision]:
    teams = leader.unit_ids(Role.TEAM_LEADER) if leader.is_authenticated else []
    return (
        CaseDecision.objects.filter(
            conversation__isnull=True,
            case__team_id__in=teams,
            case__municipality_id=leader.municipality_id,
        )
        .select_related("case__child", "case__team", "decided_by", "reviewed_by", "intervention")
        .order_by("-decided_on", "-pk")
    )


def decisions_to_review(leader: User) -> QuerySet[CaseDecision]:
    """Decisions without a conversation in the leader's teams, not yet reviewed, newest first."""
    return _led_decisions(leader).filter(reviewed_at__isnull=True)


def recently_reviewed(leader: User, now: datetime.datetime | None = None) -> QuerySet[CaseDecision]:
    """Those reviewed in the last `REVIEWED_DAYS` days, the latest review first."""
    since = (now or timezone.now()) - datetime.timedelta(days=REVIEWED_DAYS)
    return _led_decisions(leader).filter(reviewed_at__gte=since).order_by("-reviewed_at", "-pk")


def review_decision(decision: CaseDecision, *, acting_user: User) -> CaseDecision:
    """The team leader of the case's team has reviewed a decision made without a conversation
    ("Gennemgået"). The leaders' NOT_HEARD flags about it are marked seen (the caseworker's
    reminder of a promised conversation stays). Reviewing again
    changes nothing."""
    case = decision.case
    errors = Errors()
    if team_role(acting_user, case.team_id) != Role.TEAM_LEADER or (
        case.municipality_id != acting_user.municipality_id
    ):
        errors.add(None, "Kun teamlederen for sagens team kan gennemgå afgørelsen.")
    if decision.conversation_id is not None:
        errors.add(None, "Afgørelsen blev truffet efter en børnesamtale.")
    errors.raise_if_any()
    with transaction.atomic():
        locked = CaseDecision.objects.select_for_update().get(pk=decision.pk)
        if locked.reviewed_at is not None:
            return locked
        now = timezone.now()
        decision.reviewed_by, decision.reviewed_at = acting_user, now
        decision.save(update_fields=["reviewed_by", "reviewed_at"])
        CaseAlert.objects.filter(  # the leaders' flags; the caseworker's reminder stays
            kind=CaseAlertKind.NOT_HEARD,
            level=CaseAlertLevel.FLAG,
            subject_id=decision.pk,
            seen_at__isnull=True,
        ).update(seen_at=now)
        log(
            acting_user,
            AuditAction.UPDATE,
            [decision],
            case,
            Role.TEAM_LEADER,
            "Afgørelse uden børnesamtale gennemgået",
        )
    return decision


# --- counting -------------------------------------------------------------------------------------


def _in_window(period) -> Q:
    start, end = period
    return Q(decided_on__gte=start, decided_on__lte=end)


def _in_scope(scope: OrganisationalUnit | Municipality, period) -> Q:
    q = _in_window(period)
    if isinstance(scope, Municipality):
        return q & Q(case__municipality_id=scope.pk)
    if isinstance(scope, OrganisationalUnit):
        return q & Q(case__team_id=scope.pk)
    raise TypeError("scope must be a team (OrganisationalUnit) or a Municipality")


def decisions_without_conversation(
    scope: OrganisationalUnit | Municipality, period: tuple[datetime.date, datetime.date]
) -> int:
    """The decisions made without a conversation with the child (the § 5, stk. 4 exceptions) on
    the cases of a team, or of a municipality, decided in `period` (first and last day,
    inclusive)."""
    return CaseDecision.objects.filter(_in_scope(scope, period), conversation__isnull=True).count()


def decisions_in_period(
    scope: OrganisationalUnit | Municipality, period: tuple[datetime.date, datetime.date]
) -> int:
    """All decisions on the cases of a team or a municipality decided in `period`."""
    return CaseDecision.objects.filter(_in_scope(scope, period)).count()


def counts_by_team(
    leader: User, period: tuple[datetime.date, datetime.date]
) -> list[tuple[str, int, int]]:
    """For each of the leader's teams with decisions in `period`: (team name, decisions without
    a conversation, all decisions), by name; one query (the review page's header). The same
    counts as `decisions_without_conversation` and `decisions_in_period` per team."""
    teams = leader.unit_ids(Role.TEAM_LEADER)
    rows = (
        CaseDecision.objects.filter(
            _in_window(period),
            case__team_id__in=teams,
            case__municipality_id=leader.municipality_id,
        )
        .values("case__team_id", "case__team__name")
        .annotate(
            without=Count("pk", filter=Q(conversation__isnull=True)),
            total=Count("pk"),
        )
        .order_by("case__team__name", "case__team_id")
    )
    return [(r["case__team__name"], r["without"], r["total"]) for r in rows]


def case_decisions_query(case_id: int) -> QuerySet:
    """The case's decisions, newest first, with their conversations and interventions."""
    return (
        CaseDecision.objects.filter(case_id=case_id)
        .select_related("conversation", "intervention")
        .order_by("-decided_on", "-pk")
    )


# Read on every case page: compiled once per connection (`cases.prepared`; a test holds it equal
# to the queryset).
_CASE_DECISIONS = Prepared(case_decisions_query, -7_654_321_102)


def case_decisions(case: Case) -> list[CaseDecision]:
    """`case_decisions_query` in one query (the case page's "Barnets stemme")."""
    return _CASE_DECISIONS.instances(case.pk)
