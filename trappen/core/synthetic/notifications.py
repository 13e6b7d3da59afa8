"""One notification's content and handling, and the pass that finishes them all.

`new_notification` builds a notification as intake would store it: channel, reporter, the
concern with its reasons (Danmarks Statistik's categories), the legal clock, the 24-hour
assessment and the receipt. history.py then screens it and routes it to a team, a caseworker
and the child's case. `finish_notifications` runs once every child's history is played
through: it leaves a few public notifications without an identified child, marks repeats (the
same child or a sibling in the 12 months before), lists the siblings, fills in who handled each
step and when, and describes the timeline (`NotificationEvent`) and the sibling links, which
the writer builds once the notifications have their ids (`event_row`, `sibling_row`).
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from trappen.core import calendar
from trappen.core.synthetic import rates, texts
from trappen.core.synthetic.dates import ONE_DAY, age_on, at, days, midnight
from trappen.core.synthetic.sim import Sim
from trappen.notifications.models import Channel, Decision, EventKind, Notification

SiblingLink = Notification.siblings.through


def new_notification(sim: Sim, i: int, day: datetime.date, kind: str) -> Notification:
    child = sim.people.children[i]
    hour = (
        sim.between(0, 23)
        if kind == "police"
        else (sim.between(8, 15) if kind in rates.PROFESSIONAL_REPORTERS else sim.between(7, 21))
    )
    received = at(day, hour, sim.between(0, 59))
    level = sim.draw(rates.NOTIFICATION_LEVELS)
    concern, reasons = sim.pick(_concerns(kind, age_on(child.birth_date, day)))
    note = Notification(
        municipality=sim.org.municipality,
        channel=_channel(sim, kind),
        child=child,
        received_at=received,
        reporter_kind=kind,
        is_anonymous=kind == "anonymous",
        concern=concern,
        reasons=list(reasons),
        areas=concern_areas(sim, kind, max(level, 2)),
        level=level,
        acute=level == 5 and sim.chance(rates.ACUTE_P_AT_LEVEL_5),
        assessment_due_at=calendar.notification_assessment_due(received),
        is_synthetic=True,
    )
    _reporter(sim, note, i, day)
    sim.rows.notifications.append(note)
    _assess(sim, note)
    if kind in rates.PROFESSIONAL_REPORTERS:
        _receipt(sim, note)
        note.feedback_due_on = calendar.add_months(received, rates.FEEDBACK_MONTHS)
    return note


def _concerns(kind: str, age: int):
    if kind == "police" and age < 12:
        kind = "police_young"
    return texts.CONCERNS.get(kind, texts.CONCERNS["default"])


def _channel(sim: Sim, kind: str) -> str:
    if kind in rates.API_P and sim.chance(rates.API_P[kind]):
        return Channel.API
    if kind in rates.PROFESSIONAL_REPORTERS:
        return Channel.PROFESSIONAL_FORM
    return Channel.PUBLIC_FORM


def concern_areas(sim: Sim, reporter: str, level: int) -> list[str]:
    if level <= 1:
        return []
    pool = texts.AREAS_BY_REPORTER.get(reporter, texts.AREAS_BY_REPORTER["default"])
    first = pool[0] if sim.chance(0.6) else sim.pick(pool)
    second = sim.pick(pool) if sim.chance(0.5) else first
    return list(dict.fromkeys((first, second)))


def _reporter(sim: Sim, note: Notification, i: int, day: datetime.date) -> None:
    """The reporting unit and user (our own units), or the notifier's organisation."""
    kind, district = note.reporter_kind, int(sim.people.district[i])
    unit = None
    if kind in ("school", "daycare"):
        unit = sim.unit_at(i, day)
    elif kind == "health_visitor":
        unit = sim.org.health[district]
    elif kind == "provider":
        unit = sim.pick(list(sim.org.providers.values()))
    if unit is not None:
        note.reporter_unit = unit
        note.reporter_organisation = unit.name
        user = sim.org.professional_of_unit.get(unit.pk)
        if user is not None:
            note.reporter_user = user
            note.reporter_name = f"{user.first_name} {user.last_name}"
            note.reporter_profession = user.title
            note.reporter_email = user.email
    elif kind in texts.ORGANISATIONS:
        note.reporter_organisation = sim.pick(texts.ORGANISATIONS[kind])


