"""What each role's start page shows: plain functions taking the user and returning data.

One section per role the user holds. Sections that show children carry their ids, so the view
can log every child shown (one audit event per child, purpose "Forside"). Figures for analysts
are aggregated, with counts below 5 suppressed.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Count, DateField, DateTimeField, F, Max, Min, Q, Value
from django.urls import reverse
from django.utils import timezone

from trappen.cases.case_alerts import unseen_case_alerts
from trappen.cases.models import (
    Case,
    CaseAlertKind,
    CaseAlertLevel,
    FollowUp,
    Intervention,
    Investigation,
)
from trappen.cases.services import active_intervention_q
from trappen.core import audit
from trappen.core.access import child_filter_for_role
from trappen.core.models import AuditAction, OrganisationalUnit, Role, User
from trappen.core.services import break_glass_to_review
from trappen.core.vocabulary import Step
from trappen.early.models import WellbeingAssessment
from trappen.early.staircase import steps_on
from trappen.notifications.deadlines import unseen_alerts
from trappen.notifications.models import (
    AlertLevel,
    DeadlineAlert,
    DeadlineKind,
    Notification,
    NotificationStatus,
)
from trappen.people.models import Child

INVESTIGATION_WINDOW_DAYS = 30
FOLLOW_UP_WINDOW_DAYS = 14
RECENT_CONCERN_DAYS = 90
SMALL_COUNT = 5
LIST_LIMIT = 50
AUDIT_PURPOSE = "Forside"


# --- small shared helpers ---


def short_name(child: Child) -> str:
    """First name and the initial of the last name: what a provider needs, and no more."""
    initial = f" {child.last_name[:1]}." if child.last_name else ""
    return f"{child.first_name}{initial}"


def suppress_small(count: int) -> int | None:
    """A count fit for publication: None (shown as "<5") when below 5."""
    return None if count < SMALL_COUNT else count


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def remaining_time(due: datetime.datetime, now: datetime.datetime) -> str:
    """A count-down in plain Danish: "om 5 t 20 min", "overskredet med 2 t"."""
    seconds = int((due - now).total_seconds())
    overdue = seconds < 0
    minutes = abs(seconds) // 60
    days, hours, mins = minutes // (24 * 60), minutes // 60, minutes % 60
    if days >= 2:
        text = f"{days} dage"
    elif hours:
        text = f"{hours} t {mins} min"
    else:
        text = f"{mins} min"
    return f"overskredet med {text}" if overdue else f"om {text}"


def remaining_days(due: datetime.date, today: datetime.date) -> str:
    days = (due - today).days
    if days == 0:
        return "i dag"
    if days == 1:
        return "i morgen"
    if days > 1:
        return f"om {days} dage"
    return "overskredet med 1 dag" if days == -1 else f"overskredet med {-days} dage"


def _units(user: User, role: Role) -> list[OrganisationalUnit]:
    """The units where `user` holds `role` (uses the prefetched assignments when present)."""
    units = [a.unit for a in user.role_assignments.all() if a.role == role and a.unit_id]
    return sorted(units, key=lambda u: u.name)


def _children_per_unit(unit_ids: list[int]) -> Counter:
    """How many children each unit has, enrolled (daycare, school) or served (health visitor)."""
    counts: Counter = Counter()
    rows = (
        Child.objects.filter(Q(unit_id__in=unit_ids) | Q(health_unit_id__in=unit_ids))
        .values("unit_id", "health_unit_id")
        .annotate(n=Count("id"))
    )
    for row in rows:
        for unit_id in {row["unit_id"], row["health_unit_id"]} & set(unit_ids):
            counts[unit_id] += row["n"]
    return counts


# --- deadline alerts: reminders and escalations from the deadline check ---


@dataclass(frozen=True)
class AlertRow:
    alert_id: int
    notification_id: int
    is_escalation: bool
    level: str
    deadline: str
    remaining: str
    overdue: bool
    received_at: datetime.datetime
    reporter: str
    caseworker: str


def alert_rows(user: User, now: datetime.datetime) -> list[AlertRow]:
    """The user's unseen alerts on deadlines not met yet, each with its count-down now."""
    alerts = unseen_alerts(user)[:LIST_LIMIT]
    return [_alert_row(alert, now) for alert in alerts]


