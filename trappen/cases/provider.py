"""The provider's own pages: the interventions their units deliver, and one intervention with
its goals, follow-up dates and progress notes; the provider writes notes and goal scores.

A provider never reads the case file. Everything here starts from `access.provider_interventions`
or `access.get_intervention_for_provider` (404 for any other intervention), and shows only what
belongs to that intervention: its goals (not the plan), the scores the provider gave (not the
caseworker's, the parents' or the child's), the follow-up dates (not their decisions), and the
notes. The child is named by first name and initial, as on the provider's start page.

Goal scores from a provider are dated and free-standing (`follow_up` None): the provider scores
when they see progress, as often as they like, and each score is kept. The follow-up shows the
latest provider score recorded up to its date; attaching the score to the next follow-up instead
would force one provider score per goal per follow-up (the model's unique constraint) and clash
with the scores the caseworker records at the follow-up itself.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, FilteredRelation, Min, Q
from django.utils import timezone

from trappen.cases.access import get_intervention_for_provider, provider_interventions
from trappen.cases.models import (
    FollowUp,
    Goal,
    GoalScore,
    GoalSetter,
    Intervention,
    ProgressNote,
    ScoreSource,
)
from trappen.cases.services import is_active
from trappen.core import audit
from trappen.core.home_services import short_name
from trappen.core.models import AuditAction, Role, User
from trappen.core.vocabulary import Step

LIST_LIMIT = 200
NOTE_MAX = 5000
PURPOSE_LIST = "Udførers liste over indsatser"
PURPOSE_PAGE = "Udførers indsats"
PURPOSE_NOTE = "Udførers statusnotat"
PURPOSE_SCORES = "Udførers målscorer"


class ProviderError(Exception):
    """A write the rules refuse; `errors` maps a form field (or None) to Danish messages."""

    def __init__(self, errors: dict[str | None, list[str]]):
        super().__init__("; ".join(m for ms in errors.values() for m in ms))
        self.errors = errors


def is_provider(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.PROVIDER)


# --- the list ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProviderListRow:
    intervention_id: int
    child_name: str
    title: str
    provider: str
    start_on: datetime.date
    end_on: datetime.date | None
    active: bool
    goals: list[str]
    next_follow_up: datetime.date | None


@dataclass
class ProviderList:
    rows: list[ProviderListRow]
    truncated: bool


def provider_list(user: User, today: datetime.date) -> ProviderList:
    """The interventions of the user's units: active first (next follow-up first), then ended
    ones, newest first; at most LIST_LIMIT. Each one shown is logged."""
    items = list(
        provider_interventions(user)
        .select_related("case__child", "provider")
        .prefetch_related("goals")
        .annotate(
            next_follow_up=Min("follow_ups__due_on", filter=Q(follow_ups__held_on__isnull=True))
        )
        .order_by(
            F("end_on").desc(nulls_first=True),
            F("next_follow_up").asc(nulls_last=True),
            "-start_on",
            "pk",
        )[: LIST_LIMIT + 1]
    )
    truncated = len(items) > LIST_LIMIT
    items = items[:LIST_LIMIT]
    rows = [
        ProviderListRow(
            intervention_id=i.pk,
            child_name=short_name(i.case.child),
            title=i.title,
            provider=i.provider.name if i.provider else "",
            start_on=i.start_on,
            end_on=i.end_on,
            active=is_active(i, today),
            goals=[g.text for g in i.goals.all()],
            next_follow_up=i.next_follow_up,
        )
        for i in items
    ]
    rows.sort(key=_list_order)
    audit.record_many(
        user,
        [
            audit.AuditEntry(
                AuditAction.VIEW, "cases.intervention", str(i.pk), i.case.child_id, PURPOSE_LIST
            )
            for i in items
        ],
        role=Role.PROVIDER,
    )
    return ProviderList(rows, truncated)


def _list_order(row: ProviderListRow) -> tuple:
    """Active ones first, the next follow-up first; then the ended ones, the latest first."""
    if row.active:
        return (0, row.next_follow_up or datetime.date.max, row.start_on, row.intervention_id)
    ended = row.end_on or row.start_on
    return (1, -ended.toordinal(), 0, row.intervention_id)


# --- one intervention -------------------------------------------------------------------------


@dataclass(frozen=True)
class ProviderScore:
    score: int
    recorded_on: datetime.date


@dataclass
class ProviderGoal:
    id: int
    text: str
    set_by: str
    childs_own_words: str
    baseline: int
    target: int
    achieved_on: datetime.date | None
    scores: list[ProviderScore] = field(default_factory=list)  # the provider's, oldest first

    @property
    def latest(self) -> ProviderScore | None:
        return self.scores[-1] if self.scores else None


@dataclass
class ProviderPage:
    intervention: Intervention
    child_name: str
    step_label: str
    active: bool
    goals: list[ProviderGoal]
    follow_ups: list[FollowUp]
    next_follow_up: FollowUp | None
    notes: list[ProgressNote]


def load_intervention(user: User, intervention_id: int, *, purpose: str) -> Intervention:
    """The intervention if it is one of the user's units' (the read is logged), else 404."""
    return get_intervention_for_provider(user, intervention_id, purpose=purpose)


def provider_page(intervention: Intervention, today: datetime.date) -> ProviderPage:
    """What the provider sees of `intervention` (already checked and logged by the caller)."""
    follow_ups = list(
        FollowUp.objects.filter(intervention=intervention)
        .only("id", "intervention_id", "due_on", "held_on", "is_first")
        .order_by("due_on", "pk")
    )
    return ProviderPage(
        intervention=intervention,
        child_name=short_name(intervention.case.child),
        step_label=Step(intervention.step).label,
        active=is_active(intervention, today),
        goals=provider_goals(intervention),
        follow_ups=follow_ups,
        next_follow_up=next(iter(f for f in follow_ups if f.held_on is None), None),
        notes=list(
            ProgressNote.objects.filter(intervention=intervention)
            .select_related("author")
            .order_by("-written_at", "-pk")
        ),
    )


def provider_goals(intervention: Intervention) -> list[ProviderGoal]:
    """The goals the intervention serves, each with the provider's own scores: one query (the
    goals LEFT JOINed to their provider scores)."""
    rows = (
        Goal.objects.filter(interventions=intervention)
        .annotate(
            provider_score=FilteredRelation(
                "scores", condition=Q(scores__source=ScoreSource.PROVIDER)
            )
        )
        .values(
            "id",
            "text",
            "set_by",
            "childs_own_words",
            "baseline",
            "target",
            "achieved_on",
            "provider_score__id",
            "provider_score__score",
            "provider_score__recorded_on",
        )
        .order_by("pk", "provider_score__recorded_on", "provider_score__id")
    )
    setters = dict(GoalSetter.choices)
    goals: dict[int, ProviderGoal] = {}
    for row in rows:
        goal = goals.get(row["id"])
        if goal is None:
            goal = goals[row["id"]] = ProviderGoal(
                id=row["id"],
                text=row["text"],
                set_by=setters.get(row["set_by"], row["set_by"]),
                childs_own_words=row["childs_own_words"],
                baseline=row["baseline"],
                target=row["target"],
                achieved_on=row["achieved_on"],
            )
        if row["provider_score__id"] is not None:
            goal.scores.append(
                ProviderScore(row["provider_score__score"], row["provider_score__recorded_on"])
            )
    return list(goals.values())


# --- writes -----------------------------------------------------------------------------------


def add_progress_note(intervention: Intervention, *, text: str, acting_user: User) -> ProgressNote:
    """The provider's note back to the caseworker, with its audit row, in one transaction."""
    text = (text or "").strip()
    if not text:
        raise ProviderError({"text": ["Skriv notatet."]})
    if len(text) > NOTE_MAX:
        raise ProviderError({"text": [f"Notatet må højst være på {NOTE_MAX} tegn."]})
    with transaction.atomic():
        note = ProgressNote.objects.create(
            intervention=intervention, author=acting_user, written_at=timezone.now(), text=text
        )
        audit.record(
            acting_user,
            AuditAction.CREATE,
            role=Role.PROVIDER,
            object_type="cases.progressnote",
            object_id=str(note.pk),
            child_id=intervention.case.child_id,
            purpose=PURPOSE_NOTE,
        )
    return note


