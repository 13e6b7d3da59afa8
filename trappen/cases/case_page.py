"""What the case page shows: everything about the child on one page (read-only).

The page belongs to one case (`sager/<case_id>/`), and shows the child's whole history in the
municipality: earlier, closed cases too, because the staircase path and the timeline only make
sense over the child's life, and the same roles already see those cases on the child's page.
The sections about current work (caseworker history, the open investigation, plans,
interventions, follow-ups) are this case's; earlier cases' plans and interventions are listed
beneath them.

Everything is read in one query (`child_history.read_history`). The page's read is logged as
one event for the case, with the child's id and the purpose "Sagens side" (`get_case_for_user`):
the page is the case file, and the child's audit trail shows who opened it. A notification or a
letter opened from the page logs its own read there.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import timezone

from trappen.cases import charts
from trappen.cases.access import get_case_for_user
from trappen.cases.child_history import Record, read_history
from trappen.cases.models import (
    Case,
    CaseSource,
    FollowUpDecision,
    GoalSetter,
    PlanKind,
    ScoreSource,
)
from trappen.cases.services import current_step, is_active
from trappen.core.home_services import remaining_days
from trappen.core.models import LetterStatus, Role, User
from trappen.core.vocabulary import Step
from trappen.notifications.access import work_role
from trappen.notifications.models import NotificationStatus, ReporterKind

PURPOSE = "Sagens side"
SAMPLE_ID = 987654321
# Pages other helpers own; linked only when the URL name resolves (see `OptionalUrls`).
ACTIONS = (
    ("cases:investigation_new", "Start børnefaglig undersøgelse"),
    ("cases:plan_new", "Ny plan for barnet"),
    ("cases:intervention_new", "Bevilg indsats"),
    ("voice:conversation_new", "Ny børnesamtale"),
    ("voice:conversations", "Børnesamtaler"),
    ("voice:network", "Netværkskort"),
    ("voice:meetings", "Netværksmøder og familierådslagning"),
    ("voice:child_letters", "Brev til barnet"),
)
TIMELINE_PAGE = 50
RECENT = 5  # the short lists of notifications, letters, conversations and step movements
# The timeline's kinds of event: the key used in the URL's filter, and the label shown.
TIMELINE_KINDS = {
    "sag": "Sag",
    "raadgiver": "Rådgiver",
    "undersoegelse": "Undersøgelse",
    "plan": "Barnets plan",
    "maal": "Mål",
    "indsats": "Indsats",
    "opfoelgning": "Opfølgning",
    "trin": "Trin",
    "statusnotat": "Statusnotat",
    "underretning": "Underretning",
    "brev": "Brev",
    "boernesamtale": "Børnesamtale",
}
KIND_KEYS = {label: key for key, label in TIMELINE_KINDS.items()}
# Choice labels, looked up per row (`.choices` builds its list anew on every access).
LABELS = {
    "decision": dict(FollowUpDecision.choices),
    "letter_status": dict(LetterStatus.choices),
    "notification_status": dict(NotificationStatus.choices),
    "plan_kind": dict(PlanKind.choices),
    "reporter": dict(ReporterKind.choices),
    "score_source": dict(ScoreSource.choices),
    "source": dict(CaseSource.choices),
    "step": dict(Step.choices),
}
FOLLOW_UP_URL = "cases:follow_up"
INTERVENTION_URL = "cases:intervention"
INVESTIGATION_URL = "cases:investigation_detail"
PLAN_URL = "cases:plan"
CONVERSATION_URL = "voice:conversation"


class OptionalUrls:
    """URLs of pages that may not exist yet: "" when the name does not resolve. Each name is
    reversed once with sample ids; every other call fills the same pattern (a reverse per row
    costs more than the row)."""

    # Per URLconf and script prefix (fixed in a running process; tests may override them).
    _known: dict[tuple, list[str | int] | None] = {}

    def __init__(self):
        self._where = (get_script_prefix(), get_urlconf())

    def __call__(self, name: str, **kwargs: int) -> str:
        names = tuple(kwargs)
        key = (*self._where, name, names)
        if key not in self._known:
            self._known[key] = self._pattern(name, names)
        pattern = self._known[key]
        if pattern is None:
            return ""
        return "".join(p if isinstance(p, str) else str(kwargs[names[p]]) for p in pattern)

    @staticmethod
    def _pattern(name: str, names: tuple[str, ...]) -> list[str | int] | None:
        samples = {str(SAMPLE_ID + n): n for n in range(len(names))}
        try:
            url = reverse(name, kwargs={k: SAMPLE_ID + n for n, k in enumerate(names)})
        except NoReverseMatch:
            return None
        # "/sager/987654321/x/987654322/" -> ["/sager/", 0, "/x/", 1, "/"]
        parts = re.split(f"({'|'.join(samples)})", url)
        return [samples[p] if p in samples else p for p in parts]


@dataclass(frozen=True)
class Action:
    label: str
    url: str


@dataclass(frozen=True)
class Clock:
    """The investigation's count-down to its 4-month deadline (barnets lov § 20)."""

    due_on: datetime.date
    text: str
    overdue: bool
    needs_preliminary: bool  # § 20, stk. 3: past the deadline without a preliminary assessment


