"""The synthetic municipality generator (`manage.py seed`) and the demo users.

A 500-child, 2-year municipality is generated once for the module (and removed after it); the
tests check its invariants. Determinism, rates and the command's errors get their own runs.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import Counter

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Max, Q
from django.test import override_settings

from trappen.cases.models import (
    Case,
    CaseworkerAssignment,
    FollowUp,
    Intervention,
    Investigation,
    StepMovement,
)
from trappen.core import calendar, cpr
from trappen.core.home_services import active_intervention_q
from trappen.core.models import Municipality, OrganisationalUnit, Role, UnitKind, User
from trappen.core.synthetic import staircase
from trappen.core.synthetic.demo_users import DEMO_USERS, DemoUsersRefused, ensure_demo_users
from trappen.core.synthetic.generator import SeedError, SeedOptions, generate
from trappen.core.synthetic.purge import purge
from trappen.core.synthetic.staircase import Move, Span
from trappen.early.models import WellbeingAssessment
from trappen.notifications.models import (
    Channel,
    Decision,
    EventKind,
    Notification,
    NotificationEvent,
    NotificationReason,
    ReporterKind,
)
from trappen.offers.models import Offer
from trappen.people.models import Child, ChildGuardian, Guardian, Household, NetworkPerson
from trappen.voice.models import ChildConversation

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 2)
YESTERDAY = TODAY - datetime.timedelta(days=1)
MIDNIGHT = datetime.datetime(2025, 6, 2, tzinfo=calendar.COPENHAGEN)
WORLD = SeedOptions("thisted", children=500, years=2, seed=11, today=TODAY)


def remove(slug: str) -> None:
    municipality = Municipality.objects.filter(slug=slug).first()
    if municipality is None:
        return
    purge(municipality)
    User.objects.filter(municipality=municipality).delete()
    municipality.delete()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One generated municipality for the invariant tests; removed when the module is done."""
    with django_db_blocker.unblock():
        result = generate(WORLD)
        try:
            yield result.municipality
        finally:
            remove(WORLD.municipality)


def d(day: int) -> datetime.date:
    return datetime.date(2025, 1, day)


# --- the staircase, by hand ------------------------------------------------------------------


def test_a_single_intervention_enters_and_leaves_the_staircase():
    moves = staircase.movements([Span(2, d(1), d(10), "Familiebehandling")], d(30))
    assert [(m.from_step, m.to_step, m.moved_on) for m in moves] == [
        (None, 2, d(1)),
        (2, None, d(11)),
    ]


def test_the_step_is_the_highest_active_intervention():
    spans = [Span(2, d(1), d(10), "A"), Span(1, d(5), d(20), "B"), Span(4, d(11), None, "C")]
    moves = staircase.movements(spans, d(30))
    assert moves == [
        Move(None, 2, d(1), "Første indsats: A"),
        Move(2, 4, d(11), "Trin op: C"),
    ]


def test_a_lighter_intervention_outlasting_the_main_one_is_a_step_down():
    moves = staircase.movements([Span(2, d(1), d(10), "A"), Span(1, d(5), d(20), "B")], d(30))
    assert [(m.from_step, m.to_step, m.moved_on) for m in moves] == [
        (None, 2, d(1)),
        (2, 1, d(11)),
        (1, None, d(21)),
    ]


def test_no_movement_is_dated_after_today():
    moves = staircase.movements([Span(3, d(1), d(10), "A")], d(10))
    assert [m.moved_on for m in moves] == [d(1)]


# --- synthetic people only -----------------------------------------------------------------------


def test_every_cpr_number_parses_as_synthetic(world):
    people = list(Child.objects.filter(municipality=world)) + list(
        Guardian.objects.filter(municipality=world)
    )
    assert len(people) > 300
    for person in people:
        number = cpr.parse(person.cpr, allow_real=False)
        assert number.synthetic
        assert person.cpr_hash == cpr.lookup_hash(number.digits)
    children = Child.objects.filter(municipality=world)
    assert all(cpr.parse(c.cpr).birth_date == c.birth_date for c in children)