def record_goal_scores(
    intervention: Intervention,
    *,
    scores: dict[int, int],
    acting_user: User,
    today: datetime.date,
) -> list[GoalScore]:
    """The provider's scores (0–10) for goals the intervention serves, dated `today`, free of
    any follow-up (see the module's docstring); one audit row per score, in one transaction."""
    if not scores:
        raise ProviderError({None: ["Giv mindst ét mål en score."]})
    served = set(Goal.objects.filter(interventions=intervention).values_list("pk", flat=True))
    if not set(scores) <= served:
        raise ProviderError({None: ["Indsatsen arbejder ikke med det mål."]})
    if any(not 0 <= value <= 10 for value in scores.values()):
        raise ProviderError({None: ["En score skal være et helt tal fra 0 til 10."]})
    with transaction.atomic():
        created = GoalScore.objects.bulk_create(
            [
                GoalScore(
                    goal_id=goal_id,
                    follow_up=None,
                    source=ScoreSource.PROVIDER,
                    score=value,
                    recorded_on=today,
                    recorded_by=acting_user,
                )
                for goal_id, value in sorted(scores.items())
            ]
        )
        audit.record_many(
            acting_user,
            [
                audit.AuditEntry(
                    AuditAction.CREATE,
                    "cases.goalscore",
                    str(s.pk or ""),
                    intervention.case.child_id,
                    PURPOSE_SCORES,
                )
                for s in created
            ],
            role=Role.PROVIDER,
        )
    return created