def _assess(sim: Sim, note: Notification) -> None:
    """The 24-hour assessment: most on time, some late; the newest, and a few of the last
    weeks', not yet done (the demo inbox has work, some of it past the deadline)."""
    unhandled_p = _unhandled_p(sim, note.received_at)
    if unhandled_p and sim.chance(unhandled_p):
        return
    if note.acute:
        hours = sim.rng.uniform(0.2, 3)
    elif sim.chance(rates.ASSESSED_LATE_P):
        hours = sim.rng.uniform(25, 72)
    else:
        hours = sim.rng.uniform(0.5, 22)
    assessed = calendar.add_hours(note.received_at, float(hours))
    if assessed >= midnight(sim.today):
        return
    note.assessed_at, note.status = assessed, "assessed"
    note.danger = note.acute or sim.chance(rates.DANGER_P[note.level])
    note.acute_measures = note.danger and (note.acute or sim.chance(rates.ACUTE_MEASURES_P))
    note.assessment_note = sim.pick(texts.DANGER_NOTES if note.danger else texts.NO_DANGER_NOTES)


def _unhandled_p(sim: Sim, received: datetime.datetime) -> float:
    for within, p in rates.RECENT_UNHANDLED_P:
        if received >= midnight(sim.today - days(within)):
            return p
    return 0.0


def _receipt(sim: Sim, note: Notification) -> None:
    """The receipt to a professional notifier: due in 6 working days (calendar service)."""
    note.receipt_due_on = calendar.notification_receipt_due(note.received_at, sim.org.cal)
    received_on = calendar.local_date(note.received_at)
    if sim.chance(rates.RECEIPT_LATE_P):
        sent = note.receipt_due_on + days(sim.between(1, 10))
    else:
        sent = sim.day_between(received_on + ONE_DAY, note.receipt_due_on)
    if sent <= sim.yesterday:
        note.receipt_sent_at = at(sent, sim.between(9, 15), sim.between(0, 59))


def is_waiting(sim: Sim, note: Notification) -> bool:
    """A notification of the last weeks still waiting for its assessment."""
    recent = note.received_at >= midnight(sim.today - days(rates.RECENT_DAYS))
    return recent and note.assessed_at is None


# --- after every child's history ---------------------------------------------------------------


def finish_notifications(sim: Sim) -> None:
    notes = sim.rows.notifications
    for note in notes:
        if _unidentified(sim, note):
            note.child_name, note.child = note.child.first_name, None
    _repeats_and_siblings(sim, notes)
    for note in notes:
        _handlers(sim, note)
        _timeline(sim, note)


def _unidentified(sim: Sim, note: Notification) -> bool:
    """A public notification ending without action because the child was never identified."""
    return (
        note.reporter_kind in rates.UNIDENTIFIED_REPORTERS
        and note.decision == Decision.NO_ACTION
        and sim.chance(rates.UNIDENTIFIED_P)
    )


def _repeats_and_siblings(sim: Sim, notes: list[Notification]) -> None:
    """A repeat: the same child or a sibling (the household) was notified about in the 12 months
    before. The siblings are the household's other children born by the day of receipt."""
    households = defaultdict(list)
    for child in sim.people.children:
        households[id(child.household)].append(child)
    by_household = defaultdict(list)
    for note in notes:
        if note.child is not None:
            by_household[id(note.child.household)].append(note)
    for key, group in by_household.items():
        group.sort(key=lambda n: n.received_at)
        previous = None
        for note in group:
            note.is_repeat = previous is not None and previous >= _months_before(note.received_at)
            previous = note.received_at
            day = calendar.local_date(note.received_at)
            sim.rows.sibling_links += [
                (note, other)
                for other in households[key]
                if other is not note.child and other.birth_date <= day
            ]