@dataclass(slots=True)
class TimelineEvent:
    day: datetime.date
    kind: str  # a label of TIMELINE_KINDS
    text: str
    url: str = ""
    order: int = 0  # within a day: later events of one record after earlier ones

    @property
    def key(self) -> str:
        return KIND_KEYS[self.kind]


@dataclass
class Timeline:
    """The timeline shown: one page of events (newest first), optionally of one kind."""

    events: list[TimelineEvent]
    kind: str  # the selected key of TIMELINE_KINDS, or "" for all
    number: int
    pages: int
    total: int  # events of the selected kind (all kinds: every event)
    counts: dict[str, int]  # per key, for the filter

    @property
    def kinds(self) -> list[tuple[str, str, int]]:
        return [(k, label, self.counts[k]) for k, label in TIMELINE_KINDS.items() if self.counts[k]]

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


@dataclass
class GoalView:
    goal: Record
    latest: dict[str, int]  # score source label -> its latest score
    latest_score: int | None
    interventions: list[str]

    @property
    def is_childs_own(self) -> bool:
        return self.goal.set_by == GoalSetter.CHILD


@dataclass
class PlanView:
    plan: Record
    childs_goals: list[GoalView] = field(default_factory=list)
    other_goals: list[GoalView] = field(default_factory=list)
    url: str = ""

    @property
    def columns(self) -> list[tuple[str, list[GoalView], str]]:
        """The child's own goals beside the others: (heading, goals, text when none)."""
        return [
            ("Barnets egne mål", self.childs_goals, "Barnet har ikke sat egne mål."),
            ("Mål fra rådgiver og forældre", self.other_goals, "Ingen."),
        ]


@dataclass
class InterventionView:
    intervention: Record
    step_label: str
    active: bool
    next_follow_up: datetime.date | None
    goals: list[str]
    url: str = ""

    @property
    def no_progress(self) -> bool:
        return self.intervention.no_progress_since is not None


@dataclass
class CasePage:
    case: Case
    role: Role
    today: datetime.date
    age: int
    step: int | None
    step_label: str
    cases: list[Record] = field(default_factory=list)
    assignments: list[Record] = field(default_factory=list)
    investigation: Record | None = None
    clock: Clock | None = None
    investigations: list[Record] = field(default_factory=list)
    plans: list[PlanView] = field(default_factory=list)
    earlier_plans: list[PlanView] = field(default_factory=list)
    interventions: list[InterventionView] = field(default_factory=list)
    earlier_interventions: list[InterventionView] = field(default_factory=list)
    follow_ups: list[Record] = field(default_factory=list)
    notifications: list[Record] = field(default_factory=list)
    letters: list[Record] = field(default_factory=list)
    conversations: list[Record] = field(default_factory=list)
    movements: list[Record] = field(default_factory=list)
    timeline: list[TimelineEvent] = field(default_factory=list)  # every event, newest first
    shown: Timeline | None = None
    chart: charts.StairChart | None = None
    actions: list[Action] = field(default_factory=list)
    same_access: set[int] = field(default_factory=set)  # cases whose pages link (see below)
    case_of_intervention: dict[int, int] = field(default_factory=dict)

    @property
    def child(self):
        return self.case.child

    @property
    def all_interventions(self) -> list[InterventionView]:
        return self.interventions + self.earlier_interventions

    def reaches(self, record) -> bool:
        """Whether pages of `record`'s case (its `case_id`) can be linked."""
        return record.case_id in self.same_access

    @property
    def recent_notifications(self) -> list[Record]:
        return self.notifications[:RECENT]

    @property
    def recent_letters(self) -> list[Record]:
        return self.letters[:RECENT]

    @property
    def recent_conversations(self) -> list[Record]:
        return self.conversations[:RECENT]

    @property
    def recent_movements(self) -> list[Record]:
        return self.movements[:RECENT]


