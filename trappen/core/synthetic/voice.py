"""The child's voice and the family's network in the synthetic history (issue 5).

Run once after the history and the network persons are drawn (generator.generate), over every
case in `sim.rows`, with its own stream (`streams.VOICE`), so the history's draws are unchanged:

- **Decisions** (`CaseDecision`, Barnets lov § 5): every intervention granted (a placement from
  step 3), every held follow-up that changes something (adjust → a follow-up decision; step up
  or down → a change of step; end → an end), and every intervention that ended without such a
  follow-up (an end on its last day). Each links the case's latest conversation with the child
  held within the municipality's window before it (`child_conversation_window_days`); without
  one the caseworker holds a new one 0–14 days before, except for a few exceptions with a
  reason and a note (§ 5, stk. 4): children under 3 (maturity), some immediate interventions
  (urgent), and a few percent otherwise (declined, nature). The team leader has reviewed the
  exceptions, but some of the last month's.
- **Conversations** get the Lundy fields from small pools by age band (space: method, who was
  present, how the child was made safe; voice: information and its form, hopes and dreams;
  audience: who listened, whether the one who decides did; influence: for a conversation that
  informed a decision, what was done with the views and when it was explained back) and the § 6
  fields (told of the right to a bisidder; sometimes one came).
- **The network map**: the child's network persons are added within weeks of the child's first
  case by its caseworker (consent dated then when given); a few are removed later.
- **Network meetings** (some stormøder) with participants from the map on the day, agreements
  and a follow-up; **family group conferences** through their phases (dates per phase, invited
  persons, the meeting's information and private time, the family's plan with who does what by
  when, the follow-up meeting), some cancelled, and cancelled when the case closes first;
  **network roles** on some step 1–3 interventions.

Nothing lies after yesterday except planned days (a conference's planned meeting, follow-ups
due); nothing lies outside its case's life.
"""

from __future__ import annotations

import bisect
import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field

from faker import Faker

from trappen.core import calendar
from trappen.core.synthetic import rates, texts
from trappen.core.synthetic.dates import ONE_DAY, age_on, at, days
from trappen.core.synthetic.people import People
from trappen.core.synthetic.sim import Sim
from trappen.people.models import NetworkConsent
from trappen.voice.models import (
    CaseDecision,
    ChildConversation,
    ConferencePhase,
    DecisionKind,
    FamilyGroupConference,
    NetworkMeeting,
    NetworkMeetingKind,
    NoConversationReason,
)

FOLLOW_UP_KINDS = {
    "adjust": DecisionKind.FOLLOW_UP,
    "step_up": DecisionKind.STEP_CHANGE,
    "step_down": DecisionKind.STEP_CHANGE,
    "end": DecisionKind.END,
}
METHODS = {
    "small": (("in_person", 0.6), ("activity", 0.4)),
    "child": (("in_person", 0.6), ("activity", 0.3), ("video", 0.05), ("other", 0.05)),
    "young": (("in_person", 0.5), ("activity", 0.3), ("phone", 0.1), ("video", 0.1)),
}
COORDINATORS = 4


@dataclass
class CaseRecords:
    """One case's rows, gathered from `sim.rows`."""

    talks: list = field(default_factory=list)
    items: list = field(default_factory=list)
    follow_ups: list = field(default_factory=list)
    starts: list = field(default_factory=list)  # caseworker assignments: start days
    workers: list = field(default_factory=list)

    def caseworker_on(self, day: datetime.date):
        i = bisect.bisect_right(self.starts, day) - 1
        return self.workers[max(i, 0)]


def build_voice(sim: Sim, people: People, r: random.Random, fake: Faker) -> None:
    records = _gather(sim)
    leaders = {id(t): u for t, u in zip(sim.org.teams, sim.org.team_leaders, strict=True)}
    window = days(sim.org.municipality.child_conversation_window_days)
    linked: dict[int, datetime.date] = {}  # conversation -> the first decision it informed
    for case in sim.rows.cases:
        rec = records[id(case)]
        _decisions(sim, r, case, rec, window, leaders[id(case.team)], linked)
    for talk in sim.rows.conversations:
        _lundy(sim, r, talk, linked.get(id(talk)))
    coordinators = [
        (f"{fake.first_name()} {fake.last_name()}", r.choice(texts.COORDINATOR_ORGS))
        for _ in range(COORDINATORS)
    ]
    _network(sim, people, r, records, coordinators)