def test_every_generated_row_is_marked_synthetic(world):
    assert world.is_synthetic
    flagged = [
        Child.objects.filter(municipality=world),
        Guardian.objects.filter(municipality=world),
        Household.objects.filter(municipality=world),
        NetworkPerson.objects.filter(child__municipality=world),
        WellbeingAssessment.objects.filter(child__municipality=world),
        Notification.objects.filter(municipality=world),
        Case.objects.filter(municipality=world),
        Intervention.objects.filter(case__municipality=world),
        ChildConversation.objects.filter(case__municipality=world),
    ]
    for queryset in flagged:
        assert queryset.exists(), queryset.model
        assert not queryset.filter(is_synthetic=False).exists(), queryset.model


def test_children_are_0_to_17_in_a_unit_of_their_own_district(world):
    for child in Child.objects.filter(municipality=world).select_related("unit", "health_unit"):
        age = child.age_on(TODAY)
        assert 0 <= age <= 17
        assert child.health_unit.district == child.district
        if age >= 6:
            assert child.unit.kind == UnitKind.SCHOOL
        elif age >= 1:
            assert child.unit.kind == UnitKind.DAYCARE
        if child.unit is not None:
            assert child.unit.district == child.district


def test_households_have_one_or_two_custody_holders_and_siblings_share_them(world):
    households = Household.objects.filter(municipality=world).annotate(
        n_guardians=Count("guardians", distinct=True), n_children=Count("children", distinct=True)
    )
    assert {h.n_guardians for h in households} <= {1, 2}
    assert any(h.n_children >= 2 for h in households)
    for child in Child.objects.filter(municipality=world).prefetch_related("guardian_links"):
        guardians = {link.guardian_id for link in child.guardian_links.all() if link.has_custody}
        household = set(
            Guardian.objects.filter(household=child.household_id).values_list("pk", flat=True)
        )
        assert guardians == household


# --- the invariants of the history ------------------------------------------------------------


def test_no_child_has_two_open_cases_or_overlapping_cases(world):
    by_child: dict[int, list[Case]] = {}
    for case in Case.objects.filter(municipality=world).order_by("opened_on", "pk"):
        by_child.setdefault(case.child_id, []).append(case)
    for cases in by_child.values():
        assert sum(c.closed_on is None for c in cases) <= 1
        for earlier, later in zip(cases, cases[1:], strict=False):
            assert earlier.closed_on is not None and earlier.closed_on < later.opened_on


def test_interventions_lie_inside_their_case(world):
    items = Intervention.objects.filter(case__municipality=world).select_related("case")
    assert items.exists()
    for item in items:
        case = item.case
        assert case.opened_on <= item.start_on
        assert item.granted_on is None or case.opened_on <= item.granted_on <= item.start_on
        if item.end_on is not None:
            assert item.start_on <= item.end_on
        if case.closed_on is not None:
            assert item.end_on is not None and item.end_on < case.closed_on + datetime.timedelta(1)


def test_step_movements_follow_the_interventions(world):
    cases = Case.objects.filter(municipality=world).prefetch_related(
        "interventions", "step_movements"
    )
    # The start pages' definition of "active today" (home_services) gives the same current step.
    current = dict(
        Intervention.objects.filter(active_intervention_q(TODAY), case__municipality=world)
        .values_list("case")
        .annotate(top=Max("step"))
    )
    checked = 0
    for case in cases:
        spans = [Span(i.step, i.start_on, i.end_on) for i in case.interventions.all()]
        moves = sorted(case.step_movements.all(), key=lambda m: (m.moved_on, m.pk))
        step = None
        for move in moves:
            assert move.from_step == step
            assert move.to_step == staircase.step_on(spans, move.moved_on)
            assert move.moved_on <= TODAY
            step = move.to_step
        assert step == staircase.step_on(spans, TODAY)
        assert step == current.get(case.pk)
        checked += bool(moves)
    assert checked > 10