def load_case_page(
    user: User,
    case_id: int,
    today: datetime.date | None = None,
    *,
    timeline_kind: str = "",
    timeline_page: str | int = 1,
) -> CasePage:
    """The page for `user`, or 404; the read is logged (`get_case_for_user`: one event for the
    case, with the child's id, so the child's audit trail shows who opened the case page).
    `timeline_kind` (a key of TIMELINE_KINDS) and `timeline_page` choose the timeline shown;
    anything else falls back to all kinds, and the page number to the nearest page."""
    case, role = get_case_for_user(user, case_id, purpose=PURPOSE)
    page = build_case_page(case, role, user, today or timezone.localdate())
    page.shown = timeline_window(page.timeline, timeline_kind, timeline_page)
    return page


def build_case_page(case: Case, role: Role, user: User, today: datetime.date) -> CasePage:
    """Everything the page shows, from one read of the child's history."""
    h = read_history(case.child_id, case.municipality_id)
    urls = OptionalUrls()
    interventions = sorted(h["intervention"], key=lambda i: (i.start_on, i.id))
    step = current_step(interventions, today)
    page = CasePage(
        case=case,
        role=role,
        today=today,
        age=case.child.age_on(today),
        step=step,
        step_label=Step(step).label if step is not None else "",
    )
    page.cases = sorted(h["case"], key=lambda c: (c.opened_on, c.id), reverse=True)
    # Access to a case depends on its team and child only (`access.case_role`): the user reaches
    # the pages of the child's cases in this case's team as they reach this one, and no others.
    page.same_access = {c.id for c in page.cases if c.team_id == case.team_id}
    page.case_of_intervention = {i.id: i.case_id for i in interventions}
    page.assignments = sorted(
        (a for a in h["assignment"] if a.case_id == case.pk),
        key=lambda a: (a.started_on, a.id),
        reverse=True,
    )
    _add_investigations(page, h["investigation"], today)
    titles = {i.id: i.title for i in interventions}
    goals_by_plan, goals_served = _goal_views(h, titles)
    _add_plans(page, h["plan"], goals_by_plan, urls)
    _add_interventions(page, interventions, h["follow_up"], goals_served, today, urls)
    page.follow_ups = _follow_ups(page, h["follow_up"], titles, urls)
    page.notifications = sorted(h["notification"], key=lambda n: n.received_at, reverse=True)
    reporters, statuses = LABELS["reporter"], LABELS["notification_status"]
    notification_url = _NotificationUrls(user, urls)
    for n in page.notifications:
        n.municipality_id = case.municipality_id
        n.url = notification_url(n)
        n.reporter_label = reporters.get(n.reporter_kind, n.reporter_kind)
        n.status_label = statuses.get(n.status, n.status)
    page.letters = sorted(h["letter"], key=lambda x: (x.created_at, x.id), reverse=True)
    letter_statuses = LABELS["letter_status"]
    for letter in page.letters:
        letter.url = urls("core:letter_detail", letter_id=letter.id)
        letter.status_label = letter_statuses.get(letter.status, letter.status)
    page.conversations = sorted(h["conversation"], key=lambda c: (c.held_on, c.id), reverse=True)
    for c in page.conversations:
        url = urls(CONVERSATION_URL, case_id=c.case_id, conversation_id=c.id)
        c.url = url if page.reaches(c) else ""
    page.movements = sorted(h["movement"], key=lambda m: (m.moved_on, m.id), reverse=True)
    page.timeline = timeline(page, h, urls)
    page.chart = _chart(page, interventions, today)
    if case.is_open:
        page.actions = [
            Action(label, url) for name, label in ACTIONS if (url := urls(name, case_id=case.pk))
        ]
    return page


