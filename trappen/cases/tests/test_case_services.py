"""The case and its caseworker: open, change caseworker (with the letters), close, continuity."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from trappen.cases.case_services import (
    CaseAlreadyOpen,
    CaseError,
    change_caseworker,
    close_case,
    continuity,
    open_case,
)
from trappen.cases.models import Case, CaseSource, CaseworkerAssignment
from trappen.core.calendar import COPENHAGEN
from trappen.core.models import AuditAction, AuditEvent, Letter, Role
from trappen.core.tests.factories import (
    CaseFactory,
    ChildFactory,
    GuardianFactory,
    LetterFactory,
    WellbeingAssessmentFactory,
    link_guardian,
)


def _letters(case):
    return Letter.objects.filter(case=case, template="caseworker_changed")


# --- open -------------------------------------------------------------------------------------


def test_open_case_with_its_first_caseworker_and_one_audit_row(world):
    alice, bob = world.personas["alice"], world.personas["bob"]
    child = ChildFactory(municipality=world.municipality, first_name="Carla")
    assessment = WellbeingAssessmentFactory(child=child, unit=world.school_a)
    before = AuditEvent.objects.count()

    case = open_case(
        child=child,
        team=world.team_a,
        source=CaseSource.EARLY_DETECTION,
        acting_user=alice,
        caseworker=bob,
        source_assessment=assessment,
    )

    case.refresh_from_db()
    today = timezone.localdate()
    assert (case.team, case.caseworker, case.opened_by, case.opened_on) == (
        world.team_a,
        bob,
        alice,
        today,
    )
    assert case.source == CaseSource.EARLY_DETECTION and case.source_assessment == assessment
    assignment = CaseworkerAssignment.objects.get(case=case)
    assert (assignment.caseworker, assignment.started_on, assignment.ended_on) == (bob, today, None)
    assert assignment.assigned_by == alice
    event = AuditEvent.objects.get(seq__gt=before)
    assert (event.action, event.object_type, event.child_id, event.role) == (
        AuditAction.CREATE,
        "cases.case",
        child.pk,
        Role.CASEWORKER,
    )


def test_a_second_open_case_is_refused_in_danish_and_a_closed_one_does_not_count(world):
    alice = world.personas["alice"]
    with pytest.raises(CaseAlreadyOpen, match="har allerede en åben sag") as refused:
        open_case(
            child=world.anna, team=world.team_a, source=CaseSource.CASEWORKER, acting_user=alice
        )
    assert refused.value.case == world.anna_case
    assert Case.objects.filter(child=world.anna).count() == 1

    close_case(world.anna_case, acting_user=alice, reason="Familien klarer sig selv nu.")
    new = open_case(
        child=world.anna, team=world.team_a, source=CaseSource.CASEWORKER, acting_user=alice
    )
    assert new.pk != world.anna_case.pk and new.caseworker is None
    assert not CaseworkerAssignment.objects.filter(case=new).exists()


@pytest.mark.parametrize(
    ("actor", "caseworker", "message"),
    [
        ("charlie", None, "i et team, du arbejder i"),  # team B opening in team A
        ("provider", None, "i et team, du arbejder i"),
        ("alice", "charlie", "er ikke rådgiver i Team A"),  # a caseworker of another team
        ("alice", "team_leader", "er ikke rådgiver i Team A"),
    ],
)
def test_open_case_refusals(world, actor, caseworker, message):
    child = ChildFactory(municipality=world.municipality)
    with pytest.raises(CaseError, match=message):
        open_case(
            child=child,
            team=world.team_a,
            source=CaseSource.CASEWORKER,
            acting_user=world.personas[actor],
            caseworker=world.personas[caseworker] if caseworker else None,
        )
    assert not Case.objects.filter(child=child).exists()


def test_open_case_refuses_another_childs_assessment(world):
    leader = world.personas["team_leader"]
    child = ChildFactory(municipality=world.municipality)
    other = WellbeingAssessmentFactory(child=world.anna, unit=world.school_a)
    with pytest.raises(CaseError, match="handler ikke om dette barn"):
        open_case(
            child=child,
            team=world.team_a,
            source=CaseSource.EARLY_DETECTION,
            acting_user=leader,
            source_assessment=other,
        )
    assert not Case.objects.filter(child=child).exists()


# --- change caseworker ---------------------------------------------------------------------------


def test_reassignment_sends_exactly_one_letter_per_recipient_and_none_when_unchanged(world):
    """The issue's test: one letter to each custody holder and to the child from 10 (Anna is
    11), none to a parent without custody; calling again with the same caseworker: nothing."""
    leader, alice, bob = (world.personas[p] for p in ("team_leader", "alice", "bob"))
    second = GuardianFactory(municipality=world.municipality)
    link_guardian(world.anna, second)
    no_custody = GuardianFactory(municipality=world.municipality)
    link_guardian(world.anna, no_custody, custody=False)
    parent = world.anna.guardian_links.get(guardian__user=world.personas["parent"]).guardian

    change = change_caseworker(world.anna_case, bob, acting_user=leader, reason="Ny fordeling")

    assert change is not None and change.previous == alice
    letters = _letters(world.anna_case)
    recipients = sorted(
        (lt.recipient_guardian_id or 0, lt.recipient_child_id or 0) for lt in letters
    )
    assert recipients == sorted([(parent.pk, 0), (second.pk, 0), (0, world.anna.pk)])
    assert all("Test Bruger" in lt.body_html for lt in letters)  # names the new caseworker
    world.anna_case.refresh_from_db()
    assert world.anna_case.caseworker == bob
    history = list(
        CaseworkerAssignment.objects.filter(case=world.anna_case).values_list(
            "caseworker", "ended_on", "reason"
        )
    )
    today = timezone.localdate()
    # Alice's assignment predates the history (the test world has none): recorded, then ended.
    assert [h[:2] for h in history] == [(alice.pk, today), (bob.pk, None)]
    assert history[1][2] == "Ny fordeling"

    again = change_caseworker(world.anna_case, bob, acting_user=leader)

    assert again is None
    assert _letters(world.anna_case).count() == 3
    assert CaseworkerAssignment.objects.filter(case=world.anna_case).count() == 2


def test_change_caseworker_refusals_leave_everything_as_it_was(world):
    alice, charlie = world.personas["alice"], world.personas["charlie"]
    with pytest.raises(CaseError, match="er ikke rådgiver i Team A"):
        change_caseworker(world.anna_case, charlie, acting_user=alice)
    with pytest.raises(CaseError, match="kan ikke skifte rådgiver"):
        change_caseworker(world.anna_case, world.personas["bob"], acting_user=charlie)
    close_case(world.anna_case, acting_user=alice, reason="Afsluttet")
    with pytest.raises(CaseError, match="Sagen er lukket"):
        change_caseworker(world.anna_case, world.personas["bob"], acting_user=alice)
    world.anna_case.refresh_from_db()
    assert world.anna_case.caseworker == alice
    assert not _letters(world.anna_case).exists()


# --- close ------------------------------------------------------------------------------------


def test_close_case_ends_the_running_assignment(world):
    alice = world.personas["alice"]
    case = CaseFactory(
        child=ChildFactory(municipality=world.municipality),
        team=world.team_a,
        caseworker=alice,
        opened_on=datetime.date(2026, 1, 5),
    )
    CaseworkerAssignment.objects.create(
        case=case, caseworker=alice, started_on=datetime.date(2026, 1, 5)
    )
    with pytest.raises(CaseError, match="begrundelse"):
        close_case(case, acting_user=alice, reason="  ")
    with pytest.raises(CaseError, match="før den blev oprettet"):
        close_case(case, acting_user=alice, reason="Fejl", closed_on=datetime.date(2026, 1, 4))

    close_case(
        case, acting_user=alice, reason="Målene er nået", closed_on=datetime.date(2026, 6, 1)
    )

    case.refresh_from_db()
    assert (case.closed_on, case.closing_reason) == (datetime.date(2026, 6, 1), "Målene er nået")
    assert CaseworkerAssignment.objects.get(case=case).ended_on == datetime.date(2026, 6, 1)
    with pytest.raises(CaseError, match="allerede lukket"):
        close_case(case, acting_user=alice, reason="Igen")


# --- continuity -------------------------------------------------------------------------------


def _case(world, child, team, opened, closed=None, assignments=()):
    case = CaseFactory(child=child, team=team, opened_on=opened, closed_on=closed)
    for worker, started in assignments:
        CaseworkerAssignment.objects.create(
            case=case, caseworker=world.personas[worker], started_on=started
        )
    return case


def _letter(case, moment, template="caseworker_changed"):
    letter = LetterFactory(child=case.child, case=case, template=template)
    Letter.objects.filter(pk=letter.pk).update(created_at=moment)


def test_continuity_counts_changes_children_and_letters_by_hand(world, django_assert_num_queries):
    d = datetime.date
    m, a, b = world.municipality, world.team_a, world.team_b
    c1, c2, c3, c4, c5 = (ChildFactory(municipality=m) for _ in range(5))
    case1 = _case(
        world,
        c1,
        a,
        d(2025, 2, 1),
        assignments=[("alice", d(2025, 2, 1)), ("bob", d(2025, 5, 1)), ("alice", d(2025, 9, 1))],
    )  # two changes in 2025 (the first caseworker is no change)
    _case(
        world,
        c2,
        a,
        d(2024, 6, 1),
        d(2025, 3, 31),
        [("alice", d(2024, 6, 1)), ("bob", d(2024, 12, 15)), ("alice", d(2025, 3, 1))],
    )  # one change in 2025, one before it
    _case(world, c2, a, d(2025, 4, 1), assignments=[("bob", d(2025, 4, 1))])  # c2's new case
    case3 = _case(
        world, c3, b, d(2025, 6, 1), assignments=[("charlie", d(2025, 6, 1))]
    )  # team B, no change in 2025
    CaseworkerAssignment.objects.create(
        case=case3, caseworker=world.personas["charlie"], started_on=d(2026, 1, 10)
    )  # after the period
    _case(
        world,
        c4,
        a,
        d(2023, 1, 1),
        d(2024, 12, 31),
        [("alice", d(2023, 1, 1)), ("bob", d(2024, 6, 1))],
    )  # closed before the period: neither a change nor a child
    _case(
        world,
        c5,
        a,
        d(2025, 12, 31),
        assignments=[("alice", d(2025, 12, 31)), ("bob", d(2025, 12, 31))],
    )  # the same day: the second is a change
    at = lambda *args: datetime.datetime(*args, tzinfo=COPENHAGEN)  # noqa: E731
    _letter(case1, at(2025, 5, 1, 10))
    _letter(case1, at(2025, 9, 1, 10))
    _letter(case1, at(2025, 12, 31, 23, 30))  # the last evening of the period (22:30 UTC)
    _letter(case1, at(2024, 12, 31, 23, 30))  # before
    _letter(case1, at(2026, 1, 1, 0, 30))  # after, though still 2025 in UTC
    _letter(case1, at(2025, 6, 1), template="notification_decision_guardian")  # another letter
    _letter(case3, at(2025, 7, 1))  # team B

    with django_assert_num_queries(3):
        year = continuity(m, d(2025, 1, 1), d(2025, 12, 31))
    team_a = continuity(m, d(2025, 1, 1), d(2025, 12, 31), team=a)
    half = continuity(m, d(2025, 1, 1), d(2025, 6, 30))

    # changes: case1 2 + c2's first case 1 + c5's case 1 = 4; children c1, c2, c3, c5 = 4
    assert (year.changes, year.children, year.letters, year.days) == (4, 4, 4, 365)
    assert year.per_child_per_year == pytest.approx(1.0)
    # team A: the same 4 changes, children c1, c2, c5; letters without team B's
    assert (team_a.changes, team_a.children, team_a.letters) == (4, 3, 3)
    assert team_a.per_child_per_year == pytest.approx(4 / 3)
    # January-June (181 days): case1 1.5. + c2 1.3. = 2 changes; c1, c2, c3 = 3 children
    assert (half.changes, half.children, half.days) == (2, 3, 181)
    assert half.per_child_per_year == pytest.approx(2 / 3 * 365 / 181)  # 1.344...
    assert continuity(world.other_municipality, d(2025, 1, 1), d(2025, 12, 31)).children == 0
    assert (
        continuity(world.other_municipality, d(2025, 1, 1), d(2025, 12, 31)).per_child_per_year
        is None
    )


def test_a_change_through_the_service_counts_once_in_continuity(world):
    today = timezone.localdate()
    before = continuity(world.municipality, today, today, team=world.team_a)
    change_caseworker(world.anna_case, world.personas["bob"], acting_user=world.personas["alice"])
    after = continuity(world.municipality, today, today, team=world.team_a)
    assert after.changes - before.changes == 1
    assert after.letters - before.letters == 2  # the parent and Anna


# --- concurrency (PostgreSQL: the one-open-case constraint) ---------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_two_openings_at_once_make_one_case(world):
    child = ChildFactory(municipality=world.municipality)
    start = threading.Barrier(2)
    results, errors = [], []

    def run(user):
        try:
            start.wait()
            results.append(
                open_case(
                    child=child, team=world.team_a, source=CaseSource.CASEWORKER, acting_user=user
                )
            )
        except Exception as exc:  # noqa: BLE001 - reported to the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(world.personas[p],)) for p in ("alice", "bob")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 1
    assert [type(e) for e in errors] == [CaseAlreadyOpen]
    assert Case.objects.filter(child=child).count() == 1
