"""Letters the child can read (docs/voice-letters.md): a short letter in plain language about a
plan (barnets lov §§ 91–92) or a decision (`voice.CaseDecision`), written for the child's age.

- `age_band(birth_date, on)`: the child's age band. 6–9 years: the letter is read aloud with a
  trusted adult, so it goes to each custody holder (a child under 10 is not a party, barnets lov
  § 3, and the letter service sends children letters only from 10); 10–13 and 14–17: the letter
  goes to the child. Under 6: no letter, the decision is explained by a trusted adult. From 18:
  not a child letter.
- `drafts_for_plan` / `drafts_for_decision`: the letters that would be sent (template, context,
  recipient), without saving; `preview` renders one as the letter service would.
- `decision_outcome`: what a decision did (granted help, placement, more or less help, adjusted,
  ended), from its kind and its follow-up: the letter says it from that and the intervention's
  title, step and dates, never from the decision's summary or the caseworker's reason. A 6–9
  letter (through the custody holders) does not quote the child's conversation.
- `send_plan_letter` / `send_decision_letter`: create the letters through the letter service
  (`core.letters.service.create_letter`: HTML, PDF, audit, delivery after commit). At most one
  child letter per plan and per decision: the source row is locked and an audit event on it
  ("Brev til barnet sendt") marks it sent; a second try is refused with a Danish message.

Refusals raise `cases.plans.PlanError` with Danish messages.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import CharField, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from trappen.cases.models import ChildPlan, FollowUp, FollowUpDecision, Goal, GoalSetter
from trappen.cases.plans import PlanError, require_case_role
from trappen.core import audit
from trappen.core.letters import service as letters
from trappen.core.models import AuditAction, AuditEvent, Letter, User
from trappen.voice.models import CaseDecision, DecisionKind

YOUNGEST = 6  # under 6 a letter is not the way: a trusted adult explains the decision
ADULT = 18  # from 18 the young person is no longer a child: not a child letter
SENT_PURPOSE = "Brev til barnet sendt"  # the audit event on the plan or decision (the guard)


@dataclass(frozen=True)
class AgeBand:
    """An age band of the child letters: its key (in the template names), ages and reader."""

    key: str
    youngest: int
    oldest: int
    label: str
    reader: str
    to_child: bool  # the child receives the letter itself (a party from 10, barnets lov § 3)


BANDS = (
    AgeBand(
        "6_9",
        6,
        9,
        "6–9 år",
        "Læses højt sammen med en voksen: brevet sendes til forældremyndighedsindehaverne",
        to_child=False,
    ),
    AgeBand("10_13", 10, 13, "10–13 år", "Barnet læser selv brevet", to_child=True),
    AgeBand("14_17", 14, 17, "14–17 år", "Den unge læser selv brevet", to_child=True),
)
TOO_YOUNG = (
    "Barnet er under 6 år. Et brev er ikke den rette måde at fortælle det på: afgørelsen skal "
    "forklares for barnet af en voksen, barnet er tryg ved, fx ved en samtale."
)
TOO_OLD = (
    "Den unge er fyldt 18 år og er ikke længere et barn. Skriv et almindeligt brev til den unge "
    "i stedet for et brev til barnet."
)


def age_on(birth_date: datetime.date, on: datetime.date) -> int:
    """Whole years on `on` (a child born 29 February is a year older on 1 March)."""
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def age_band(birth_date: datetime.date, on: datetime.date) -> AgeBand:
    """The child's band on `on`; `PlanError` under 6 and from 18 (Danish messages)."""
    age = age_on(birth_date, on)
    if age < YOUNGEST:
        raise PlanError({None: [TOO_YOUNG]})
    if age >= ADULT:
        raise PlanError({None: [TOO_OLD]})
    return next(band for band in BANDS if band.youngest <= age <= band.oldest)


# --- the letters that would be sent -----------------------------------------------------------


@dataclass
class Draft:
    """One letter as it would be created: the template, its context and the recipient."""

    template: str
    context: dict
    recipient_name: str
    recipient_guardian: object = None
    recipient_child: object = None
    extra: dict = field(default_factory=dict)


def _caseworker(case) -> User:
    if case.caseworker is None:
        raise PlanError(
            {None: ["Sagen har ingen rådgiver. Barnet skal vide, hvem det kan kontakte."]}
        )
    return case.caseworker


def _open_follow_ups(**where) -> QuerySet:
    """Follow-ups not yet held, earliest first, as a one-column subquery."""
    rows = FollowUp.objects.filter(held_on__isnull=True, **where).order_by("due_on", "pk")
    return Subquery(rows.values("due_on")[:1])


