"""Early detection in the generated municipality (issue 6), after the history: the assessments'
own details, what was shared with the outreach social worker, early help at steps 0-1 without a
case, and the outreach social worker's consultation slots with the anonymous consultations
booked on them.

Everything here draws from its own stream (`streams.EARLY`, a `random.Random`), so the history's
draws, and with them the notifications, cases and their figures, are the same as without it.

- **Assessments** (built in history.py): the child's group or class at the time (the class
  moves up a grade each school year; a health visitor's group is the district), with whom it
  was agreed and who follows up (from level 2), what the professional sees (some from level 2),
  and why the parents were not informed whenever they were not.
- **Sharing**: a share of the assessment rounds reaching level 3 in a school or daycare are
  shared with the outreach social worker (recipient "outreach"), on or after the assessment,
  mostly with the custody holders' consent, otherwise as the necessary exchange in the early
  preventive cooperation (with its purpose).
- **Early help**: for a share of the shared rounds that did not lead to a case, the outreach
  social worker starts help at step 0 or 1 (an offer of the unit's kind from the catalogue)
  with the consent of the child's custody holders (consent before the start); a notification or
  a case during it ends it ("notified"), older ones have ended for other reasons.
- **Consultations**: weekly slots per school and daycare held by the outreach worker of its
  district, from the history's start to four weeks ahead; a unit books often, usually or seldom;
  booked slots hold an anonymous consultation (age band, level, areas, a fixed concern text
  without names or numbers) held with an outcome, some cancelled, the next weeks' ones booked.
"""

from __future__ import annotations

import base64
import datetime
import json
import random
from collections import Counter, defaultdict
from itertools import accumulate

from trappen.core import calendar
from trappen.core.models import UnitKind
from trappen.core.synthetic import rates, texts
from trappen.core.synthetic.dates import age_on, at, days
from trappen.core.synthetic.people import DAYCARE_GROUPS
from trappen.core.synthetic.sim import Sim
from trappen.early.models import (
    ConsultationSlot,
    EarlyHelp,
    InformationSharing,
    SharingRecipient,
)

Consent = EarlyHelp.consenting_guardians.through
CONSENT_COLUMNS = ("earlyhelp_id", "guardian_id")
EARLY_UNITS = (UnitKind.SCHOOL, UnitKind.DAYCARE)
AGE_BANDS = {
    UnitKind.DAYCARE: {"0_2": 0.3, "3_5": 0.7},
    UnitKind.SCHOOL: {"6_9": 0.4, "10_13": 0.38, "14_17": 0.22},
}
RELATION_NAMES = {"mother": "Mor", "father": "Far"}


CONSULTATION_COLUMNS = (
    "municipality_id",
    "unit_id",
    "slot_id",
    "requester_kind",
    "requester_id",
    "age_band",
    "level",
    "areas",  # JSON text: the column takes it as it is, on SQLite and in PostgreSQL's COPY
    "concern",
    "status",
    "outcome",
    "outcome_note",
    "held_on",
    "handled_by_id",
    "booking_code",
    "created_at",
    "is_synthetic",
)


def consultation_row(spec: tuple) -> tuple:
    return (*spec[:2], spec[2].pk, *spec[3:])


def consent_row(spec: tuple) -> tuple[int, int]:
    help_, guardian = spec
    return (help_.pk, guardian.pk)


def build_early(sim: Sim, rnd: random.Random) -> None:
    """Add early detection to `sim.rows` (after build_history: it reads the notifications and
    cases to end early help that a notification or case overtook)."""
    early = _Early(sim, rnd)
    early.fill_assessments()
    early.share_and_help()
    early.consultations()


_CUMULATIVE: dict[int, tuple[list, list]] = {}


def draw(rnd: random.Random, table: dict):
    """A key of the constant `table` drawn with its values as weights (the cumulative weights
    are kept per table: the same draws as `choices(keys, weights)`, cheaper)."""
    found = _CUMULATIVE.get(id(table))
    if found is None:
        found = _CUMULATIVE[id(table)] = (list(table), list(accumulate(table.values())))
    return rnd.choices(found[0], cum_weights=found[1])[0]


def school_year(day: datetime.date) -> int:
    """The school year a day belongs to, by the year it began (1 August)."""
    return day.year if day.month >= 8 else day.year - 1