def _alert_row(alert: DeadlineAlert, now: datetime.datetime) -> AlertRow:
    n = alert.notification
    if alert.deadline == DeadlineKind.ASSESSMENT:
        remaining, overdue = remaining_time(n.assessment_due_at, now), n.assessment_due_at < now
    else:
        today = timezone.localdate(now)
        due_on = n.receipt_due_on if alert.deadline == DeadlineKind.RECEIPT else n.feedback_due_on
        remaining, overdue = remaining_days(due_on, today), due_on < today
    return AlertRow(
        alert_id=alert.pk,
        notification_id=n.pk,
        is_escalation=alert.level == AlertLevel.ESCALATION,
        level=alert.get_level_display(),
        deadline=alert.get_deadline_display(),
        remaining=remaining,
        overdue=overdue,
        received_at=n.received_at,
        reporter=n.get_reporter_kind_display(),
        caseworker=str(n.assigned_to) if n.assigned_to else "Ikke fordelt",
    )


# --- case alerts: reminders, escalations and flags about cases (trappen/cases/case_alerts.py) ---


@dataclass(frozen=True)
class CaseAlertRow:
    alert_id: int
    is_escalation: bool
    level: str
    kind: str
    note: str
    due_on: datetime.date | None
    remaining: str
    overdue: bool
    child_id: int | None  # None: no name shown (see `case_alert_rows`)
    child_name: str
    caseworker: str
    url: str


def case_alert_rows(
    user: User, now: datetime.datetime, *, with_names: bool = True
) -> list[CaseAlertRow]:
    """The user's unseen case alerts that still need action, earliest due first.

    The child's name is shown only for cases of the user's own caseworker teams, and only
    `with_names` (the section then logs those children); otherwise the row names the case.
    """
    teams = set(user.unit_ids(Role.CASEWORKER)) if with_names else set()
    today = timezone.localdate(now)
    return [_case_alert_row(a, teams, today) for a in unseen_case_alerts(user)[:LIST_LIMIT]]


def _case_alert_row(alert, teams: set[int], today: datetime.date) -> CaseAlertRow:
    case = alert.case
    own = case.team_id in teams
    due = alert.due_on
    note = ""
    if alert.kind == CaseAlertKind.INVESTIGATION and alert.preliminary_on:
        note = f"Foreløbig vurdering foreligger ({alert.preliminary_on:%d.%m.%Y})"
    elif alert.kind == CaseAlertKind.NOT_HEARD and alert.level == CaseAlertLevel.REMINDER:
        note = "Akut afgørelse: hold den lovede samtale med barnet"
    elif alert.kind == CaseAlertKind.CONFERENCE:
        from trappen.voice.reminders import alert_note

        note = alert_note(alert)
    return CaseAlertRow(
        alert_id=alert.pk,
        is_escalation=alert.level == CaseAlertLevel.ESCALATION,
        level=alert.get_level_display(),
        kind=alert.get_kind_display(),
        note=note,
        due_on=due,
        remaining=remaining_days(due, today) if due else "",
        overdue=due is not None and due < today,
        child_id=case.child_id if own else None,
        child_name=case.child.full_name if own else f"Sag {case.pk}",
        caseworker=str(case.caseworker) if case.caseworker else "Ikke fordelt",
        url=_case_alert_url(alert),
    )


def _case_alert_url(alert) -> str:
    case_id = alert.case_id
    if alert.kind == CaseAlertKind.INVESTIGATION:
        kwargs = {"case_id": case_id, "investigation_id": alert.subject_id}
        return reverse("cases:investigation_detail", kwargs=kwargs)
    if alert.kind == CaseAlertKind.SIBLINGS:
        kwargs = {"case_id": case_id, "assessment_id": alert.subject_id}
        return reverse("cases:sibling_assessment", kwargs=kwargs)
    if alert.kind == CaseAlertKind.NOT_HEARD and alert.level == CaseAlertLevel.REMINDER:
        return reverse("voice:conversation_new", kwargs={"case_id": case_id})  # promised (§ 5)
    if alert.kind == CaseAlertKind.NOT_HEARD:
        return reverse("voice:decision_review")
    if alert.kind in (CaseAlertKind.CONFERENCE, CaseAlertKind.NETWORK_MEETING):
        from trappen.voice.reminders import alert_url  # voice builds on cases

        return alert_url(alert)
    return reverse("cases:detail", kwargs={"case_id": case_id})


