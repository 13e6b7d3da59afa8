"""The child's voice and the network in the generated municipality (issue 5; synthetic/voice.py):
decisions and the conversations that informed them, the Lundy fields, the network map's dates,
network meetings, family group conferences through their phases and network roles.

One 2,000-child, 4-year municipality is generated for the module; determinism and the purge get
their own small runs.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import Counter, defaultdict

import pytest

from trappen.cases.models import Case, FollowUp, Intervention
from trappen.core import calendar
from trappen.core.models import Municipality, Role, User
from trappen.core.synthetic.generator import SeedOptions, generate
from trappen.core.synthetic.purge import purge
from trappen.people.models import NetworkConsent, NetworkPerson
from trappen.voice import figures
from trappen.voice.models import (
    CaseDecision,
    ChildConversation,
    ConferencePhase,
    DecisionKind,
    FamilyGroupConference,
    FamilyPlanItem,
    InterventionNetworkRole,
    NetworkMeeting,
    NoConversationReason,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 2)
YESTERDAY = TODAY - datetime.timedelta(days=1)
ONE_DAY = datetime.timedelta(days=1)
WORLD = SeedOptions("skanderborg", children=2000, years=4, seed=8, today=TODAY, demo_users=False)
Participant = NetworkMeeting.participants.through
Invited = FamilyGroupConference.invited.through


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        municipality = generate(WORLD).municipality
        try:
            yield municipality
        finally:
            purge(municipality)
            User.objects.filter(municipality=municipality).delete()
            municipality.delete()


def age_on(birth: datetime.date, day: datetime.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def in_case(case: Case, day: datetime.date) -> bool:
    return case.opened_on <= day <= min(case.closed_on or YESTERDAY, YESTERDAY)


# --- decisions and the child's views (§ 5) ---------------------------------------------------


def test_every_decision_has_a_recent_conversation_of_its_case_or_a_reason_and_note(world):
    window = datetime.timedelta(days=world.child_conversation_window_days)
    decisions = CaseDecision.objects.filter(case__municipality=world).select_related(
        "case", "conversation"
    )
    assert decisions.count() > 300
    for d in decisions:
        assert in_case(d.case, d.decided_on)
        if d.conversation is None:
            assert d.no_conversation_reason in NoConversationReason.values
            assert d.no_conversation_note.strip()
            continue
        assert not d.no_conversation_reason and not d.no_conversation_note
        assert d.conversation.case_id == d.case_id
        assert d.decided_on - window <= d.conversation.held_on <= d.decided_on


def test_decisions_record_the_grants_ends_and_changes_at_follow_ups(world):
    by_item = defaultdict(list)
    by_follow_up = {}
    for d in CaseDecision.objects.filter(case__municipality=world):
        assert d.intervention_id is not None and d.decided_by_id is not None
        by_item[d.intervention_id].append(d)
        if d.follow_up_id is not None:
            by_follow_up[d.follow_up_id] = d
    items = Intervention.objects.filter(case__municipality=world)
    for item in items:
        kinds = Counter(d.kind for d in by_item[item.pk])
        grant = DecisionKind.PLACEMENT if item.step >= 3 else DecisionKind.INTERVENTION
        assert kinds[grant] == 1, item.pk
        granted = next(d for d in by_item[item.pk] if d.kind == grant)
        assert granted.decided_on == item.granted_on and granted.decided_by_id == item.decided_by_id
        closing = kinds[DecisionKind.END] + kinds[DecisionKind.STEP_CHANGE]
        assert closing == (1 if item.end_on is not None else 0), item.pk
    expected = {"adjust": "follow_up", "step_up": "step_change", "step_down": "step_change"}
    expected["end"] = "end"
    held = FollowUp.objects.filter(intervention__case__municipality=world, held_on__isnull=False)
    for row in held:
        decision = by_follow_up.get(row.pk)
        if row.decision in expected:
            assert decision is not None and decision.kind == expected[row.decision]
            assert decision.decided_on == row.held_on
            assert decision.intervention_id == row.intervention_id
        else:
            assert decision is None


def test_exceptions_are_few_and_match_the_child_and_the_decision(world):
    decisions = CaseDecision.objects.filter(case__municipality=world).select_related(
        "case__child", "intervention", "case__team"
    )
    leaders = {
        u.unit_ids(Role.TEAM_LEADER)[0]: u.pk
        for u in User.objects.filter(municipality=world, role_assignments__role=Role.TEAM_LEADER)
    }
    from_three = exceptions = 0
    for d in decisions:
        age = age_on(d.case.child.birth_date, d.decided_on)
        reason = d.no_conversation_reason
        if age < 3:
            assert reason == NoConversationReason.MATURITY
            continue
        from_three += 1
        exceptions += bool(reason)
        assert reason != NoConversationReason.MATURITY
        if reason == NoConversationReason.URGENT:
            assert d.intervention.is_immediate and d.kind in ("intervention", "placement")
        if reason:
            if d.reviewed_at is None:
                assert d.decided_on > YESTERDAY - datetime.timedelta(days=30)
            else:
                assert d.reviewed_by_id == leaders[d.case.team_id]
                assert calendar.local_date(d.reviewed_at) > d.decided_on
        else:
            assert d.reviewed_at is None
    assert 0.01 <= exceptions / from_three <= 0.08


def test_conversations_hold_the_four_parts_of_the_lundy_model(world):
    talks = ChildConversation.objects.filter(case__municipality=world).select_related("case__child")
    informed = set(
        CaseDecision.objects.filter(case__municipality=world, conversation__isnull=False)
        .values_list("conversation", flat=True)
        .distinct()
    )
    assert len(informed) > 100
    support = 0
    for t in talks:
        assert in_case(t.case, t.held_on) and t.held_by_id is not None and t.is_synthetic
        assert age_on(t.case.child.birth_date, t.held_on) >= 3
        assert t.place and t.method and t.present and t.made_safe  # space
        assert t.information_given and t.information_form and t.childs_views  # voice
        assert t.hopes_and_dreams
        assert t.listeners and t.decision_maker_listened is not None  # audience
        if t.pk in informed:  # influence
            assert t.views_used and t.explained_back
        if t.explained_back_on is not None:
            assert t.views_used and t.held_on <= t.explained_back_on <= YESTERDAY
        assert not t.support_person or t.told_of_support_person
        support += bool(t.support_person)
    assert support > 0


# --- the network map, meetings, conferences and roles ----------------------------------------


def test_network_persons_of_children_with_a_case_are_dated_on_the_map(world):
    first_case = {}
    for child, opened in Case.objects.filter(municipality=world).values_list("child", "opened_on"):
        first_case[child] = min(opened, first_case.get(child, opened))
    persons = NetworkPerson.objects.filter(child__municipality=world)
    dated = 0
    for p in persons:
        if p.child_id not in first_case:
            assert p.added_on is None
            continue
        dated += 1
        assert first_case[p.child_id] <= p.added_on <= YESTERDAY and p.added_by_id is not None
        assert (p.consent_on == p.added_on) == (p.consent == NetworkConsent.GIVEN)
        assert p.removed_on is None or p.added_on < p.removed_on <= YESTERDAY
    assert dated > 100 and persons.filter(removed_on__isnull=False).exists()


def on_map(person: NetworkPerson, day: datetime.date) -> bool:
    return person.added_on <= day and (person.removed_on is None or person.removed_on > day)


def test_meeting_participants_are_on_the_case_childs_map_that_day(world):
    meetings = NetworkMeeting.objects.filter(case__municipality=world).select_related("case")
    assert set(meetings.values_list("kind", flat=True)) == {"network", "large"}
    with_participants = 0
    for m in meetings.prefetch_related("participants"):
        assert in_case(m.case, m.held_on) and m.agreements and m.recorded_by_id is not None
        assert m.follow_up_on > m.held_on
        if m.follow_up_held_on is not None:
            assert m.held_on < m.follow_up_held_on <= YESTERDAY and m.follow_up_note
            assert in_case(m.case, m.follow_up_held_on)
        people = list(m.participants.all())
        with_participants += bool(people)
        for p in people:
            assert p.child_id == m.case.child_id and on_map(p, m.held_on)
    assert with_participants > 10


def test_conference_phases_have_their_dates_and_the_family_plan(world):
    conferences = (
        FamilyGroupConference.objects.filter(case__municipality=world)
        .select_related("case")
        .prefetch_related("invited", "plan_items__person")
    )
    phases = Counter()
    for c in conferences:
        phases[c.phase] += 1
        reached = ConferencePhase.REFERRED
        assert in_case(c.case, c.referred_on) and c.coordinator_name and c.question
        if c.preparation_started_on is not None:
            reached = ConferencePhase.PREPARATION
            assert c.referred_on <= c.preparation_started_on <= c.meeting_planned_on
            for p in c.invited.all():
                assert p.child_id == c.case.child_id and on_map(p, c.preparation_started_on)
        else:
            assert not c.invited.exists() and c.meeting_held_on is None
        if c.meeting_held_on is not None:
            reached = ConferencePhase.MEETING
            assert c.preparation_started_on <= c.meeting_held_on
            assert c.private_time_held and c.plan_accepted and c.information_given
            assert c.follow_up_due_on == calendar.add_months(c.meeting_held_on, 3)
            items = list(c.plan_items.all())
            assert 1 <= len(items) <= 4
            until = c.follow_up_held_on or c.cancelled_on or YESTERDAY
            for item in items:
                assert item.what and item.who and item.by_when >= c.meeting_held_on
                assert item.done_on is None or c.meeting_held_on <= item.done_on <= until
                if item.person is not None:
                    assert item.person.child_id == c.case.child_id
                    assert item.who == item.person.name
        else:
            assert not c.plan_items.exists() and c.follow_up_due_on is None
        if c.follow_up_held_on is not None:
            reached = ConferencePhase.FOLLOW_UP
            assert c.meeting_held_on < c.follow_up_held_on <= YESTERDAY and c.follow_up_note
        last = max(
            d for d in (c.referred_on, c.preparation_started_on, c.meeting_held_on) if d is not None
        )
        if c.phase == ConferencePhase.CANCELLED:
            assert c.cancelled_reason and last <= c.cancelled_on <= YESTERDAY
            assert in_case(c.case, c.cancelled_on)
            assert reached != ConferencePhase.FOLLOW_UP
        else:
            assert c.cancelled_on is None and not c.cancelled_reason
            assert c.phase == reached
            if c.case.closed_on is not None:  # a closed case leaves no conference open
                assert c.phase == ConferencePhase.FOLLOW_UP
    assert set(phases) == set(ConferencePhase.values), phases


def test_network_roles_name_persons_of_the_interventions_child_who_consented(world):
    roles = InterventionNetworkRole.objects.filter(
        intervention__case__municipality=world
    ).select_related("intervention__case", "person")
    assert roles.count() > 10
    for role in roles:
        item = role.intervention
        assert role.person.child_id == item.case.child_id and role.part
        assert role.person.consent == NetworkConsent.GIVEN and 1 <= item.step <= 3
        assert on_map(role.person, item.start_on) and role.added_by_id == item.decided_by_id


def test_every_voice_row_is_synthetic_and_the_figures_read_them(world):
    for queryset in (
        CaseDecision.objects.filter(case__municipality=world),
        ChildConversation.objects.filter(case__municipality=world),
        NetworkMeeting.objects.filter(case__municipality=world),
        FamilyGroupConference.objects.filter(case__municipality=world),
    ):
        assert queryset.exists() and not queryset.filter(is_synthetic=False).exists()
    start, end = TODAY - datetime.timedelta(days=365), YESTERDAY
    heard = figures.share_of_decisions_with_conversation(world, start, end)
    assert heard.denominator > 100 and 0.7 <= heard.value < 1
    mapped = figures.share_of_cases_with_network_map(world, start, end)
    assert 0.3 <= mapped.value <= 0.8
    held = figures.network_meetings_and_conferences_held(world, start, end)
    assert held.network_meetings > 0 and held.large_meetings > 0 and held.conferences_held > 0
    own = figures.share_of_plans_with_childs_own_goals(world, start, end)
    assert own.denominator > 0 and 0 < own.numerator < own.denominator


# --- determinism and the purge -----------------------------------------------------------------


def voice_digest(m) -> tuple[dict[str, int], str]:
    rows = {
        "decisions": CaseDecision.objects.filter(case__municipality=m).values_list(
            "kind",
            "decided_on",
            "conversation__held_on",
            "no_conversation_reason",
            "reviewed_at",
            "intervention__title",
        ),
        "conversations": ChildConversation.objects.filter(case__municipality=m).values_list(
            "held_on", "method", "made_safe", "hopes_and_dreams", "explained_back_on"
        ),
        "persons": NetworkPerson.objects.filter(child__municipality=m).values_list(
            "name", "added_on", "removed_on", "consent_on"
        ),
        "meetings": NetworkMeeting.objects.filter(case__municipality=m).values_list(
            "kind", "held_on", "agreements", "follow_up_held_on"
        ),
        "participants": Participant.objects.filter(
            networkmeeting__case__municipality=m
        ).values_list("networkmeeting__held_on", "networkperson__name"),
        "conferences": FamilyGroupConference.objects.filter(case__municipality=m).values_list(
            "phase", "referred_on", "meeting_held_on", "cancelled_on", "coordinator_name"
        ),
        "items": FamilyPlanItem.objects.filter(conference__case__municipality=m).values_list(
            "what", "who", "by_when", "done_on"
        ),
        "roles": InterventionNetworkRole.objects.filter(
            intervention__case__municipality=m
        ).values_list("intervention__start_on", "person__name", "part"),
    }
    counts, h = {}, hashlib.sha256()
    for name, queryset in rows.items():
        values = sorted(map(repr, queryset))
        counts[name] = len(values)
        h.update("\n".join(values).encode())
    return counts, h.hexdigest()


SMALL = SeedOptions("kalundborg", children=700, years=3, seed=2, today=TODAY, demo_users=False)


def test_the_same_seed_gives_the_same_voice_data_and_the_purge_removes_it():
    first = voice_digest(generate(SMALL).municipality)
    assert all(first[0][name] > 0 for name in ("decisions", "meetings", "conferences", "roles"))
    municipality = generate(SeedOptions(**{**SMALL.__dict__, "replace": True})).municipality
    assert voice_digest(municipality) == first
    m = municipality
    made = {
        CaseDecision: CaseDecision.objects.filter(case__municipality=m),
        ChildConversation: ChildConversation.objects.filter(case__municipality=m),
        NetworkMeeting: NetworkMeeting.objects.filter(case__municipality=m),
        Participant: Participant.objects.filter(networkmeeting__case__municipality=m),
        FamilyGroupConference: FamilyGroupConference.objects.filter(case__municipality=m),
        Invited: Invited.objects.filter(familygroupconference__case__municipality=m),
        FamilyPlanItem: FamilyPlanItem.objects.filter(conference__case__municipality=m),
        InterventionNetworkRole: InterventionNetworkRole.objects.filter(
            intervention__case__municipality=m
        ),
    }
    ids = {model: list(qs.values_list("pk", flat=True)) for model, qs in made.items()}
    assert all(ids.values()), {model.__name__: len(v) for model, v in ids.items()}
    purge(municipality)
    for model, pks in ids.items():
        assert not model.objects.filter(pk__in=pks).exists(), model.__name__
    assert Municipality.objects.filter(pk=m.pk).exists()
