"""The unit's overview of wellbeing assessments (docs/early-overview.md).

Two readings of one school's, daycare's or health service's assessments:

* `unit_overview` — for a professional: each child of the unit the professional may see (the
  whole unit, or only the group/class/district the role assignment names) with the latest level,
  its date, the trend of the last three assessments (`early/trends.py`) and the date to look
  again; rising concern is highlighted, and the children not assessed for too long are listed.
* `unit_aggregates` — for the leader of the school or daycare: counts only (per group and
  level, and the unit's distribution at each of the last four quarter ends); no names, no ids.

Only assessments made *at this unit* count: a health visitor's assessment of a school child is
not shown on the school's overview (nothing identifying leaves a unit without consent or a
notification). Both functions read set-based: a fixed number of queries however many children.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from trappen.core.access import child_filter_for_role
from trappen.core.models import OrganisationalUnit, Role, User
from trappen.core.vocabulary import ConcernLevel
from trappen.early.models import WellbeingAssessment
from trappen.early.trends import WINDOW, Trend, trend
from trappen.people.models import Child

LEVELS = tuple(ConcernLevel)
NO_GROUP = ""
QUARTERS = 4


# --- shared reading ---


@dataclass(frozen=True)
class Seen:
    """One assessment as the overview needs it."""

    assessed_on: datetime.date
    level: int
    look_again_on: datetime.date | None


def unit_children_q(unit_id: int) -> Q:
    """The children of a unit: enrolled (daycare, school) or served (health visitor)."""
    return Q(unit_id=unit_id) | Q(health_unit_id=unit_id)


def _group_q(unit_id: int, groups: list[str]) -> Q:
    """The children of the named groups (classes; a health visitor's districts) of the unit."""
    return Q(unit_id=unit_id, group_name__in=groups) | Q(
        health_unit_id=unit_id, district__in=groups
    )


def group_of(child: dict, unit_id: int) -> str:
    """The child's group in the unit: the class or daycare group, or the health visitor's
    district when the unit serves rather than enrols the child."""
    if child["unit_id"] == unit_id:
        return child["group_name"]
    return child["district"]


def recent_assessments(
    unit_ids: list[int], children: QuerySet, per_child: int
) -> dict[tuple[int, int], list[Seen]]:
    """The last `per_child` assessments of each of `children` at each of the units, oldest
    first, keyed by (unit id, child id), in one query (numbered per child and unit, newest
    first, and cut in the database)."""
    newest_first = Window(
        RowNumber(),
        partition_by=[F("unit_id"), F("child_id")],
        order_by=[F("assessed_on").desc(), F("recorded_at").desc(), F("pk").desc()],
    )
    rows = (
        WellbeingAssessment.objects.filter(unit_id__in=unit_ids, child_id__in=children.values("pk"))
        .order_by()
        .annotate(n=newest_first)
        .filter(n__lte=per_child)
        .values_list("unit_id", "child_id", "n", "assessed_on", "level", "look_again_on")
    )
    found: dict[tuple[int, int], list[tuple[int, Seen]]] = defaultdict(list)
    for unit_id, child_id, n, assessed_on, level, look_again_on in rows:
        found[unit_id, child_id].append((n, Seen(assessed_on, level, look_again_on)))
    return {
        key: [seen for _, seen in sorted(items, key=lambda item: -item[0])]
        for key, items in found.items()
    }


def overdue_reason(latest: Seen | None, today: datetime.date, interval_days: int) -> str | None:
    """Why the child should be assessed (again), or None when the latest assessment is fresh.

    Not assessed for too long: never assessed at the unit; the latest assessment is more than
    `interval_days` old (exactly `interval_days` is still in time); or the date to look again
    has passed (the day itself is still in time).
    """
    if latest is None:
        return "Aldrig vurderet"
    age = (today - latest.assessed_on).days
    if age > interval_days:
        return f"Sidst vurderet for {age} dage siden"
    if latest.look_again_on is not None and latest.look_again_on < today:
        return f"Skulle vurderes igen {latest.look_again_on:%d.%m.%Y}"
    return None


# --- the professional's overview ---


@dataclass(frozen=True)
class ChildRow:
    child_id: int
    name: str
    group: str
    level: ConcernLevel | None
    assessed_on: datetime.date | None
    trend: Trend | None
    look_again_on: datetime.date | None
    overdue: str | None  # why the child is on the "not assessed for too long" list

    @property
    def highlighted(self) -> bool:
        """Rising concern over the last assessments (`trends.rose_recently`)."""
        return self.trend == Trend.RISING


@dataclass
class UnitOverview:
    unit: OrganisationalUnit
    rows: list[ChildRow]
    not_assessed: list[ChildRow]
    groups: list[str]  # the groups the professional may filter on
    group: str | None  # the group shown, None for all
    interval_days: int
    unknown_group: bool = False

    @property
    def child_ids(self) -> list[int]:
        return [row.child_id for row in self.rows]

    @property
    def rising(self) -> int:
        return sum(1 for row in self.rows if row.highlighted)


def visible_unit_children(user: User, unit: OrganisationalUnit) -> QuerySet:
    """The children of `unit` the professional may see: the access rule (`child_filter_for_role`)
    and, when the user's assignments at this unit name groups only, those groups (a professional
    of class 3.a and of a health service sees only 3.a on the school's overview)."""
    access = child_filter_for_role(user, Role.PROFESSIONAL)
    groups = [g for unit_id, g in user.unit_groups(Role.PROFESSIONAL) if unit_id == unit.pk]
    if access is None or not groups:
        return Child.objects.none()
    here = unit_children_q(unit.pk)
    if NO_GROUP not in groups:
        here &= _group_q(unit.pk, groups)
    return Child.objects.filter(access, here, municipality_id=user.municipality_id).distinct()


def unit_overview(
    user: User,
    unit: OrganisationalUnit,
    group: str | None = None,
    *,
    today: datetime.date,
) -> UnitOverview:
    """The children of `unit` the professional may see (optionally one group), with their
    latest level, trend and date to look again, and those not assessed for too long.

    Three queries: the children, their last three assessments at the unit, none per child.
    The caller checks that the unit is the user's and logs the children shown.
    """
    interval = unit.municipality.assessment_interval_days
    children = visible_unit_children(user, unit)
    people = list(
        children.values("pk", "first_name", "last_name", "unit_id", "group_name", "district")
    )
    groups = sorted({group_of(c, unit.pk) for c in people} - {NO_GROUP})
    unknown = bool(group) and group not in groups
    if group and not unknown:
        people = [c for c in people if group_of(c, unit.pk) == group]
        children = children.filter(_group_q(unit.pk, [group]))
    else:
        group = None
    history = recent_assessments([unit.pk], children, WINDOW) if people else {}
    rows = [_row(c, unit.pk, history.get((unit.pk, c["pk"]), []), today, interval) for c in people]
    rows.sort(key=lambda r: (r.group, r.name.casefold(), r.child_id))
    not_assessed = sorted(
        (r for r in rows if r.overdue),
        key=lambda r: (r.assessed_on is not None, r.assessed_on or today, r.name.casefold()),
    )
    return UnitOverview(unit, rows, not_assessed, groups, group, interval, unknown)


def _row(child: dict, unit_id: int, seen: list[Seen], today, interval) -> ChildRow:
    latest = seen[-1] if seen else None
    return ChildRow(
        child_id=child["pk"],
        name=f"{child['first_name']} {child['last_name']}",
        group=group_of(child, unit_id),
        level=ConcernLevel(latest.level) if latest else None,
        assessed_on=latest.assessed_on if latest else None,
        trend=trend([s.level for s in seen]) if seen else None,
        look_again_on=latest.look_again_on if latest else None,
        overdue=overdue_reason(latest, today, interval),
    )


# --- the leader's aggregates ---


@dataclass(frozen=True)
class GroupCounts:
    group: str  # "" for children without a group
    by_level: tuple[int, ...]  # children per latest level 1..5
    never: int  # never assessed at the unit
    overdue: int  # assessed, but too long ago or past the date to look again

    @property
    def children(self) -> int:
        return sum(self.by_level) + self.never

    @property
    def label(self) -> str:
        return self.group or "Uden stue/klasse"


@dataclass(frozen=True)
class QuarterCounts:
    label: str  # "2025 K1"
    as_of: datetime.date
    by_level: tuple[int, ...]  # children per latest level 1..5 as of the date

    @property
    def assessed(self) -> int:
        return sum(self.by_level)


@dataclass
class UnitAggregates:
    unit: OrganisationalUnit
    groups: list[GroupCounts]
    total: GroupCounts
    quarters: list[QuarterCounts]
    interval_days: int
    levels: tuple[ConcernLevel, ...] = field(default=LEVELS)


def unit_aggregates(unit: OrganisationalUnit, *, today: datetime.date) -> UnitAggregates:
    """Counts for the leader of the school or daycare; no names and no child ids leave here.

    Per group (class, daycare group, district): the unit's current children by the level of
    their latest assessment at the unit, those never assessed there, and those assessed but
    not for too long (`overdue_reason`). Per quarter (the last four, the current one up to
    today): the children whose latest assessment at the unit on or before the quarter's end
    is at most `assessment_interval_days` old then, by that level — children who have since
    left the unit count in the quarters they were assessed in. Three queries.
    """
    interval = unit.municipality.assessment_interval_days
    children = Child.objects.filter(unit_children_q(unit.pk))
    people = list(children.values("pk", "unit_id", "group_name", "district"))
    latest = recent_assessments([unit.pk], children, 1) if people else {}
    groups = _count(
        ((group_of(c, unit.pk), latest.get((unit.pk, c["pk"]))) for c in people), today, interval
    )
    groups.sort(key=lambda g: g.group)
    quarters = quarter_counts(unit.pk, today, interval)
    return UnitAggregates(unit, groups, _total(groups), quarters, interval)


def unit_totals(
    units: list[OrganisationalUnit], *, today: datetime.date, interval: int
) -> list[GroupCounts]:
    """For each unit (in the order given), its children by latest level at the unit, never
    assessed and overdue, as in `unit_aggregates` but for the whole unit: two queries for all
    the units (the leader's start page)."""
    ids = [u.pk for u in units]
    if not ids:
        return []
    children = Child.objects.filter(Q(unit_id__in=ids) | Q(health_unit_id__in=ids))
    latest = recent_assessments(ids, children, 1)
    pairs = []
    for child in children.values("pk", "unit_id", "health_unit_id"):
        for unit_id in {child["unit_id"], child["health_unit_id"]} & set(ids):
            pairs.append((unit_id, latest.get((unit_id, child["pk"]))))
    counted = {g.group: g for g in _count(pairs, today, interval)}
    return [GroupCounts(u.name, *_astuple(counted.get(u.pk))) for u in units]


def _astuple(counts: GroupCounts | None) -> tuple:
    if counts is None:
        return (tuple(0 for _ in LEVELS), 0, 0)
    return (counts.by_level, counts.never, counts.overdue)


def _count(pairs, today: datetime.date, interval: int) -> list[GroupCounts]:
    """Count (key, the child's assessments oldest first or None) pairs per key."""
    per_key: dict = defaultdict(lambda: [Counter(), 0, 0])
    for key, seen in pairs:
        counts = per_key[key]
        if not seen:
            counts[1] += 1
            continue
        counts[0][seen[-1].level] += 1
        if overdue_reason(seen[-1], today, interval):
            counts[2] += 1
    return [_group_counts(key, *values) for key, values in per_key.items()]


def _total(groups: list[GroupCounts]) -> GroupCounts:
    return GroupCounts(
        "I alt",
        tuple(sum(g.by_level[i] for g in groups) for i in range(len(LEVELS))),
        sum(g.never for g in groups),
        sum(g.overdue for g in groups),
    )


def _group_counts(name, levels: Counter, never: int, overdue: int) -> GroupCounts:
    return GroupCounts(name, tuple(levels[level.value] for level in LEVELS), never, overdue)


def quarter_ends(today: datetime.date, count: int = QUARTERS) -> list[tuple[str, datetime.date]]:
    """The last `count` quarters, oldest first, as (label, cut-off): each quarter's last day,
    the current quarter's cut-off being today."""
    year, quarter = today.year, (today.month - 1) // 3 + 1
    found = []
    for _ in range(count):
        end = _quarter_end(year, quarter)
        label = f"{year} K{quarter}"
        found.append((label + (" (til dato)" if end > today else ""), min(end, today)))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return found[::-1]


def _quarter_end(year: int, quarter: int) -> datetime.date:
    if quarter == 4:
        return datetime.date(year, 12, 31)
    return datetime.date(year, quarter * 3 + 1, 1) - datetime.timedelta(days=1)


def quarter_counts(unit_id: int, today: datetime.date, interval: int) -> list[QuarterCounts]:
    """The distribution of levels at each quarter's cut-off (see `unit_aggregates`), from one
    query of the unit's assessments in the window the four cut-offs need."""
    cutoffs = quarter_ends(today)
    since = cutoffs[0][1] - datetime.timedelta(days=interval)
    rows = (
        WellbeingAssessment.objects.filter(
            unit_id=unit_id, assessed_on__gte=since, assessed_on__lte=today
        )
        .order_by("child_id", "assessed_on", "recorded_at", "pk")
        .values_list("child_id", "assessed_on", "level")
    )
    history: dict[int, list[tuple[datetime.date, int]]] = defaultdict(list)
    for child_id, assessed_on, level in rows:
        history[child_id].append((assessed_on, level))
    result = []
    for label, cutoff in cutoffs:
        counts: Counter = Counter()
        for seen in history.values():
            before = [(day, level) for day, level in seen if day <= cutoff]
            if before and (cutoff - before[-1][0]).days <= interval:
                counts[before[-1][1]] += 1
        result.append(QuarterCounts(label, cutoff, tuple(counts[lv.value] for lv in LEVELS)))
    return result