@dataclass
class Section:
    role: Role
    template: str
    data: object
    child_ids: list[int] = field(default_factory=list)


# --- caseworker: my deadlines and my cases ---

NOTIFICATION, INVESTIGATION, FOLLOW_UP = "notification", "investigation", "follow_up"


@dataclass(frozen=True)
class Deadline:
    kind: str
    due: datetime.datetime | datetime.date
    remaining: str
    overdue: bool
    child_id: int | None
    child_name: str
    link_child: bool

    @property
    def has_time(self) -> bool:
        return isinstance(self.due, datetime.datetime)


@dataclass(frozen=True)
class CaseRow:
    case: Case
    step: int | None

    @property
    def step_label(self) -> str:
        return Step(self.step).label if self.step is not None else "Ingen aktive indsatser"


@dataclass
class CaseworkerStart:
    deadlines: list[Deadline]
    cases: list[CaseRow]
    alerts: list[AlertRow] = field(default_factory=list)
    case_alerts: list[CaseAlertRow] = field(default_factory=list)


def caseworker_start(user: User, now: datetime.datetime) -> Section:
    today = timezone.localdate(now)
    teams = user.unit_ids(Role.CASEWORKER)
    deadlines = sorted(
        (_deadline(row, now, today) for row in _deadline_rows(user, teams, today)),
        key=lambda d: _sort_moment(d.due),
    )[: LIST_LIMIT * 2]
    active = active_intervention_q(today, "interventions__")
    cases = [
        CaseRow(case, case.current_step)
        for case in Case.objects.filter(caseworker=user, team_id__in=teams, closed_on__isnull=True)
        .select_related("child")
        .annotate(current_step=Max("interventions__step", filter=active))
        .order_by("child__first_name", "child__last_name", "pk")[: LIST_LIMIT * 4]
    ]
    child_ids = [d.child_id for d in deadlines if d.child_id] + [r.case.child_id for r in cases]
    # A user who is also a team leader sees all own alerts once, in the team section.
    leads = user.has_role(Role.TEAM_LEADER)
    alerts = [] if leads else alert_rows(user, now)
    case_alerts = [] if leads else case_alert_rows(user, now)
    child_ids += [a.child_id for a in case_alerts if a.child_id]
    data = CaseworkerStart(deadlines, cases, alerts, case_alerts)
    return Section(Role.CASEWORKER, "core/home_caseworker.html", data, child_ids)


DEADLINE_COLUMNS = ("kind", "due_at", "due_day", "child_pk", "first", "last", "title")


def _deadline_rows(user: User, teams: list[int], today: datetime.date):
    """My three kinds of deadline in one query: notifications to assess (a time), investigations
    due within 30 days and follow-ups due within 14 days on my open cases (a day), or overdue."""
    no_time = Value(None, output_field=DateTimeField())
    no_day = Value(None, output_field=DateField())
    notifications = Notification.objects.filter(
        assigned_to=user, municipality_id=user.municipality_id, assessed_at__isnull=True
    ).annotate(
        kind=Value(NOTIFICATION),
        due_at=F("assessment_due_at"),
        due_day=no_day,
        child_pk=F("child_id"),
        first=F("child__first_name"),
        last=F("child__last_name"),
        title=Value(""),
    )
    investigations = Investigation.objects.filter(
        case__caseworker=user,
        case__team_id__in=teams,
        case__closed_on__isnull=True,
        completed_on__isnull=True,
        due_on__lte=today + datetime.timedelta(days=INVESTIGATION_WINDOW_DAYS),
    ).annotate(
        kind=Value(INVESTIGATION),
        due_at=no_time,
        due_day=F("due_on"),
        child_pk=F("case__child_id"),
        first=F("case__child__first_name"),
        last=F("case__child__last_name"),
        title=Value(""),
    )
    follow_ups = FollowUp.objects.filter(
        intervention__case__caseworker=user,
        intervention__case__team_id__in=teams,
        intervention__case__closed_on__isnull=True,
        held_on__isnull=True,
        due_on__lte=today + datetime.timedelta(days=FOLLOW_UP_WINDOW_DAYS),
    ).annotate(
        kind=Value(FOLLOW_UP),
        due_at=no_time,
        due_day=F("due_on"),
        child_pk=F("intervention__case__child_id"),
        first=F("intervention__case__child__first_name"),
        last=F("intervention__case__child__last_name"),
        title=F("intervention__title"),
    )
    parts = [q.order_by().values_list(*DEADLINE_COLUMNS) for q in (investigations, follow_ups)]
    return notifications.order_by().values_list(*DEADLINE_COLUMNS).union(*parts, all=True)