def _gather(sim: Sim) -> dict[int, CaseRecords]:
    rows = sim.rows
    records: dict[int, CaseRecords] = defaultdict(CaseRecords)
    for talk in rows.conversations:
        records[id(talk.case)].talks.append(talk)
    for item in rows.interventions:
        records[id(item.case)].items.append(item)
    for row in rows.follow_ups:
        records[id(row.intervention.case)].follow_ups.append(row)
    for a in rows.assignments:  # in start order per case
        rec = records[id(a.case)]
        rec.starts.append(a.started_on)
        rec.workers.append(a.caseworker)
    for rec in records.values():
        rec.talks.sort(key=lambda t: t.held_on)
    return records


def _band(age: int) -> str:
    return "small" if age < 7 else "child" if age < 13 else "young"


def _draw(r: random.Random, pairs) -> str:
    roll, acc = r.random() * sum(p for _, p in pairs), 0.0
    for key, p in pairs:
        acc += p
        if roll < acc:
            return key
    return pairs[-1][0]


# --- decisions and the conversations that informed them ---------------------------------------


def _decisions(sim, r, case, rec: CaseRecords, window, leader, linked) -> None:
    events = []  # (day, kind, intervention, follow-up, decided by)
    ended = set()
    for row in rec.follow_ups:
        kind = FOLLOW_UP_KINDS.get(row.decision) if row.held_on else None
        if kind is None:
            continue
        events.append((row.held_on, kind, row.intervention, row, row.held_by))
        if kind != DecisionKind.FOLLOW_UP:
            ended.add(id(row.intervention))
    for item in rec.items:
        if item.granted_on is not None and item.granted_on <= sim.yesterday:
            kind = DecisionKind.PLACEMENT if item.step >= 3 else DecisionKind.INTERVENTION
            events.append((item.granted_on, kind, item, None, item.decided_by))
        if item.end_on is not None and id(item) not in ended:
            events.append((item.end_on, DecisionKind.END, item, None, None))
    events.sort(key=lambda e: e[0])
    held = [t.held_on for t in rec.talks]
    birth = case.child.birth_date
    for day, kind, item, row, by in events:
        by = by or rec.caseworker_on(day)
        decision = CaseDecision(
            case=case,
            kind=kind,
            summary=texts.DECISION_SUMMARIES[kind].format(title=item.title)[:300],
            decided_on=day,
            decided_by=by,
            intervention=item,
            follow_up=row,
            is_synthetic=True,
        )
        i = bisect.bisect_right(held, day) - 1
        if i >= 0 and held[i] >= day - window:
            decision.conversation = rec.talks[i]
        else:
            reason = _exception(r, birth, day, kind, item, row)
            if reason:
                _record_exception(sim, r, decision, reason, leader)
            else:
                talk = _new_talk(sim, r, case, rec, day)
                k = bisect.bisect_right(held, talk.held_on)
                held.insert(k, talk.held_on)
                rec.talks.insert(k, talk)
                decision.conversation = talk
        if decision.conversation is not None:
            linked.setdefault(id(decision.conversation), day)
        sim.rows.decisions.append(decision)


def _exception(r, birth, day, kind, item, row) -> str:
    if age_on(birth, day) < rates.NO_CONVERSATION_FROM_AGE:
        return NoConversationReason.MATURITY
    immediate = row is None and kind != DecisionKind.END and item.is_immediate
    if immediate:
        return NoConversationReason.URGENT if r.random() < rates.EXCEPTION_IMMEDIATE_P else ""
    if r.random() < rates.EXCEPTION_P:
        return _draw(r, tuple(rates.EXCEPTION_REASONS.items()))
    return ""