# --- sections ---------------------------------------------------------------------------------


def _add_investigations(page: CasePage, investigations: list[Record], today) -> None:
    page.investigations = sorted(investigations, key=lambda i: (i.started_on, i.id), reverse=True)
    current = [
        i for i in page.investigations if i.case_id == page.case.pk and i.completed_on is None
    ]
    if not current:
        return
    page.investigation = inv = current[0]
    overdue = inv.due_on < today
    page.clock = Clock(
        due_on=inv.due_on,
        text=remaining_days(inv.due_on, today),
        overdue=overdue,
        needs_preliminary=overdue and inv.preliminary_assessed_on is None,
    )


def _goal_views(h: dict[str, list[Record]], titles: dict[int, str]):
    """The goals of each plan (with each source's latest score and the interventions served),
    and the texts of the goals each intervention serves."""
    serving: dict[int, list[str]] = defaultdict(list)
    goals_served: dict[int, list[str]] = defaultdict(list)
    goal_text = {g.id: g.text for g in h["goal"]}
    position = {pk: n for n, pk in enumerate(titles)}  # the interventions by start date
    for link in sorted(
        h["goal_link"], key=lambda x: (position.get(x.intervention_id, -1), x.goal_id)
    ):
        if link.intervention_id in titles:
            serving[link.goal_id].append(titles[link.intervention_id])
        goals_served[link.intervention_id].append(goal_text.get(link.goal_id, ""))
    latest: dict[int, dict[str, tuple]] = defaultdict(dict)
    labels = LABELS["score_source"]
    for s in h["score"]:
        key = (s.recorded_on, s.id)
        known = latest[s.goal_id].get(s.source)
        if known is None or key > known[0]:
            latest[s.goal_id][s.source] = (key, s.score)
    by_plan: dict[int, list[GoalView]] = defaultdict(list)
    order = list(labels)
    for g in sorted(h["goal"], key=lambda g: g.id):
        scores = latest.get(g.id, {})
        newest = max(scores.values(), default=None)
        by_plan[g.plan_id].append(
            GoalView(
                goal=g,
                latest={labels[src]: scores[src][1] for src in order if src in scores},
                latest_score=newest[1] if newest else None,
                interventions=serving.get(g.id, []),
            )
        )
    return by_plan, goals_served


def _add_plans(page: CasePage, plans: list[Record], goals_of, urls: OptionalUrls) -> None:
    kinds = LABELS["plan_kind"]
    for plan in sorted(plans, key=lambda p: (p.decided_on, p.id), reverse=True):
        plan.kind_label = kinds.get(plan.plan_kind, plan.plan_kind)
        url = urls(PLAN_URL, case_id=plan.case_id, plan_id=plan.id) if page.reaches(plan) else ""
        view = PlanView(plan, url=url)
        for goal in goals_of.get(plan.id, []):
            (view.childs_goals if goal.is_childs_own else view.other_goals).append(goal)
        (page.plans if plan.case_id == page.case.pk else page.earlier_plans).append(view)


def _add_interventions(page, interventions, follow_ups, goals_served, today, urls) -> None:
    next_due: dict[int, datetime.date] = {}
    for f in follow_ups:
        if f.held_on is None and (
            f.intervention_id not in next_due or f.due_on < next_due[f.intervention_id]
        ):
            next_due[f.intervention_id] = f.due_on
    views = [
        InterventionView(
            intervention=i,
            step_label=LABELS["step"][i.step],
            active=is_active(i, today),
            next_follow_up=next_due.get(i.id),
            goals=goals_served.get(i.id, []),
            url=urls(INTERVENTION_URL, case_id=i.case_id, intervention_id=i.id)
            if page.reaches(i)
            else "",
        )
        for i in interventions
    ]
    # active first, then the newest
    views.sort(key=lambda v: (not v.active, -v.intervention.start_on.toordinal()))
    for view in views:
        own = view.intervention.case_id == page.case.pk
        (page.interventions if own else page.earlier_interventions).append(view)