def _deadline(row: tuple, now: datetime.datetime, today: datetime.date) -> Deadline:
    kind, due_at, due_day, child_pk, first, last, title = row
    name = f"{first} {last}" if child_pk else "Ikke identificeret"
    if kind == NOTIFICATION:
        label, remaining, overdue = (
            "Vurdering af underretning (24 timer)",
            remaining_time(due_at, now),
            due_at < now,
        )
        return Deadline(label, due_at, remaining, overdue, child_pk, name, link_child=False)
    label = "Børnefaglig undersøgelse" if kind == INVESTIGATION else f"Opfølgning: {title}"
    remaining = remaining_days(due_day, today)
    return Deadline(label, due_day, remaining, due_day < today, child_pk, name, link_child=True)


def _sort_moment(due) -> datetime.datetime:
    if isinstance(due, datetime.datetime):
        return due
    end_of_day = datetime.datetime.combine(due, datetime.time(23, 59))
    return timezone.make_aware(end_of_day)


# --- team leader: team overview ---


@dataclass(frozen=True)
class CaseworkerLoad:
    name: str
    open_cases: int
    overdue_investigations: int
    overdue_follow_ups: int


@dataclass(frozen=True)
class UnassignedNotification:
    received_at: datetime.datetime
    reporter: str
    acute: bool
    remaining: str
    overdue: bool


@dataclass
class TeamStart:
    team_names: list[str]
    caseworkers: list[CaseworkerLoad]
    unassigned: list[UnassignedNotification]
    unassigned_count: int
    breached_recent: int
    breached_open: int
    break_glass_pending: int
    breached_window_days: int = 30
    alerts: list[AlertRow] = field(default_factory=list)
    case_alerts: list[CaseAlertRow] = field(default_factory=list)


def team_leader_start(user: User, now: datetime.datetime) -> Section:
    today = timezone.localdate(now)
    teams = _units(user, Role.TEAM_LEADER)
    team_ids = [t.pk for t in teams]
    notifications = Notification.objects.filter(
        municipality_id=user.municipality_id, team_id__in=team_ids
    )
    waiting = Q(assigned_to__isnull=True, assessed_at__isnull=True)
    breached = Q(assessed_at__gt=F("assessment_due_at")) | Q(
        assessed_at__isnull=True, assessment_due_at__lt=now
    )
    counts = notifications.aggregate(
        unassigned=Count("id", filter=waiting),
        breached_recent=Count(
            "id", filter=breached & Q(received_at__gte=now - datetime.timedelta(days=30))
        ),
        breached_open=Count("id", filter=Q(assessed_at__isnull=True, assessment_due_at__lt=now)),
    )
    unassigned = [
        UnassignedNotification(
            n.received_at,
            n.get_reporter_kind_display(),
            n.acute,
            remaining_time(n.assessment_due_at, now),
            n.assessment_due_at < now,
        )
        for n in notifications.filter(waiting).order_by("assessment_due_at")[:10]
    ]
    data = TeamStart(
        team_names=[t.name for t in teams],
        caseworkers=_caseworker_loads(team_ids, today),
        unassigned=unassigned,
        unassigned_count=counts["unassigned"],
        breached_recent=counts["breached_recent"],
        breached_open=counts["breached_open"],
        break_glass_pending=break_glass_to_review(user).count(),
        alerts=alert_rows(user, now),
        # Without the children's names: the team overview names no child (and logs none).
        case_alerts=case_alert_rows(user, now, with_names=False),
    )
    return Section(Role.TEAM_LEADER, "core/home_team_leader.html", data)