def test_notification_deadlines_come_from_the_calendar_service(world):
    notes = Notification.objects.filter(municipality=world)
    assert notes.count() > 20
    professional = ReporterKind.professional()
    for note in notes:
        assert note.assessment_due_at == calendar.notification_assessment_due(note.received_at)
        if note.reporter_kind in professional:
            assert note.receipt_due_on == calendar.notification_receipt_due(note.received_at, world)
            assert note.feedback_due_on == calendar.add_months(note.received_at, 3)
        else:
            assert note.receipt_due_on is None and note.feedback_due_on is None


# --- notifications: content, handling, timeline -------------------------------------------------


def test_channels_follow_the_reporter(world):
    notes = Notification.objects.filter(municipality=world)
    professional = ReporterKind.professional()
    seen = set()
    for kind, channel, anonymous in notes.values_list("reporter_kind", "channel", "is_anonymous"):
        seen.add(channel)
        if channel == Channel.API:
            assert kind in ("police", "health")
        elif kind in professional:
            assert channel == Channel.PROFESSIONAL_FORM
        else:
            assert channel == Channel.PUBLIC_FORM
        assert anonymous == (kind == "anonymous")
    assert seen == set(Channel.values)


def test_every_notification_gives_one_or_two_known_reasons(world):
    reasons = Notification.objects.filter(municipality=world).values_list("reasons", flat=True)
    for given in reasons:
        assert 1 <= len(given) <= 2 and len(set(given)) == len(given)
        assert set(given) <= set(NotificationReason.values)


def test_repeats_are_the_same_child_or_a_sibling_within_twelve_months(world):
    notes = list(
        Notification.objects.filter(municipality=world, child__isnull=False)
        .select_related("child")
        .order_by("received_at")
    )
    last_in_household: dict[int, datetime.datetime] = {}
    repeats = 0
    for note in notes:
        local = calendar.to_local(note.received_at)
        window = datetime.datetime.combine(
            calendar.add_months(local, -12), local.time(), tzinfo=calendar.COPENHAGEN
        )
        before = last_in_household.get(note.child.household_id)
        assert note.is_repeat == (before is not None and before >= window), note.pk
        last_in_household[note.child.household_id] = note.received_at
        repeats += note.is_repeat
    assert 0 < repeats < len(notes)


def test_siblings_are_the_households_other_children_born_by_receipt(world):
    notes = Notification.objects.filter(municipality=world, child__isnull=False).select_related(
        "child"
    )
    with_siblings = 0
    for note in notes.prefetch_related("siblings"):
        expected = set(
            Child.objects.filter(
                household=note.child.household_id,
                birth_date__lte=calendar.local_date(note.received_at),
            )
            .exclude(pk=note.child_id)
            .values_list("pk", flat=True)
        )
        assert {c.pk for c in note.siblings.all()} == expected
        with_siblings += bool(expected)
    assert with_siblings > 10


def test_the_case_is_the_childs_case_open_at_the_decision_or_opened_by_it(world):
    notes = Notification.objects.filter(municipality=world).select_related("case")
    linked = 0
    for note in notes:
        assert note.team_id is not None
        if note.case is None:
            assert note.decision in ("", Decision.NO_ACTION)
            continue
        linked += 1
        received_on = calendar.local_date(note.received_at)
        assert note.case.child_id == note.child_id and note.team_id == note.case.team_id
        assert note.case.closed_on is None or received_on <= note.case.closed_on
        if note.decided_at is None:
            continue
        decided_on = calendar.local_date(note.decided_at)
        assert note.case.opened_on <= decided_on
        if note.decision in (Decision.INVESTIGATION, Decision.CLARIFICATION):
            assert received_on <= note.case.opened_on
    assert linked > 10