class _Early:
    def __init__(self, sim: Sim, rnd: random.Random):
        self.sim, self.rnd, self.rows = sim, rnd, sim.rows
        people = sim.people
        self.index = {id(c): i for i, c in enumerate(people.children)}
        self.custody: dict[int, list] = defaultdict(list)
        for link in people.links:
            if link.has_custody:
                self.custody[id(link.child)].append(link)
        self.outreach_of = {}
        org = sim.org
        for d in range(len(org.daycares)):
            worker = org.outreach_workers[min(d // 2, len(org.outreach_workers) - 1)]
            for unit in org.daycares[d] + org.schools[d]:
                self.outreach_of[unit.pk] = worker

    # --- the assessments' details ---

    def fill_assessments(self) -> None:
        rnd = self.rnd
        for a in self.rows.assessments:
            i = self.index[id(a.child)]
            kind = a.unit.kind
            a.group_name = self.group_at(i, a.unit, a.assessed_on)[:50]
            a.recorded_at = at(a.assessed_on, rnd.randint(8, 15), rnd.randint(0, 59))
            if not a.parents_informed:
                harm = a.level >= 4 and rnd.random() < 0.6
                pool = texts.NOT_INFORMED_HARM if harm else texts.NOT_INFORMED_REASONS
                a.parents_not_informed_reason = rnd.choice(pool)
                if "forældre" in a.agreed.lower():
                    a.agreed = "Sparring med den fremskudte rådgiver aftalt."
            if a.level >= 2 or a.agreed:
                pool = texts.AGREED_WITH if a.parents_informed else texts.AGREED_WITH_NOT_INFORMED
                a.agreed_with = rnd.choice(pool)
                a.follow_up_by = rnd.choice(texts.FOLLOW_UP_BY[kind])
            if a.level >= 2 and rnd.random() < rates.OBSERVATIONS_P:
                a.observations = rnd.choice(texts.OBSERVATIONS[kind])

    def group_at(self, i: int, unit, day: datetime.date) -> str:
        """The child's group or class in `unit` on `day` (a health visitor's: the district).
        The class is today's moved down one grade per school year back, with today's letter."""
        child = self.sim.people.children[i]
        if unit.kind == UnitKind.HEALTH_SERVICE:
            return child.district
        now = child.group_name if child.unit is not None and child.unit.kind == unit.kind else ""
        if unit.kind == UnitKind.SCHOOL:
            letter = now.rsplit(".", 1)[-1] if now else "ABC"[i % 3]
            grade = age_on(child.birth_date, self.sim.today) - rates.SCHOOL_FROM_AGE
            grade -= school_year(self.sim.today) - school_year(day)
            return f"{max(grade, 0)}.{letter}"
        if unit.kind == UnitKind.DAYCARE:
            colour = now.split(", ", 1)[-1] if now else DAYCARE_GROUPS[i % len(DAYCARE_GROUPS)]
            kind = "Vuggestue" if age_on(child.birth_date, day) < 3 else "Børnehave"
            return f"{kind}, {colour}"
        return child.group_name

    # --- sharing with the outreach social worker, and early help ---

    def share_and_help(self) -> None:
        rnd, sim = self.rnd, self.sim
        opened = defaultdict(list)  # the days a case opened or a notification came, per child
        for case in self.rows.cases:
            opened[id(case.child)].append(case.opened_on)
        for note in self.rows.notifications:
            if note.child is not None:
                opened[id(note.child)].append(calendar.local_date(note.received_at))
        spans = defaultdict(list)  # (opened, closed) of the child's cases
        for case in self.rows.cases:
            spans[id(case.child)].append((case.opened_on, case.closed_on or sim.today))
        helped = defaultdict(list)  # (start, end) of the child's early help
        for i, made, early_case in self.rows.rounds:
            first = next((a for a in made if a.level >= 3), None)
            if first is None or first.unit.kind not in EARLY_UNITS:
                continue
            p = rates.SHARING_P_EARLY_CASE if early_case else rates.SHARING_P
            if rnd.random() >= p:
                continue
            sharing = self.share(i, first)
            if early_case is not None or rnd.random() >= rates.EARLY_HELP_P:
                continue
            child = id(first.child)
            help_ = self.early_help(i, first, sharing.shared_on, sorted(opened[child]))
            if help_ is None:
                continue
            end = help_.ended_on or sim.today
            start = help_.started_on
            in_case = any(o <= start and first.assessed_on <= c for o, c in spans[child])
            overlaps = any(s <= end and start <= e for s, e in helped[child])
            if in_case or overlaps:
                continue  # help through the case, or already helped: no second early help
            helped[child].append((help_.started_on, end))
            self.rows.early_help.append(help_)
            self.rows.consents += [(help_, link.guardian) for link in self.custody[child]]

    def share(self, i: int, a) -> InformationSharing:
        rnd, yesterday = self.rnd, self.sim.yesterday
        shared_on = min(a.assessed_on + days(rnd.randint(*rates.SHARING_DAYS)), yesterday)
        basis = draw(rnd, rates.SHARING_BASIS_P)
        if basis == "consent":
            purpose, consent_from = rnd.choice(texts.SHARING_PURPOSES), self.consent_from(a)
        else:
            purpose, consent_from = rnd.choice(texts.SHARING_PURPOSES_EARLY_COOPERATION), ""
        sharing = InformationSharing(
            assessment=a,
            child=a.child,
            unit=a.unit,
            recipient=SharingRecipient.OUTREACH,
            recipient_detail="Den fremskudte socialrådgiver",
            basis=basis,
            consent_from=consent_from,
            purpose=purpose,
            shared_on=shared_on,
            recorded_by=a.author,
            recorded_at=at(shared_on, rnd.randint(8, 15), rnd.randint(0, 59)),
            is_synthetic=True,
        )
        self.rows.sharings.append(sharing)
        return sharing

    def consent_from(self, a) -> str:
        links = self.custody[id(a.child)]
        if len(links) == 1:
            return RELATION_NAMES.get(links[0].relation, "Forælder")
        return draw(self.rnd, rates.CONSENT_FROM_P)

    def early_help(self, i: int, a, shared_on, events: list) -> EarlyHelp | None:
        """Early help after the sharing, or None when it would start after yesterday or the
        child has no custody holder to consent."""
        rnd, sim = self.rnd, self.sim
        consent_on = shared_on + days(rnd.randint(*rates.EARLY_HELP_CONSENT_DAYS))
        started = consent_on + days(rnd.randint(*rates.EARLY_HELP_START_DAYS))
        if started > sim.yesterday or not self.custody[id(a.child)]:
            return None
        step = draw(rnd, rates.EARLY_HELP_STEP_P)
        offer = self.offer(a.unit.kind, step)
        low, high = rates.DURATION_DAYS[step]
        planned = started + days(rnd.randint(low, high) - 1)
        stop = next((d for d in events if started < d <= planned), None)
        ended, reason = None, ""
        if stop is not None and stop <= sim.yesterday:
            ended, reason = stop, "notified"
        elif planned <= sim.yesterday:
            ended, reason = planned, draw(rnd, rates.EARLY_HELP_END_P)
        return EarlyHelp(
            municipality=sim.org.municipality,
            child=a.child,
            unit=a.unit,
            offer=offer,
            title=offer.name if offer is not None else "Tidlig indsats i almenområdet",
            step=offer.step if offer is not None else step,
            purpose=rnd.choice(texts.EARLY_HELP_PURPOSES),
            started_on=started,
            ended_on=ended,
            end_reason=reason,
            end_note=texts.EARLY_HELP_END_NOTES.get(reason, ""),
            consent_on=consent_on,
            assessment=a,
            started_by=self.outreach_of.get(a.unit.pk),
            created_at=at(started, rnd.randint(8, 15), rnd.randint(0, 59)),
            is_synthetic=True,
        )

    def offer(self, kind: str, step: int):
        """An offer of the step fitting the unit's kind; any offer of the step, or none."""
        offers = self.sim.org.offers_by_step.get(step, [])
        fitting = [o for o in offers if o.name in texts.EARLY_HELP_OFFERS.get(kind, ())]
        pool = fitting or offers
        return self.rnd.choice(pool) if pool else None

    # --- consultation slots and anonymous consultations ---

    def consultations(self) -> None:
        sim, rnd = self.sim, self.rnd
        org = sim.org
        units = [u for d in range(len(org.daycares)) for u in org.daycares[d] + org.schools[d]]
        kids = Counter(c.unit.pk for c in sim.people.children if c.unit is not None)
        order = list(units)
        rnd.shuffle(order)
        demand, before = {}, 0.0
        for _label, share, p in rates.UNIT_DEMAND:  # by rank: the first quarter asks often, ...
            first, last = round(before * len(order)), round((before + share) * len(order))
            for unit in order[first:last]:
                demand[unit.pk] = p
            before += share
        self.codes: set[str] = set()
        for unit in units:
            normal = (
                rates.CHILDREN_PER_SCHOOL
                if unit.kind == UnitKind.SCHOOL
                else rates.CHILDREN_PER_DAYCARE
            )
            small = kids[unit.pk] < rates.SMALL_UNIT_SHARE * normal
            self.unit_slots(unit, small, demand.get(unit.pk, rates.UNIT_DEMAND[1][2]))

    def unit_slots(self, unit, small: bool, p: float) -> None:
        sim, rnd = self.sim, self.rnd
        per_week = rates.SLOTS_PER_WEEK[unit.kind]
        every = 1
        if small:
            per_week, every = (per_week - 1, 1) if per_week > 1 else (1, 2)
        weekday = rnd.randrange(5)
        hour = rnd.choice(rates.SLOT_HOURS)
        minutes = rnd.choice(rates.SLOT_MINUTES)
        place = rnd.choice(texts.SLOT_PLACES)
        worker = self.outreach_of[unit.pk]
        open_p = rates.OPEN_TO_PARENTS_P[unit.kind]
        last = sim.today + days(7 * rates.FUTURE_WEEKS)
        day = sim.start - days(sim.start.weekday()) + days(weekday)
        week = 0
        while day <= last:
            if (
                week % every == 0
                and day >= sim.start
                and day.isocalendar()[1] not in rates.HOLIDAY_WEEKS
                and sim.org.cal.is_working_day(day)
            ):
                for k in range(per_week):
                    starts = at(day, hour) + datetime.timedelta(minutes=k * minutes)
                    self.slot(unit, worker, day, starts, minutes, place, open_p, p)
            day += days(7)
            week += 1

    def slot(self, unit, worker, day, starts, minutes: int, place: str, open_p, p) -> None:
        """A slot, booked with probability p (less in the weeks ahead). The slots are built with
        plain ids (cheaper than related instances); the consultations as values (`Deferred`)."""
        sim, rnd = self.sim, self.rnd
        past = day < sim.today
        created = min(at(day - days(28), 9), at(sim.yesterday, 9))
        slot = ConsultationSlot(
            municipality_id=sim.org.municipality.pk,
            unit_id=unit.pk,
            outreach_worker_id=worker.pk,
            starts_at=starts,
            minutes=minutes,
            place=place,
            open_to_parents=rnd.random() < open_p,
            created_at=created,
            is_synthetic=True,
        )
        self.rows.slots.append(slot)
        if past and rnd.random() < rates.SLOT_CANCELLED_P:
            slot.cancelled_at = min(at(day - days(1), 15), at(sim.yesterday, 15))
            return
        if rnd.random() < (p if past else p * rates.FUTURE_BOOKED_FACTOR):
            self.rows.consultations.append(self.consultation(slot, unit, worker, day, past))

    def consultation(self, slot, unit, worker, day, past: bool) -> tuple:
        """The consultation's values in CONSULTATION_COLUMNS order (the slot as the instance,
        whose id `consultation_row` takes when it is written)."""
        sim, rnd = self.sim, self.rnd
        parent = slot.open_to_parents and rnd.random() < rates.PARENT_BOOKS_P
        level = draw(rnd, rates.CONSULTATION_LEVEL_P)
        pool = texts.AREAS_BY_REPORTER[unit.kind]
        areas = list(dict.fromkeys(rnd.choice(pool) for _ in range(rnd.randint(1, 2))))
        booked = day - days(rnd.randint(*rates.BOOKED_DAYS_BEFORE))
        created = min(at(booked, rnd.randint(8, 15), rnd.randint(0, 59)), at(sim.yesterday, 16))
        requester = None if parent else sim.org.professional_of_unit.get(unit.pk)
        age_band = draw(rnd, AGE_BANDS[unit.kind])
        concern = rnd.choice(texts.CONSULTATION_CONCERNS["parent" if parent else unit.kind])
        code = self.booking_code()
        status, outcome, note, held_on, handled_by = "booked", "", "", None, None
        if not past:
            pass  # booked
        elif rnd.random() < rates.CONSULTATION_CANCELLED_P:
            status = "cancelled"
        elif (sim.yesterday - day).days < rates.NOT_YET_RECORDED_DAYS and (
            rnd.random() < rates.NOT_YET_RECORDED_P
        ):
            pass  # held, but the outcome is not recorded yet
        else:
            status, held_on, handled_by = "held", day, worker.pk
            outcome = draw(rnd, rates.CONSULTATION_OUTCOME_P[level])
            note = rnd.choice(texts.CONSULTATION_NOTES[outcome])
        return (
            sim.org.municipality.pk,
            unit.pk,
            slot,
            "parent" if parent else "professional",
            requester.pk if requester is not None else None,
            age_band,
            level,
            json.dumps(areas),
            concern,
            status,
            outcome,
            note,
            held_on,
            handled_by,
            code,
            created,
            True,
        )

    def booking_code(self) -> str:
        """Like the service's codes (12 random bytes, URL-safe), from the run's stream."""
        while True:
            code = base64.urlsafe_b64encode(self.rnd.randbytes(12)).decode()
            if code not in self.codes:
                self.codes.add(code)
                return code