def _count_by(queryset, key: str) -> Counter:
    return Counter({row[key]: row["n"] for row in queryset.values(key).annotate(n=Count("id"))})


def _caseworker_loads(team_ids: list[int], today) -> list[CaseworkerLoad]:
    # Open cases and their overdue investigations per caseworker in one query (the start page's
    # query budget also pays for the case alerts).
    overdue = Q(investigations__completed_on__isnull=True, investigations__due_on__lt=today)
    per_caseworker = (
        Case.objects.filter(team_id__in=team_ids, closed_on__isnull=True)
        .values("caseworker_id")
        .annotate(
            n=Count("id", distinct=True),
            overdue=Count("investigations", filter=overdue, distinct=True),
        )
        .order_by()
    )
    open_cases, overdue_investigations = Counter(), Counter()
    for row in per_caseworker:
        open_cases[row["caseworker_id"]] = row["n"]
        if row["overdue"]:
            overdue_investigations[row["caseworker_id"]] = row["overdue"]
    overdue_follow_ups = _count_by(
        FollowUp.objects.filter(
            intervention__case__team_id__in=team_ids,
            intervention__case__closed_on__isnull=True,
            held_on__isnull=True,
            due_on__lt=today,
        ),
        "intervention__case__caseworker_id",
    )
    with_work = set(open_cases) | set(overdue_investigations) | set(overdue_follow_ups)
    people = User.objects.filter(
        Q(role_assignments__role=Role.CASEWORKER, role_assignments__unit_id__in=team_ids)
        | Q(pk__in=[pk for pk in with_work if pk is not None])
    ).distinct()
    rows = [
        CaseworkerLoad(
            str(person),
            open_cases[person.pk],
            overdue_investigations[person.pk],
            overdue_follow_ups[person.pk],
        )
        for person in sorted(people, key=lambda p: str(p))
    ]
    if None in with_work:
        rows.append(
            CaseworkerLoad(
                "Ikke fordelt",
                open_cases[None],
                overdue_investigations[None],
                overdue_follow_ups[None],
            )
        )
    return rows


# --- professional: my submissions and their status ---

SUBMISSION_STATUS = {
    NotificationStatus.NEW: "Modtaget – venter på kommunens vurdering",
    NotificationStatus.ASSESSED: "Vurderet af kommunen",
    NotificationStatus.DECIDED: "Færdigbehandlet",
}


@dataclass(frozen=True)
class Submission:
    received_at: datetime.datetime
    child_name: str
    status: str
    receipt_sent_at: datetime.datetime | None
    receipt_due_on: datetime.date | None


@dataclass(frozen=True)
class UnitCount:
    name: str
    children: int
    recent_concerns: int = 0


@dataclass
class ProfessionalStart:
    submissions: list[Submission]
    units: list[UnitCount]


def professional_start(user: User, now: datetime.datetime) -> Section:
    notifications = list(
        Notification.objects.filter(
            reporter_user=user, municipality_id=user.municipality_id
        ).order_by("-received_at")[:LIST_LIMIT]
    )
    submissions = [
        Submission(
            n.received_at,
            # what the notifier wrote, never the name of the child the CPR number matched
            n.child_name or "Navn ikke oplyst",
            SUBMISSION_STATUS.get(n.status, n.get_status_display()),
            n.receipt_sent_at,
            n.receipt_due_on,
        )
        for n in notifications
    ]
    units = _units(user, Role.PROFESSIONAL)
    counts = _children_per_unit([u.pk for u in units])
    data = ProfessionalStart(submissions, [UnitCount(u.name, counts[u.pk]) for u in units])
    child_ids = [n.child_id for n in notifications if n.child_id]
    return Section(Role.PROFESSIONAL, "core/home_professional.html", data, child_ids)


# --- outreach social worker: my units, aggregated ---


def outreach_start(user: User, now: datetime.datetime) -> Section:
    today = timezone.localdate(now)
    units = _units(user, Role.OUTREACH)
    unit_ids = [u.pk for u in units]
    children = _children_per_unit(unit_ids)
    concerns = _count_by(
        WellbeingAssessment.objects.filter(
            unit_id__in=unit_ids,
            level__gte=3,
            assessed_on__gte=today - datetime.timedelta(days=RECENT_CONCERN_DAYS),
        ),
        "unit_id",
    )
    data = [UnitCount(u.name, children[u.pk], concerns[u.pk]) for u in units]
    return Section(Role.OUTREACH, "core/home_outreach.html", data)