def _follow_ups(page, follow_ups, titles, urls: OptionalUrls) -> list[Record]:
    """This case's follow-ups: those not held yet (soonest first), then those held (newest)."""
    own = {v.intervention.id for v in page.interventions}
    decisions = LABELS["decision"]
    for f in follow_ups:
        f.intervention_title = titles.get(f.intervention_id, "")
        f.decision_label = decisions.get(f.decision, "")
        f.overdue = f.held_on is None and f.due_on < page.today
        reachable = page.case_of_intervention.get(f.intervention_id) in page.same_access
        f.url = urls(FOLLOW_UP_URL, follow_up_id=f.id) if reachable else ""
    rows = [f for f in follow_ups if f.intervention_id in own]
    waiting = sorted((f for f in rows if f.held_on is None), key=lambda f: (f.due_on, f.id))
    held = sorted((f for f in rows if f.held_on), key=lambda f: (f.held_on, f.id), reverse=True)
    return waiting + held


class _NotificationUrls:
    """A link only where the notifications' own access rule (`work_role`, which reads the
    municipality, team and assignee) lets the user in; the record carries those three. The
    rule is asked once per combination of the three (a child's notifications share a few)."""

    def __init__(self, user: User, urls: OptionalUrls):
        self.user, self.urls = user, urls
        self.allowed: dict[tuple, bool] = {}

    def __call__(self, n: Record) -> str:
        key = (n.municipality_id, n.team_id, n.assigned_to_id)
        if key not in self.allowed:
            role = work_role(self.user, n)  # type: ignore[arg-type]  (the fields it reads)
            self.allowed[key] = role is not None
        if not self.allowed[key]:
            return ""
        return self.urls("notifications:detail", notification_id=n.id)


def _chart(page: CasePage, interventions, today) -> charts.StairChart:
    movements = sorted(page.movements, key=lambda m: (m.moved_on, m.id))
    if movements:
        path = charts.path_from_movements(movements)
    else:
        path = charts.path_from_interventions(interventions)
    first_case = min((c.opened_on for c in page.cases), default=today)
    return charts.staircase_chart(
        path,
        start=min(first_case, today),
        end=today,
        title=f"{page.child.first_name}s vej på indsatstrappen",
        chart_id=f"trappen-sti-{page.case.pk}",
    )