def with_next_follow_up(queryset: QuerySet) -> QuerySet:
    """Annotate `letter_next_follow_up`: for a plan, the next follow-up of any running
    intervention in the case; for a decision, its intervention's next one, else the case's."""
    of_case = _open_follow_ups(
        intervention__case_id=OuterRef("case_id"), intervention__end_on__isnull=True
    )
    if queryset.model is CaseDecision:
        of_intervention = _open_follow_ups(intervention_id=OuterRef("intervention_id"))
        return queryset.annotate(letter_next_follow_up=Coalesce(of_intervention, of_case))
    return queryset.annotate(letter_next_follow_up=of_case)


def with_sent_at(queryset: QuerySet) -> QuerySet:
    """Annotate `letter_sent_at`: when the letter to the child about the row was sent."""
    events = AuditEvent.objects.filter(
        child_id=OuterRef("case__child_id"),
        action=AuditAction.SEND,
        purpose=SENT_PURPOSE,
        object_type=queryset.model._meta.label_lower,
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
    ).order_by("-at")
    return queryset.annotate(letter_sent_at=Subquery(events.values("at")[:1]))


def _next_follow_up(obj) -> datetime.date | None:
    if not hasattr(obj, "letter_next_follow_up"):
        rows = with_next_follow_up(type(obj).objects.filter(pk=obj.pk))
        obj.letter_next_follow_up = rows.values_list("letter_next_follow_up", flat=True).get()
    return obj.letter_next_follow_up


def _goals(goals: QuerySet) -> tuple[list[Goal], list[Goal]]:
    """The child's own goals and the others, in the order they were set."""
    rows = list(goals.order_by("pk"))
    own = [g for g in rows if g.set_by == GoalSetter.CHILD]
    return own, [g for g in rows if g.set_by != GoalSetter.CHILD]


@dataclass(frozen=True)
class Help:
    """An intervention serving a goal, as the letter names it."""

    title: str
    provider_name: str
    start_on: datetime.date


def _plan_goals(plan: ChildPlan) -> tuple[list[Goal], list[Goal], list[Help]]:
    """The plan's goals (the child's own, the others) and the interventions serving them, in one
    query: one row per goal and serving intervention (LEFT JOIN), grouped here."""
    goals: dict[int, Goal] = {}
    helps: dict[int, Help] = {}
    rows = Goal.objects.filter(plan=plan).annotate(
        serving_id=F("interventions__id"),
        serving_title=F("interventions__title"),
        serving_provider=F("interventions__provider__name"),
        serving_start=F("interventions__start_on"),
    )
    for row in rows.order_by("pk"):
        goals.setdefault(row.pk, row)
        if row.serving_id is not None:
            helps[row.serving_id] = Help(
                row.serving_title, row.serving_provider or "", row.serving_start
            )
    own = [g for g in goals.values() if g.set_by == GoalSetter.CHILD]
    others = [g for g in goals.values() if g.set_by != GoalSetter.CHILD]
    ordered = sorted(helps.items(), key=lambda item: (item[1].start_on, item[0]))
    return own, others, [h for _, h in ordered]


def _recipients(case, band: AgeBand, template: str, context: dict) -> list[Draft]:
    """The child from 10; under 10 each custody holder, to read the letter with the child."""
    from trappen.people.models import Guardian

    child = case.child
    if band.to_child:
        return [Draft(template, context, child.full_name, recipient_child=child)]
    holders = list(
        Guardian.objects.filter(child_links__child=child, child_links__has_custody=True)
        .order_by("pk")
        .distinct()
    )
    if not holders:
        raise PlanError(
            {
                None: [
                    "Barnet er under 10 år, og brevet skal læses sammen med en voksen, men der er "
                    "ingen forældremyndighedsindehaver at sende det til. Forklar det for barnet "
                    "ved en samtale."
                ]
            }
        )
    return [Draft(template, context, g.full_name, recipient_guardian=g) for g in holders]


def drafts_for_plan(plan: ChildPlan, *, on: datetime.date | None = None) -> list[Draft]:
    """The letters about `plan`: one to the child from 10, else one per custody holder."""
    case = plan.case
    band = age_band(case.child.birth_date, on or timezone.localdate())
    if not plan.is_needed:
        raise PlanError(
            {None: ["Der er truffet afgørelse om, at der ikke skal være en plan for barnet."]}
        )
    own, others, helps = _plan_goals(plan)
    if not own and not others:
        raise PlanError(
            {None: ["Planen har endnu ingen mål. Skriv målene, før du skriver til barnet."]}
        )
    context = {
        "child": case.child,
        "plan": plan,
        "caseworker": _caseworker(case),
        "band": band,
        "childs_goals": own,
        "other_goals": others,
        "interventions": helps,
        "next_follow_up": _next_follow_up(plan),
    }
    return _recipients(case, band, f"child_plan_{band.key}", context)