# --- leader of a school or daycare: the unit's levels, counts only (early/overview.py) ---


@dataclass(frozen=True)
class UnitLeaderUnit:
    unit_id: int
    counts: object  # early.overview.GroupCounts: by level 1–5, never assessed, overdue


@dataclass
class UnitLeaderStart:
    units: list[UnitLeaderUnit]
    levels: tuple


def unit_leader_start(user: User, now: datetime.datetime) -> Section:
    from trappen.early.overview import LEVELS, unit_totals

    units = _units(user, Role.UNIT_LEADER)
    interval = user.municipality.assessment_interval_days if user.municipality_id else 183
    totals = unit_totals(units, today=timezone.localdate(now), interval=interval)
    rows = [UnitLeaderUnit(u.pk, counts) for u, counts in zip(units, totals, strict=True)]
    data = UnitLeaderStart(rows, LEVELS)
    return Section(Role.UNIT_LEADER, "core/home_unit_leader.html", data)


# --- provider: my interventions ---


@dataclass(frozen=True)
class ProviderRow:
    child_name: str
    title: str
    step_label: str
    provider: str
    start_on: datetime.date
    next_follow_up: datetime.date | None
    intervention_id: int | None = None  # links to the provider's page (cases:provider_intervention)


def provider_start(user: User, now: datetime.datetime) -> Section:
    today = timezone.localdate(now)
    interventions = list(
        Intervention.objects.filter(
            active_intervention_q(today),
            provider_id__in=user.unit_ids(Role.PROVIDER),
            case__municipality_id=user.municipality_id,
        )
        .select_related("case__child", "provider")
        .annotate(
            next_follow_up=Min("follow_ups__due_on", filter=Q(follow_ups__held_on__isnull=True))
        )
        .order_by(F("next_follow_up").asc(nulls_last=True), "start_on", "pk")[: LIST_LIMIT * 2]
    )
    rows = [
        ProviderRow(
            short_name(i.case.child),
            i.title,
            Step(i.step).label,
            i.provider.name,
            i.start_on,
            i.next_follow_up,
            intervention_id=i.pk,
        )
        for i in interventions
    ]
    child_ids = [i.case.child_id for i in interventions]
    return Section(Role.PROVIDER, "core/home_provider.html", rows, child_ids)


# --- analyst and management: aggregated figures, small counts suppressed ---


@dataclass(frozen=True)
class Figure:
    label: str
    value: int | None  # None: fewer than 5, shown as "<5"


@dataclass
class AnalystStart:
    figures: list[Figure]
    steps: list[Figure]


def analyst_start(user: User, now: datetime.datetime) -> Section:
    today = timezone.localdate(now)
    municipality_id = user.municipality_id
    children = Child.objects.filter(
        municipality_id=municipality_id,
        birth_date__lte=today,
        birth_date__gt=years_before(today, 18),
    ).count()
    notifications = Notification.objects.filter(
        municipality_id=municipality_id,
        received_at__gte=now - datetime.timedelta(days=365),
    ).count()
    figures = [
        Figure("Børn og unge 0–17 år", suppress_small(children)),
        Figure("Underretninger de seneste 12 måneder", suppress_small(notifications)),
    ]
    per_step = steps_on(municipality_id, today)  # interventions and early help (early/staircase)
    steps = [Figure(f"{s.value} {s.label}", suppress_small(per_step[s.value])) for s in Step]
    return Section(Role.ANALYST, "core/home_analyst.html", AnalystStart(figures, steps))


# --- administrator: counts and the way to the admin ---


@dataclass(frozen=True)
class AdministratorStart:
    users: int
    units: int
    admin_url: str


def administrator_start(user: User, now: datetime.datetime) -> Section:
    data = AdministratorStart(
        users=User.objects.filter(municipality_id=user.municipality_id, is_active=True).count(),
        units=OrganisationalUnit.objects.filter(municipality_id=user.municipality_id).count(),
        admin_url=reverse("admin:index"),
    )
    return Section(Role.ADMINISTRATOR, "core/home_administrator.html", data)