def test_assessment_decision_and_feedback_are_consistent(world):
    notes = Notification.objects.filter(municipality=world)
    assert set(notes.values_list("decision", flat=True)) <= {"", *Decision.values}
    for note in notes:
        if note.assessed_at is None:
            assert note.status == "new" and note.danger is None and note.decided_at is None
            continue
        assert note.assigned_to_id is not None and note.assessed_by_id == note.assigned_to_id
        assert note.received_at < note.assigned_at <= note.assessed_at
        assert isinstance(note.danger, bool) and (note.acute_measures is False or note.danger)
        assert not note.danger or note.assessment_note
        if note.decided_at is None:
            assert note.status == "assessed" and note.feedback_sent_at is None
            continue
        assert note.status == "decided" and note.decided_by_id == note.assigned_to_id
        assert note.assessed_at <= note.decided_at
        professional = note.feedback_due_on is not None
        assert (note.feedback_sent_at is not None) == professional
        assert not professional or note.decided_at < note.feedback_sent_at


def test_the_timeline_has_an_event_per_step(world):
    notes = Notification.objects.filter(municipality=world).prefetch_related("events")
    for note in notes:
        events = {e.kind: e for e in note.events.all()}
        assert len(events) == len(note.events.all())  # each step once
        expected = {
            EventKind.RECEIVED: (note.received_at, None),
            EventKind.ASSESSED: (note.assessed_at, note.assessed_by_id),
            EventKind.RECEIPT_SENT: (note.receipt_sent_at, None),
            EventKind.DECIDED: (note.decided_at, note.decided_by_id),
            EventKind.FEEDBACK_SENT: (note.feedback_sent_at, note.decided_by_id),
        }
        expected = {kind: v for kind, v in expected.items() if v[0] is not None}
        assert {k: (e.occurred_at, e.actor_id) for k, e in events.items()} == expected


def test_a_few_public_notifications_have_no_identified_child(world):
    unidentified = Notification.objects.filter(municipality=world, child__isnull=True)
    for note in unidentified:
        assert note.child_name and note.decision == Decision.NO_ACTION
        assert note.reporter_kind in ("anonymous", "citizen", "family_network")
        assert not note.is_repeat and not note.siblings.exists() and note.case_id is None


def test_first_follow_up_of_a_planned_intervention_is_three_months_after_its_start(world):
    items = Intervention.objects.filter(case__municipality=world, is_immediate=False)
    firsts = [i.follow_ups.order_by("due_on").first() for i in items]
    pairs = [(i, f) for i, f in zip(items, firsts, strict=True) if f is not None]
    assert pairs
    for item, first in pairs:
        assert first.due_on == calendar.first_follow_up_due(item.start_on)


def test_nothing_has_happened_after_yesterday(world):
    """Only deadlines and planned follow-ups or reassessments lie ahead."""
    notes = Notification.objects.filter(municipality=world)
    fields = ("received_at", "assigned_at", "assessed_at", "receipt_sent_at", "decided_at")
    for field in (*fields, "feedback_sent_at"):
        assert not notes.filter(**{f"{field}__gte": MIDNIGHT}).exists(), field
    events = NotificationEvent.objects.filter(notification__municipality=world)
    assert events.exists() and not events.filter(occurred_at__gte=MIDNIGHT).exists()
    dated = [
        (WellbeingAssessment.objects.filter(child__municipality=world), "assessed_on"),
        (Case.objects.filter(municipality=world), "opened_on"),
        (Case.objects.filter(municipality=world), "closed_on"),
        (CaseworkerAssignment.objects.filter(case__municipality=world), "started_on"),
        (CaseworkerAssignment.objects.filter(case__municipality=world), "ended_on"),
        (Investigation.objects.filter(case__municipality=world), "started_on"),
        (Investigation.objects.filter(case__municipality=world), "completed_on"),
        (Intervention.objects.filter(case__municipality=world), "start_on"),
        (Intervention.objects.filter(case__municipality=world), "end_on"),
        (FollowUp.objects.filter(intervention__case__municipality=world), "held_on"),
        (ChildConversation.objects.filter(case__municipality=world), "held_on"),
    ]
    for queryset, field in dated:
        assert not queryset.filter(**{f"{field}__gt": YESTERDAY}).exists(), field
    movements = StepMovement.objects.filter(case__municipality=world)
    assert not movements.filter(moved_on__gt=TODAY).exists()