def timeline_window(events: list[TimelineEvent], kind: str, number) -> Timeline:
    """One page of TIMELINE_PAGE events, of one kind or all; bad input falls back gracefully."""
    counts = dict.fromkeys(TIMELINE_KINDS, 0)
    for e in events:
        counts[e.key] += 1
    kind = kind if kind in TIMELINE_KINDS else ""
    chosen = [e for e in events if e.key == kind] if kind else events
    pages = max(1, -(-len(chosen) // TIMELINE_PAGE))
    try:
        number = min(max(int(str(number)[:6]), 1), pages)
    except ValueError:
        number = 1
    start = (number - 1) * TIMELINE_PAGE
    window = chosen[start : start + TIMELINE_PAGE]
    return Timeline(window, kind, number, pages, len(chosen), counts)


# --- the timeline -----------------------------------------------------------------------------


def timeline(page: CasePage, h: dict[str, list[Record]], urls: OptionalUrls) -> list:
    """Every event about the child, newest first: each with a type, a date, a text and a link
    where one exists."""
    zone = timezone.get_current_timezone()
    events: list[TimelineEvent] = []
    add = events.append
    sources, steps = LABELS["source"], LABELS["step"]
    for c in page.cases:
        team = f", {c.team_name}" if c.team_name else ""
        text = f"Sag oprettet ({sources.get(c.source, '')}){team}"
        add(TimelineEvent(c.opened_on, "Sag", text, order=-2))
        if c.closed_on:
            reason = f": {c.closing_reason}" if c.closing_reason else ""
            add(TimelineEvent(c.closed_on, "Sag", f"Sag lukket{reason}", order=9))
    for a in h["assignment"]:
        reason = f" ({a.reason})" if a.reason else ""
        add(TimelineEvent(a.started_on, "Rådgiver", f"Rådgiver: {_name(a)}{reason}", order=1))
    for i in h["investigation"]:
        url = (
            urls(INVESTIGATION_URL, case_id=i.case_id, investigation_id=i.id)
            if page.reaches(i)
            else ""
        )
        add(TimelineEvent(i.started_on, "Undersøgelse", "Børnefaglig undersøgelse startet", url))
        if i.completed_on:
            text = "Børnefaglig undersøgelse afsluttet"
            if i.recommended_step is not None:
                text += f"; anbefalet trin {i.recommended_step}"
            add(TimelineEvent(i.completed_on, "Undersøgelse", text, url, order=1))
    for view in page.plans + page.earlier_plans:
        p = view.plan
        text = f"Plan besluttet: {p.kind_label}"
        add(TimelineEvent(p.decided_on, "Barnets plan", text, view.url))
        if p.completed_on:
            add(TimelineEvent(p.completed_on, "Barnets plan", "Plan udarbejdet", view.url, 1))
    for g in h["goal"]:
        if g.achieved_on:
            add(TimelineEvent(g.achieved_on, "Mål", f"Mål nået: {g.text}"))
    for view in page.all_interventions:
        i = view.intervention
        immediate = ", straks-indsats" if i.is_immediate else ""
        text = f"Indsats startet: {i.title} (trin {i.step}{immediate})"
        add(TimelineEvent(i.start_on, "Indsats", text, view.url, order=2))
        if i.end_on:
            reason = f": {i.end_reason}" if i.end_reason else ""
            add(TimelineEvent(i.end_on, "Indsats", f"Indsats slut: {i.title}{reason}", view.url, 3))
    for f in h["follow_up"]:
        if f.held_on:
            text = f"Opfølgning: {f.intervention_title}"
            text += f" – {f.decision_label}" if f.decision_label else ""
            add(TimelineEvent(f.held_on, "Opfølgning", text, f.url, order=4))
    for m in page.movements:
        before = steps.get(m.from_step, "ingen") if m.from_step is not None else "ingen indsats"
        after = steps.get(m.to_step, "ingen") if m.to_step is not None else "ingen indsats"
        reason = f" ({m.reason})" if m.reason else ""
        add(TimelineEvent(m.moved_on, "Trin", f"Fra {before} til {after}{reason}", order=5))
    titles = {v.intervention.id: v.intervention.title for v in page.all_interventions}
    for note in h["note"]:
        text = f"Statusnotat fra udfører om {titles.get(note.intervention_id, 'en indsats')}"
        add(TimelineEvent(note.written_at.astimezone(zone).date(), "Statusnotat", text, order=6))
    for n in page.notifications:
        acute = " (akut)" if n.acute else ""
        text = f"Underretning fra {n.reporter_label}{acute} – {n.status_label}"
        received = n.received_at.astimezone(zone).date()
        add(TimelineEvent(received, "Underretning", text, n.url, order=-1))
    for x in page.letters:
        when = (x.sent_at or x.created_at).astimezone(zone).date()
        text = f"Brev til {x.recipient_name}: {x.subject} ({x.status_label})"
        add(TimelineEvent(when, "Brev", text, x.url, order=7))
    for c in page.conversations:
        place = f" ({c.place})" if c.place else ""
        add(TimelineEvent(c.held_on, "Børnesamtale", f"Samtale med barnet{place}", c.url, order=3))
    events.sort(key=lambda e: (e.day, e.order), reverse=True)
    return events


def _name(record: Record) -> str:
    return f"{record.first_name or ''} {record.last_name or ''}".strip() or "ukendt"