# --- citizen: my child / my children, or my own case ---


@dataclass(frozen=True)
class CitizenChild:
    child: Child
    is_self: bool
    status: str
    contact_name: str
    contact_phone: str
    contact_email: str
    has_caseworker: bool


@dataclass
class CitizenStart:
    heading: str
    children: list[CitizenChild]


def citizen_start(user: User, now: datetime.datetime) -> Section:
    today = timezone.localdate(now)
    children = list(
        Child.objects.filter(
            child_filter_for_role(user, Role.CITIZEN), municipality_id=user.municipality_id
        )
        .distinct()
        .order_by("birth_date", "pk")
    )
    cases = {
        case.child_id: case
        for case in Case.objects.filter(child__in=[c.pk for c in children], closed_on__isnull=True)
        .select_related("caseworker", "team")
        .annotate(
            open_investigations=Count(
                "investigations",
                filter=Q(investigations__completed_on__isnull=True),
                distinct=True,
            ),
            active_interventions=Count(
                "interventions",
                filter=active_intervention_q(today, "interventions__"),
                distinct=True,
            ),
        )
    }
    rows = [
        _citizen_row(child, cases.get(child.pk), child.user_id == user.pk) for child in children
    ]
    heading = _citizen_heading(rows)
    return Section(
        Role.CITIZEN,
        "core/home_citizen.html",
        CitizenStart(heading, rows),
        [c.pk for c in children],
    )


def _citizen_heading(rows: list[CitizenChild]) -> str:
    if rows and all(r.is_self for r in rows):
        return "Min sag"
    return "Mine børn" if len(rows) > 1 else "Mit barn"


def _citizen_row(child: Child, case: Case | None, is_self: bool) -> CitizenChild:
    status = case_status_text(case, is_self)
    if case is None:
        return CitizenChild(child, is_self, status, "", "", "", False)
    if case.caseworker is not None:
        worker = case.caseworker
        return CitizenChild(child, is_self, status, str(worker), worker.phone, worker.email, True)
    team = case.team
    return CitizenChild(child, is_self, status, team.name, team.phone, team.email, False)


def case_status_text(case: Case | None, is_self: bool) -> str:
    """The case status in plain Danish, for the family or the child."""
    you = "du" if is_self else "dit barn"
    if case is None:
        return "Der er ingen åben sag hos kommunen."
    if case.open_investigations:
        return (
            f"Kommunen er ved at undersøge, hvordan {you} har det, og hvilken hjælp der er brug "
            "for (en børnefaglig undersøgelse)."
        )
    if case.active_interventions:
        count = case.active_interventions
        noun = "indsats" if count == 1 else "indsatser"
        return f"{you.capitalize()} får hjælp fra kommunen: {count} {noun} i gang."
    return "Kommunen har en åben sag og er ved at finde ud af, hvilken hjælp der kan være brug for."


# --- all sections, and the log of children shown ---

BUILDERS: dict[Role, Callable[[User, datetime.datetime], Section]] = {
    Role.CASEWORKER: caseworker_start,
    Role.TEAM_LEADER: team_leader_start,
    Role.PROFESSIONAL: professional_start,
    Role.UNIT_LEADER: unit_leader_start,
    Role.OUTREACH: outreach_start,
    Role.PROVIDER: provider_start,
    Role.ANALYST: analyst_start,
    Role.ADMINISTRATOR: administrator_start,
    Role.CITIZEN: citizen_start,
}


def sections_for(user: User, now: datetime.datetime | None = None) -> list[Section]:
    """The start page's sections, one per role the user holds, in a fixed order."""
    now = now or timezone.now()
    return [build(user, now) for role, build in BUILDERS.items() if user.has_role(role)]


def log_children_shown(user: User, sections: Iterable[Section]) -> None:
    """One audit event per child shown, per role in which it was shown."""
    for section in sections:
        child_ids = list(dict.fromkeys(section.child_ids))
        audit.record_many(
            user,
            [
                audit.AuditEntry(AuditAction.VIEW, "people.child", str(pk), pk, AUDIT_PURPOSE)
                for pk in child_ids
            ],
            role=section.role,
        )