def test_a_held_follow_up_is_never_after_its_intervention_ended(world):
    held = FollowUp.objects.filter(
        intervention__case__municipality=world, held_on__isnull=False
    ).select_related("intervention")
    assert held.exists()
    for row in held:
        assert row.intervention.start_on <= row.held_on
        assert row.intervention.end_on is None or row.held_on <= row.intervention.end_on


def test_only_the_latest_follow_up_of_a_running_intervention_can_be_overdue(world):
    rows = FollowUp.objects.filter(intervention__case__municipality=world).select_related(
        "intervention"
    )
    overdue = [r for r in rows if r.held_on is None and r.due_on <= YESTERDAY]
    assert overdue
    for row in overdue:
        assert row.intervention.end_on is None
        later = FollowUp.objects.filter(intervention=row.intervention, due_on__gt=row.due_on)
        assert not later.filter(due_on__lte=YESTERDAY).exists()


def test_caseworker_history_is_contiguous_and_ends_with_the_current_caseworker(world):
    for case in Case.objects.filter(municipality=world).prefetch_related("assignments"):
        rows = list(case.assignments.all())
        assert rows[0].started_on == case.opened_on
        for earlier, later in zip(rows, rows[1:], strict=False):
            assert earlier.ended_on == later.started_on
        assert rows[-1].ended_on == case.closed_on
        assert rows[-1].caseworker_id == case.caseworker_id


def test_the_catalogue_spans_the_staircase_with_the_national_costs(world):
    offers = Offer.objects.filter(municipality=world)
    assert set(offers.values_list("step", flat=True)) == {0, 1, 2, 3, 4, 5}
    foster = offers.get(name="Plejefamilie")
    institution = offers.get(name="Døgninstitution")
    assert foster.monthly_cost * 12 == 468_000  # about 470,000 kr a year (DOMAIN.md)
    assert institution.monthly_cost * 12 == 1_164_000  # about 1,160,000 kr a year
    assert offers.get(name="Kontaktperson").legal_basis == "§ 32, stk. 1, nr. 3"


def test_the_organisation_has_every_kind_of_unit(world):
    kinds = Counter(
        OrganisationalUnit.objects.filter(municipality=world).values_list("kind", flat=True)
    )
    assert kinds[UnitKind.HEALTH_SERVICE] == 5  # one per district of Thisted
    assert kinds[UnitKind.CASEWORKER_TEAM] in (2, 3)
    assert kinds[UnitKind.OUTREACH_TEAM] == 1
    assert kinds[UnitKind.PROVIDER] >= 3
    assert kinds[UnitKind.CIVIL_SOCIETY] == 1
    assert world.name == "Thisted Kommune" and world.code == "787"


# --- demo users ----------------------------------------------------------------------------------


def test_every_demo_user_exists_with_its_role(world):
    for spec in DEMO_USERS:
        user = User.objects.get(username=spec.username)
        assert user.is_demo and user.municipality == world
        assert user.has_role(spec.role)
        assert user.check_password("trappen-demo")
    assert User.objects.get(username="admin").is_staff
    assert not User.objects.filter(username__in=["raadgiver", "ung"], is_staff=True).exists()


def test_demo_caseworkers_show_team_boundaries_and_have_open_cases(world):
    one, two, other = (
        User.objects.get(username=u) for u in ("raadgiver", "raadgiver2", "raadgiver-b")
    )
    assert one.unit_ids(Role.CASEWORKER) == two.unit_ids(Role.CASEWORKER)
    assert one.unit_ids(Role.CASEWORKER) != other.unit_ids(Role.CASEWORKER)
    leader = User.objects.get(username="teamleder")
    assert leader.unit_ids(Role.TEAM_LEADER) == one.unit_ids(Role.CASEWORKER)
    for user in (one, two, other):
        mine = Case.objects.filter(caseworker=user, closed_on__isnull=True)
        assert mine.exists()
        assert set(mine.values_list("team_id", flat=True)) == set(user.unit_ids(Role.CASEWORKER))