def _record_exception(sim, r, decision: CaseDecision, reason: str, leader) -> None:
    decision.no_conversation_reason = reason
    decision.no_conversation_note = r.choice(texts.NO_CONVERSATION_NOTES[reason])
    seen = decision.decided_on + days(r.randint(*rates.EXCEPTION_REVIEW_DAYS))
    recent = decision.decided_on > sim.yesterday - days(rates.RECENT_UNREVIEWED_DAYS)
    if seen <= sim.yesterday and not (recent and r.random() < rates.RECENT_UNREVIEWED_P):
        decision.reviewed_by = leader
        decision.reviewed_at = at(seen, r.randint(8, 15), r.randint(0, 59))


def _new_talk(sim, r, case, rec: CaseRecords, day: datetime.date) -> ChildConversation:
    """A conversation some days before the decision (never before the case opened, nor before
    the child turned 3)."""
    held_on = max(case.opened_on, day - days(r.randint(*rates.NEW_CONVERSATION_DAYS_BEFORE)))
    if age_on(case.child.birth_date, held_on) < rates.NO_CONVERSATION_FROM_AGE:
        held_on = day
    age = age_on(case.child.birth_date, held_on)
    views = texts.CHILD_VIEWS_SMALL if age < 7 else texts.CHILD_VIEWS
    talk = ChildConversation(
        case=case,
        held_on=held_on,
        held_by=rec.caseworker_on(held_on),
        place=r.choice(texts.CONVERSATION_PLACES),
        childs_views=r.choice(views),
        is_synthetic=True,
    )
    sim.rows.conversations.append(talk)
    return talk


def _lundy(sim, r, talk: ChildConversation, decided: datetime.date | None) -> None:
    """The four parts of the Lundy model and § 6, for a conversation (the first decision it
    informed, if any, gives its influence)."""
    band = _band(age_on(talk.case.child.birth_date, talk.held_on))
    talk.method = _draw(r, METHODS[band])
    talk.present = r.choice(texts.CONVERSATION_PRESENT)
    talk.made_safe = r.choice(texts.CONVERSATION_SAFETY[band])
    talk.information_given = r.choice(texts.CONVERSATION_INFORMATION)
    talk.information_form = _draw(r, texts.INFORMATION_FORMS[band])
    talk.hopes_and_dreams = r.choice(texts.HOPES_AND_DREAMS[band])
    talk.listeners = r.choice(texts.CONVERSATION_LISTENERS)
    talk.decision_maker_listened = r.random() < rates.DECISION_MAKER_LISTENED_P
    talk.told_of_support_person = r.random() < rates.TOLD_OF_SUPPORT_PERSON_P
    if talk.told_of_support_person and r.random() < rates.SUPPORT_PERSON_P:
        talk.support_person = r.choice(texts.SUPPORT_PERSONS)
    if decided is not None or r.random() < rates.VIEWS_USED_UNLINKED_P:
        talk.views_used = r.choice(texts.VIEWS_USED)
        talk.explained_back = r.choice(texts.EXPLAINED_BACK)
        back = (decided or talk.held_on) + days(r.randint(*rates.EXPLAINED_BACK_DAYS))
        talk.explained_back_on = back if back <= sim.yesterday else None


# --- the network map, meetings, conferences and roles -----------------------------------------


def _network(sim, people: People, r, records, coordinators) -> None:
    persons_of = defaultdict(list)
    for person in people.network:
        persons_of[id(person.child)].append(person)
    mapped = set()
    for case in sim.rows.cases:
        persons = persons_of.get(id(case.child))
        if not persons:
            continue
        rec = records[id(case)]
        last = min(case.closed_on or sim.yesterday, sim.yesterday)
        if id(case.child) not in mapped:  # the child's first case puts them on the map
            mapped.add(id(case.child))
            _add_to_map(sim, r, case, rec, persons, last)
        first = max(case.opened_on, min(p.added_on for p in persons))
        if first > last:
            continue
        if r.random() < rates.NETWORK_MEETING_P:
            for _ in range(1 + (r.random() < rates.SECOND_MEETING_P)):
                _meeting(sim, r, case, rec, persons, first, last)
        if r.random() < rates.CONFERENCE_P:
            _conference(sim, r, case, rec, persons, first, last, coordinators)
        _roles(sim, r, rec, persons)