def _months_before(moment: datetime.datetime) -> datetime.datetime:
    local = calendar.to_local(moment)
    day = calendar.add_months(local, -rates.REPEAT_MONTHS)
    return datetime.datetime.combine(day, local.time(), tzinfo=calendar.COPENHAGEN)


def _handlers(sim: Sim, note: Notification) -> None:
    """When it was assigned, who assessed and decided it, and the feedback sent with the
    decision to a professional notifier (as notifications.decisions does)."""
    if note.assigned_to is not None:
        until = note.assessed_at or midnight(sim.today)
        share = float(sim.rng.uniform(0.05, 0.5))
        note.assigned_at = note.received_at + (until - note.received_at) * share
    if note.assessed_at is not None:
        note.assessed_by = note.assigned_to
    if note.decided_at is not None:
        note.decided_by = note.assigned_to
        note.decision_reason = texts.DECISION_REASONS.get(note.decision, "")
        if note.feedback_due_on is not None and not note.is_anonymous:
            note.feedback_sent_at = note.decided_at + datetime.timedelta(minutes=1)


def _timeline(sim: Sim, note: Notification) -> None:
    events = sim.rows.events
    events.append(_event(note, note.received_at, EventKind.RECEIVED, None, _channel_note(note)))
    if note.assessed_at is not None:
        summary = _assessment_summary(note)
        events.append(_event(note, note.assessed_at, EventKind.ASSESSED, note.assessed_by, summary))
    if note.receipt_sent_at is not None:
        to = f"Kvittering til {_notifier(note)}"
        events.append(_event(note, note.receipt_sent_at, EventKind.RECEIPT_SENT, None, to))
    if note.decided_at is not None:
        label = f"{Decision(note.decision).label}."
        events.append(_event(note, note.decided_at, EventKind.DECIDED, note.decided_by, label))
    if note.feedback_sent_at is not None:
        to = f"Tilbagemelding til {_notifier(note)}"
        actor = note.decided_by
        events.append(_event(note, note.feedback_sent_at, EventKind.FEEDBACK_SENT, actor, to))


def _event(note, moment, kind, actor, text: str) -> tuple:
    return (note, moment, kind, actor, text)


EVENT_COLUMNS = ("notification_id", "occurred_at", "kind", "actor_id", "note")
SIBLING_COLUMNS = ("notification_id", "child_id")


def event_row(spec: tuple) -> tuple:
    """The timeline row's values (EVENT_COLUMNS), built when written: the notification has its
    id by then."""
    note, moment, kind, actor, text = spec
    return (note.pk, moment, kind, actor.pk if actor is not None else None, text)


def sibling_row(spec: tuple) -> tuple:
    note, child = spec
    return (note.pk, child.pk)


CHANNEL_NOTES = {
    Channel.PROFESSIONAL_FORM: "Modtaget via fagpersonens formular.",
    Channel.PUBLIC_FORM: "Modtaget via den offentlige formular.",
    Channel.API: "Modtaget fra underretterens eget system (API).",
}


def _channel_note(note: Notification) -> str:
    return CHANNEL_NOTES[note.channel]


def _assessment_summary(note: Notification) -> str:
    """The same wording as notifications.decisions writes."""
    danger = "i fare" if note.danger else "ikke i fare"
    acute = "akutte foranstaltninger iværksat" if note.acute_measures else "ingen akutte tiltag"
    late = " Vurderet efter 24-timersfristen." if note.assessed_at > note.assessment_due_at else ""
    return f"Barnet vurderes {danger}; {acute}.{late}"


def _notifier(note: Notification) -> str:
    return note.reporter_organisation or note.reporter_name or "underretteren"