def test_demo_provider_professional_and_outreach_have_work(world):
    provider = User.objects.get(username="udfoerer")
    assert Intervention.objects.filter(provider_id__in=provider.unit_ids(Role.PROVIDER)).exists()
    teacher = User.objects.get(username="fagperson")
    school = teacher.unit_ids(Role.PROFESSIONAL)
    assert Child.objects.filter(unit_id__in=school).exists()
    assert teacher.submitted_notifications.filter(reporter_unit_id__in=school).exists()
    outreach = User.objects.get(username="fremskudt")
    assert set(school) <= set(outreach.unit_ids(Role.OUTREACH))


def test_demo_citizens_are_linked_to_children_with_open_cases(world):
    parent = User.objects.get(username="foraelder")
    guardian = Guardian.objects.get(user=parent)
    assert (parent.first_name, parent.last_name) == (guardian.first_name, guardian.last_name)
    children = ChildGuardian.objects.filter(guardian=guardian, has_custody=True).values("child")
    assert Case.objects.filter(child__in=children, closed_on__isnull=True).exists()
    young = Child.objects.get(user__username="ung")
    assert young.age_on(TODAY) >= 10
    assert young.cases.filter(closed_on__isnull=True).exists()


def test_the_administrator_may_manage_users_and_offers_but_not_people_or_cases(world):
    admin = User.objects.get(username="admin")
    perms = admin.get_all_permissions()
    assert {"core.change_user", "core.add_organisationalunit", "offers.change_offer"} <= perms
    assert not any(p.split(".")[0] in {"people", "cases", "notifications"} for p in perms)


def test_demo_users_are_refused_in_production(world):
    with override_settings(PRODUCTION=True), pytest.raises(DemoUsersRefused):
        ensure_demo_users(world, TODAY, np.random.default_rng(1))


# --- determinism and rates ---------------------------------------------------------------------


def digest(municipality) -> tuple[dict[str, int], str]:
    """Counts and a hash of the natural content (no ids: a second run gets new ones)."""
    rows = {
        "children": Child.objects.filter(municipality=municipality).values_list(
            "birth_date", "first_name", "last_name", "district", "cpr_hash", "unit__name"
        ),
        "notifications": Notification.objects.filter(municipality=municipality).values_list(
            "received_at",
            "reporter_kind",
            "level",
            "decision",
            "assessed_at",
            "child__cpr_hash",
            "channel",
            "reasons",
            "is_repeat",
            "assigned_to__username",
        ),
        "cases": Case.objects.filter(municipality=municipality).values_list(
            "opened_on", "closed_on", "source", "child__cpr_hash", "caseworker__username"
        ),
        "interventions": Intervention.objects.filter(case__municipality=municipality).values_list(
            "title", "step", "start_on", "end_on", "monthly_cost", "is_immediate"
        ),
        "assessments": WellbeingAssessment.objects.filter(
            child__municipality=municipality
        ).values_list("assessed_on", "level", "unit__name"),
    }
    counts, h = {}, hashlib.sha256()
    for name, queryset in rows.items():
        values = sorted(map(repr, queryset))
        counts[name] = len(values)
        h.update("\n".join(values).encode())
    return counts, h.hexdigest()


def test_the_same_seed_gives_the_same_municipality():
    options = SeedOptions(
        "kalundborg", children=200, years=2, seed=5, today=TODAY, demo_users=False
    )
    first = digest(generate(options).municipality)
    again = digest(generate(SeedOptions(**{**options.__dict__, "replace": True})).municipality)
    assert again == first
    assert first[0]["notifications"] > 0
    other = digest(
        generate(SeedOptions(**{**options.__dict__, "replace": True, "seed": 6})).municipality
    )
    assert other[1] != first[1]