def _on_map(persons, day: datetime.date) -> list:
    return [
        p for p in persons if p.added_on <= day and (p.removed_on is None or p.removed_on > day)
    ]


def _add_to_map(sim, r, case, rec: CaseRecords, persons, last) -> None:
    for person in persons:
        added = min(case.opened_on + days(r.randint(*rates.NETWORK_ADDED_DAYS)), last)
        person.added_on, person.added_by = added, rec.caseworker_on(added)
        if person.consent == NetworkConsent.GIVEN:
            person.consent_on = added
        if r.random() < rates.NETWORK_REMOVED_P:
            removed = added + days(r.randint(*rates.NETWORK_REMOVED_AFTER_DAYS))
            person.removed_on = removed if removed <= sim.yesterday else None


def _between(r, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + days(r.randint(0, (last - first).days))


def _meeting(sim, r, case, rec: CaseRecords, persons, first, last) -> None:
    held_on = _between(r, first, last)
    present = _on_map(persons, held_on)
    chosen = r.sample(present, min(len(present), r.randint(*rates.MEETING_PARTICIPANTS)))
    large = r.random() < rates.LARGE_MEETING_P
    age = age_on(case.child.birth_date, held_on)
    meeting = NetworkMeeting(
        case=case,
        kind=NetworkMeetingKind.LARGE if large else NetworkMeetingKind.NETWORK,
        held_on=held_on,
        professionals=r.choice(texts.MEETING_PROFESSIONALS),
        child_took_part=age >= rates.CHILD_TAKES_PART_FROM_AGE
        and r.random() < rates.CHILD_TAKES_PART_P,
        agreements=r.choice(texts.MEETING_AGREEMENTS),
        follow_up_on=held_on + days(r.randint(*rates.MEETING_FOLLOW_UP_DAYS)),
        recorded_by=rec.caseworker_on(held_on),
        is_synthetic=True,
    )
    if meeting.follow_up_on <= last and r.random() < rates.MEETING_FOLLOW_UP_HELD_P:
        held = meeting.follow_up_on + days(r.randint(-14, 14))
        meeting.follow_up_held_on = min(max(held, held_on + ONE_DAY), last)
        meeting.follow_up_note = r.choice(texts.MEETING_FOLLOW_UP_NOTES)
    sim.rows.meetings.append(meeting)
    sim.rows.participants.extend((meeting, p) for p in chosen)


def _conference(sim, r, case, rec: CaseRecords, persons, first, last, coordinators) -> None:
    """A conference through its phases up to yesterday (or the case's closing day), cancelled on
    the way by some, and when the case closes before it is through."""
    Phase = ConferencePhase
    if case.closed_on is not None:
        last_referral = last - days(rates.CONFERENCE_ROOM_DAYS)
        if last_referral < first:
            return
        referred = _between(r, first, last_referral)
    else:
        referred = _between(r, first, last)
    name, org = r.choice(coordinators)
    conference = FamilyGroupConference(
        case=case,
        phase=Phase.REFERRED,
        question=r.choice(texts.CONFERENCE_QUESTIONS),
        referred_on=referred,
        referred_by=rec.caseworker_on(referred),
        coordinator_name=f"{name}, {org}",
        coordinator_contact=f"{name.split()[0].lower()}@koordinator.example.org",
        is_synthetic=True,
    )
    sim.rows.conferences.append(conference)
    prepared = referred + days(r.randint(*rates.CONFERENCE_PREPARATION_DAYS))
    planned = prepared + days(r.randint(*rates.CONFERENCE_MEETING_DAYS))
    held = planned + days(0 if r.random() < 0.8 else r.randint(1, 14))
    due = calendar.add_months(held, rates.CONFERENCE_FOLLOW_UP_MONTHS)
    followed = max(due + days(r.randint(-10, 20)), held + ONE_DAY)
    milestones = ((Phase.PREPARATION, prepared), (Phase.MEETING, held), (Phase.FOLLOW_UP, followed))
    cancel_before = r.randrange(len(milestones)) if r.random() < rates.CONFERENCE_CANCEL_P else -1
    closed = case.closed_on is not None  # then `last` is its closing day
    since = referred
    for n, (phase, day) in enumerate(milestones):
        if n == cancel_before:
            cancelled = _between(r, since, day - ONE_DAY) if day > since else since
            if cancelled <= last:
                _cancel(conference, cancelled, r.choice(texts.CONFERENCE_CANCEL_REASONS))
            elif closed:
                _cancel(conference, last, texts.CONFERENCE_CLOSED_REASON)
            break
        if day > last:
            if closed:
                _cancel(conference, last, texts.CONFERENCE_CLOSED_REASON)
            break
        conference.phase = phase
        since = day
        if phase == Phase.PREPARATION:
            conference.preparation_started_on = day
            conference.meeting_planned_on = planned
            present = _on_map(persons, day)
            k = min(len(present), r.randint(*rates.CONFERENCE_INVITED))
            sim.rows.invited.extend((conference, p) for p in r.sample(present, k))
        elif phase == Phase.MEETING:
            conference.meeting_held_on = day
            conference.information_given = r.choice(texts.CONFERENCE_INFORMATION)
            conference.private_time_held = True
            conference.plan_accepted = True
            conference.follow_up_due_on = due
        else:
            conference.follow_up_held_on = day
            conference.follow_up_note = r.choice(texts.CONFERENCE_FOLLOW_UP_NOTES)
    if conference.meeting_held_on is not None:
        _family_plan(sim, r, conference, _on_map(persons, conference.meeting_held_on), last)


def _cancel(conference, day: datetime.date, reason: str) -> None:
    conference.phase = ConferencePhase.CANCELLED
    conference.cancelled_on, conference.cancelled_reason = day, reason


def _family_plan(sim, r, conference, present, last) -> None:
    """2–4 lines from the meeting; a line is done between the meeting and the follow-up (or the
    cancellation, or yesterday)."""
    held = conference.meeting_held_on
    until = conference.follow_up_held_on or conference.cancelled_on or last
    lines = r.sample(texts.FAMILY_PLAN_LINES, r.randint(*rates.FAMILY_PLAN_LINES))
    if not present:  # nobody from the map at the meeting: the lines the family itself carries
        lines = [line for line in lines if line[1] is not None] or [texts.FAMILY_PLAN_LINES[-1]]
    for what, who in lines:
        person = None
        if who is None:
            person = r.choice(present)
            who = person.name
        by_when = held + days(r.randint(*rates.FAMILY_PLAN_BY_DAYS))
        done_on = None
        if r.random() < rates.FAMILY_PLAN_DONE_P:
            done = by_when + days(r.randint(-7, 7))
            if done <= until:
                done_on = max(done, held)
        sim.rows.plan_items.append((conference, what, who, person, by_when, done_on))


def _roles(sim, r, rec: CaseRecords, persons) -> None:
    for item in rec.items:
        if item.step not in rates.NETWORK_ROLE_STEPS or r.random() >= rates.NETWORK_ROLE_P:
            continue
        willing = [p for p in _on_map(persons, item.start_on) if p.consent == NetworkConsent.GIVEN]
        if not willing:
            continue
        for person in r.sample(willing, min(len(willing), r.randint(1, 2))):
            sim.rows.network_roles.append(
                (item, person, r.choice(texts.NETWORK_PARTS), item.decided_by)
            )


# --- rows built by the writer once their parents have ids --------------------------------------

ROLE_COLUMNS = ("intervention_id", "person_id", "part", "added_by_id")
PARTICIPANT_COLUMNS = ("networkmeeting_id", "networkperson_id")
INVITED_COLUMNS = ("familygroupconference_id", "networkperson_id")
PLAN_ITEM_COLUMNS = ("conference_id", "what", "who", "person_id", "by_when", "done_on")


def role_row(spec: tuple) -> tuple:
    item, person, part, by = spec
    return (item.pk, person.pk, part, by.pk if by is not None else None)


def pair_row(spec: tuple) -> tuple:
    parent, person = spec
    return (parent.pk, person.pk)


def plan_item_row(spec: tuple) -> tuple:
    conference, what, who, person, by_when, done_on = spec
    return (conference.pk, what, who, person.pk if person else None, by_when, done_on)