# What a decision did, as the letter tells it (`_child_decision_what.html` words it per band).
# From structured data only: the decision's kind and, at a follow-up, what the follow-up
# decided. Never the decision's summary or the caseworker's reason: those are internal text.
HELP, PLACEMENT, MORE, LESS, CHANGE, ADJUST, END, FOLLOW_UP = (
    "help",
    "placement",
    "more",
    "less",
    "change",
    "adjust",
    "end",
    "follow_up",
)
_AT_FOLLOW_UP = {
    FollowUpDecision.STEP_UP: MORE,
    FollowUpDecision.STEP_DOWN: LESS,
    FollowUpDecision.ADJUST: ADJUST,
    FollowUpDecision.END: END,
}


def decision_outcome(decision: CaseDecision) -> str:
    """One of HELP, PLACEMENT, MORE, LESS, CHANGE, ADJUST, END, FOLLOW_UP. An end is END,
    also when it was decided at a follow-up (recorded as END with the follow-up, or, as before,
    as FOLLOW_UP whose follow-up decided to end). Reads the follow-up (one query unless
    selected) only for a decision made at a follow-up."""
    kind = decision.kind
    if kind == DecisionKind.END:
        return END
    if kind == DecisionKind.INTERVENTION:
        return HELP
    if kind == DecisionKind.PLACEMENT:
        return PLACEMENT
    decided = decision.follow_up.decision if decision.follow_up_id is not None else ""
    outcome = _AT_FOLLOW_UP.get(decided)
    if kind == DecisionKind.STEP_CHANGE:
        return outcome if outcome in (MORE, LESS) else CHANGE
    return outcome if outcome in (ADJUST, END) else FOLLOW_UP


def drafts_for_decision(decision: CaseDecision, *, on: datetime.date | None = None) -> list[Draft]:
    """The letters about `decision`, with the child's own goals from the case's latest plan."""
    case = decision.case
    band = age_band(case.child.birth_date, on or timezone.localdate())
    latest_plan = ChildPlan.objects.filter(case_id=case.pk, is_needed=True).order_by(
        "-decided_on", "-pk"
    )
    own, _ = _goals(Goal.objects.filter(plan_id=Subquery(latest_plan.values("pk")[:1])))
    intervention = decision.intervention
    context = {
        "child": case.child,
        "decision": decision,
        "outcome": decision_outcome(decision),
        "caseworker": _caseworker(case),
        "band": band,
        "intervention": intervention,
        "conversation": decision.conversation,
        "childs_goals": own,
        "next_follow_up": _next_follow_up(decision),
    }
    return _recipients(case, band, f"child_decision_{band.key}", context)


def preview(draft: Draft, case, acting_user: User | None) -> str:
    """The letter's HTML as `create_letter` renders it, without saving anything."""
    spec = letters.get_template_spec(draft.template)
    letters.check_context(spec, draft.context)
    full_context = {
        "child": case.child,
        "case": case,
        "team": case.team,
        **draft.context,
        "municipality": case.municipality,
        "recipient_name": draft.recipient_name,
        "recipient_is_child": draft.recipient_child is not None,
        "letter_date": timezone.localdate(),
        "sender": acting_user,
    }
    return letters.render_body(spec, full_context)


# --- sending (at most once per plan or decision) ----------------------------------------------


def sent_at(obj) -> datetime.datetime | None:
    """When a letter to the child about `obj` (a plan or a decision) was sent, or None."""
    rows = with_sent_at(type(obj).objects.filter(pk=obj.pk))
    return rows.values_list("letter_sent_at", flat=True).first()


def _send(obj, make_drafts, acting_user: User) -> list[Letter]:
    case = obj.case
    role = require_case_role(acting_user, case)
    with transaction.atomic():
        # the lock serialises two sends of the same plan or decision (a double click, a retry)
        type(obj).objects.select_for_update().filter(pk=obj.pk).first()
        when = sent_at(obj)
        if when is not None:
            raise PlanError(
                {
                    None: [
                        "Brevet til barnet er allerede sendt den "
                        f"{timezone.localtime(when):%d.%m.%Y}. Der er ikke sendt et nyt."
                    ]
                }
            )
        drafts = make_drafts(obj)
        made = []
        for draft in drafts:
            made.append(
                letters.create_letter(
                    template=draft.template,
                    context=draft.context,
                    municipality=case.municipality,
                    recipient_name=draft.recipient_name,
                    case=case,
                    recipient_guardian=draft.recipient_guardian,
                    recipient_child=draft.recipient_child,
                    acting_user=acting_user,
                )
            )
        audit.record(
            acting_user,
            AuditAction.SEND,
            obj,
            role=role,
            child_id=case.child_id,
            purpose=SENT_PURPOSE,
            municipality=case.municipality,
        )
    return made


def send_plan_letter(plan: ChildPlan, acting_user: User) -> list[Letter]:
    """Write to the child about the plan (one letter, or one per custody holder under 10)."""
    return _send(plan, drafts_for_plan, acting_user)


def send_decision_letter(decision: CaseDecision, acting_user: User) -> list[Letter]:
    """Write to the child about the decision (one letter, or one per custody holder under 10)."""
    return _send(decision, drafts_for_decision, acting_user)