def test_rates_are_close_to_the_danish_figures():
    """DOMAIN.md "Scale": 7 % notified a year, 1.8 notifications each, 3.5 % with a measure."""
    options = SeedOptions(
        "skanderborg", children=2000, years=1, seed=3, today=TODAY, demo_users=False
    )
    municipality = generate(options).municipality
    year_ago = MIDNIGHT - datetime.timedelta(days=365)
    notes = Notification.objects.filter(municipality=municipality, received_at__gte=year_ago)
    notified = notes.values("child").distinct().count()
    assert 0.04 <= notified / 2000 <= 0.10
    assert 1.4 <= notes.count() / notified <= 2.3
    kinds = Counter(notes.values_list("reporter_kind", flat=True))
    assert 0.14 <= kinds["school"] / notes.count() <= 0.28
    assert 0.13 <= (kinds["health"] + kinds["health_visitor"]) / notes.count() <= 0.27
    assert 0.08 <= kinds["police"] / notes.count() <= 0.18
    # Repeats (the same child or a sibling within 12 months) and DST's reasons, 1-2 each
    assert 0.3 <= notes.filter(is_repeat=True).count() / notes.count() <= 0.7
    reasons = Counter(r for given in notes.values_list("reasons", flat=True) for r in given)
    assert 1.1 <= sum(reasons.values()) / notes.count() <= 1.8
    assert len(reasons) >= 9
    for reason in ("neglect", "child_behaviour", "domestic_conflict", "school_absence"):
        assert 0.05 <= reasons[reason] / notes.count() <= 0.45, reason
    assert reasons["crime"] > 0 and reasons["violence"] > 0
    # The inbox has work: waiting notifications, some unassigned, some past the 24 hours
    waiting = Notification.objects.filter(municipality=municipality, assessed_at__isnull=True)
    assert waiting.filter(assigned_to__isnull=True).exists()
    assert waiting.filter(assessment_due_at__lt=MIDNIGHT).exists()
    assert not waiting.filter(received_at__lt=MIDNIGHT - datetime.timedelta(days=21)).exists()
    active = Intervention.objects.filter(case__municipality=municipality, step__gte=1).filter(
        Q(end_on__isnull=True) | Q(end_on__gte=TODAY), start_on__lte=TODAY
    )
    with_measure = active.values("case__child").distinct().count()
    placed = active.filter(step__gte=3).values("case__child").distinct().count()
    assert 0.02 <= with_measure / 2000 <= 0.06
    assert placed < with_measure / 2


# --- the command ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options, message",
    [
        ({"municipality": "aarhus"}, "Ukendt kommune"),
        ({"municipality": "thisted", "children": -5}, "Antal børn"),
        ({"municipality": "thisted", "children": 0}, "Antal børn"),
        ({"municipality": "thisted", "years": -1}, "Antal år"),
        ({"municipality": "thisted", "seed": -1}, "Frøet"),
        ({"municipality": "thisted", "today": "2025-13-01"}, "--today"),
    ],
)
def test_it_refuses_bad_options_with_a_clear_error(options, message):
    with pytest.raises(CommandError, match=message):
        call_command("seed", quiet=True, **options)


def test_it_refuses_a_second_run_without_replace_and_replaces_with_it(capsys):
    args = {
        "municipality": "hjorring",
        "children": 60,
        "years": 1,
        "today": "2025-06-02",
        "quiet": True,
        "demo_users": False,
    }
    call_command("seed", **args)
    out = capsys.readouterr().out
    assert out.startswith("Hjørring Kommune: ") and "60 børn" in out
    with pytest.raises(CommandError, match="--replace"):
        call_command("seed", **args)
    call_command("seed", replace=True, **args)
    municipality = Municipality.objects.get(slug="hjorring")
    assert Child.objects.filter(municipality=municipality).count() == 60
    assert Offer.objects.filter(municipality=municipality).count() == len(
        set(Offer.objects.filter(municipality=municipality).values_list("name", flat=True))
    )


def test_it_never_touches_a_municipality_that_is_not_synthetic():
    Municipality.objects.create(slug="norddjurs", name="Norddjurs Kommune", is_synthetic=False)
    with pytest.raises(SeedError, match="ikke markeret som syntetisk"):
        generate(SeedOptions("norddjurs", children=10, years=1, today=TODAY, replace=True))


def test_production_refuses_demo_users_from_the_command():
    with override_settings(PRODUCTION=True), pytest.raises(CommandError, match="produktion"):
        call_command(
            "seed",
            municipality="norddjurs",
            children=20,
            years=1,
            quiet=True,
            demo_users=True,
            today="2025-06-02",
        )
