"""The 24-hour assessment, the screening decision (§ 18) and the feedback to the notifier."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone, translation
from django.utils.formats import date_format

from trappen.cases.models import Case, CaseSource, CaseworkerAssignment, Investigation
from trappen.core.calendar import COPENHAGEN
from trappen.core.models import AuditAction, AuditEvent, Letter
from trappen.core.tests.factories import (
    ChildFactory,
    GuardianFactory,
    HouseholdFactory,
    InterventionFactory,
    InvestigationFactory,
    NotificationFactory,
    link_guardian,
)
from trappen.notifications.decisions import (
    DecisionError,
    record_assessment,
    record_decision,
    send_feedback,
)
from trappen.notifications.models import (
    Decision,
    EventKind,
    NotificationStatus,
    ReporterKind,
)
from trappen.notifications.tests.decision_factories import assessed, professional_notification

pytestmark = pytest.mark.django_db

REASON = "Bekymringen er alvorlig og vedvarende; se vurderingen."
NOTIFIER_TRACES = ("Lise", "Underretter", "lise.underretter", "11223344", "Nordskolen", "Lærer")


def _decide(notification, user, decision, **kwargs):
    kwargs.setdefault("reason", REASON)
    return record_decision(notification, decision=decision, acting_user=user, **kwargs)


def _errors(excinfo) -> dict:
    return excinfo.value.errors


@pytest.fixture
def carl(world):
    """A child without a case: two custody holders and a father without custody."""
    household = HouseholdFactory(municipality=world.municipality)
    child = ChildFactory(municipality=world.municipality, first_name="Carl", household=household)
    for first in ("Mette", "Mads"):
        link_guardian(child, GuardianFactory(municipality=world.municipality, first_name=first))
    no_custody = GuardianFactory(municipality=world.municipality, first_name="Ulrik")
    link_guardian(child, no_custody, custody=False)
    return child


# --- the 24-hour assessment -------------------------------------------------------------------


def test_the_assessment_is_recorded_on_the_timeline_and_in_the_audit_log(world):
    alice = world.personas["alice"]
    n = professional_notification(world)

    record_assessment(n, danger=True, acute_measures=True, note="Blå mærker.", acting_user=alice)

    n.refresh_from_db()
    assert n.status == NotificationStatus.ASSESSED
    assert (n.danger, n.acute_measures, n.assessed_by) == (True, True, alice)
    assert n.assessment_note == "Blå mærker."
    assert n.assessed_at is not None
    event = n.events.get()
    assert event.kind == EventKind.ASSESSED
    assert event.actor == alice
    assert "i fare" in event.note and "akutte foranstaltninger iværksat" in event.note
    row = AuditEvent.objects.filter(object_type="notifications.notification").last()
    assert (row.action, row.object_id, row.child_id) == (AuditAction.UPDATE, str(n.pk), n.child_id)
    assert "24 timer" in row.purpose


def test_an_assessment_after_the_deadline_says_so(world):
    n = professional_notification(world, received_at=timezone.now() - datetime.timedelta(hours=30))
    assessed(n, world.personas["alice"])
    assert "efter 24-timersfristen" in n.events.get().note


def test_a_second_assessment_is_refused(world):
    n = professional_notification(world)
    assessed(n, world.personas["alice"])
    with pytest.raises(DecisionError, match="allerede vurderet"):
        assessed(n, world.personas["bob"])
    n.refresh_from_db()
    assert n.assessed_by == world.personas["alice"]


@pytest.mark.parametrize("persona", ["charlie", "professional", "parent", "outsider", "provider"])
def test_only_someone_who_may_work_on_it_can_assess(world, persona):
    n = professional_notification(world)
    with pytest.raises(DecisionError, match="Du kan ikke arbejde med denne underretning"):
        assessed(n, world.personas[persona])
    n.refresh_from_db()
    assert n.status == NotificationStatus.NEW
    assert not n.events.exists()


def test_the_team_leader_and_an_assignee_from_another_team_may_assess(world):
    first = professional_notification(world)
    assessed(first, world.personas["team_leader"])
    second = professional_notification(world, assigned_to=world.personas["charlie"])
    assessed(second, world.personas["charlie"])
    assert first.status == second.status == NotificationStatus.ASSESSED


def test_danger_needs_a_note(world):
    n = professional_notification(world)
    with pytest.raises(DecisionError) as excinfo:
        record_assessment(
            n, danger=True, acute_measures=False, note="  ", acting_user=world.personas["alice"]
        )
    assert "Beskriv faren" in _errors(excinfo)["note"][0]


# --- the decision: preconditions and required fields ------------------------------------------


def test_a_decision_before_the_assessment_is_refused(world):
    n = professional_notification(world)
    with pytest.raises(DecisionError, match="skal vurderes"):
        _decide(n, world.personas["alice"], Decision.NO_ACTION)
    n.refresh_from_db()
    assert n.status == NotificationStatus.NEW and n.decision == ""


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_the_reason_is_required(world, reason):
    n = assessed(professional_notification(world), world.personas["alice"])
    with pytest.raises(DecisionError) as excinfo:
        _decide(n, world.personas["alice"], Decision.NO_ACTION, reason=reason)
    assert _errors(excinfo)["reason"] == ["Skriv en begrundelse for beslutningen."]


def test_an_unknown_decision_is_refused_in_danish(world):
    n = assessed(professional_notification(world), world.personas["alice"])
    with pytest.raises(DecisionError) as excinfo:
        _decide(n, world.personas["alice"], "close_it")
    assert _errors(excinfo)["decision"] == ["Vælg en af beslutningerne."]


def test_a_second_decision_is_refused(world):
    n = assessed(professional_notification(world), world.personas["alice"])
    _decide(n, world.personas["alice"], Decision.NO_ACTION)
    with pytest.raises(DecisionError, match="allerede truffet en beslutning"):
        _decide(n, world.personas["bob"], Decision.CLARIFICATION)


def test_a_decision_by_another_team_is_refused(world):
    n = assessed(professional_notification(world), world.personas["alice"])
    with pytest.raises(DecisionError, match="Du kan ikke arbejde"):
        _decide(n, world.personas["charlie"], Decision.NO_ACTION)


def test_an_immediate_measure_needs_afdaekning_an_investigation_or_a_case(world):
    n = assessed(professional_notification(world), world.personas["alice"])
    with pytest.raises(DecisionError) as excinfo:
        _decide(n, world.personas["alice"], Decision.NO_ACTION, immediate_measure=True)
    assert "straksindsats" in _errors(excinfo)["immediate_measure"][0]


def test_an_investigation_needs_an_identified_child(world):
    n = professional_notification(world, child=None, child_name="Ukendt Barnesen")
    assessed(n, world.personas["alice"])
    with pytest.raises(DecisionError) as excinfo:
        _decide(n, world.personas["alice"], Decision.INVESTIGATION)
    assert "ikke identificeret" in _errors(excinfo)["decision"][0]
    assert not Case.objects.filter(opened_on=timezone.localdate()).exists()


def test_no_action_is_allowed_for_an_unidentified_child(world):
    n = professional_notification(world, child=None, child_name="Ukendt Barnesen")
    assessed(n, world.personas["alice"])
    _decide(n, world.personas["alice"], Decision.NO_ACTION)
    assert n.status == NotificationStatus.DECIDED


# --- each decision path -----------------------------------------------------------------------


def test_no_further_action(world):
    alice = world.personas["alice"]
    n = assessed(professional_notification(world), alice)
    cases_before = Case.objects.count()

    _decide(n, alice, Decision.NO_ACTION, early_support=True)

    n.refresh_from_db()
    assert (n.status, n.decision, n.decided_by) == (NotificationStatus.DECIDED, "no_action", alice)
    assert n.decision_reason == REASON and n.early_support and not n.immediate_measure
    assert n.case is None and Case.objects.count() == cases_before
    assert not Letter.objects.filter(template="notification_decision_guardian").exists()
    assert (
        n.events.filter(kind=EventKind.DECIDED).get().note.startswith("Ingen yderligere handling")
    )


def test_afdaekning_with_an_immediate_measure(world):
    n = assessed(professional_notification(world), world.personas["alice"])
    _decide(n, world.personas["alice"], Decision.CLARIFICATION, immediate_measure=True)
    n.refresh_from_db()
    assert n.decision == Decision.CLARIFICATION and n.immediate_measure
    assert not Investigation.objects.filter(case__child=world.anna).exists()
    assert not Letter.objects.filter(template="notification_decision_guardian").exists()
    assert "straksindsats (§ 32)" in n.events.get(kind=EventKind.DECIDED).note


def test_an_investigation_opens_the_case_with_the_due_date_four_months_after_receipt(world, carl):
    alice = world.personas["alice"]
    # received 31 October 2025: 4 calendar months later is 28 February 2026 (no 31 February)
    received = datetime.datetime(2025, 10, 31, 10, 0, tzinfo=COPENHAGEN)
    n = assessed(professional_notification(world, child=carl, received_at=received), alice)

    _decide(n, alice, Decision.INVESTIGATION)

    case = Case.objects.get(child=carl)
    assert (case.team, case.caseworker, case.source) == (
        world.team_a,
        alice,
        CaseSource.NOTIFICATION,
    )
    assert case.opened_on == timezone.localdate() and case.closed_on is None
    assert CaseworkerAssignment.objects.get(case=case).caseworker == alice
    investigation = case.investigations.get()
    assert investigation.due_on == datetime.date(2026, 2, 28)
    assert investigation.started_on == timezone.localdate()
    n.refresh_from_db()
    assert n.case == case and n.status == NotificationStatus.DECIDED
    assert "28.02.2026" in n.events.get(kind=EventKind.DECIDED).note


def test_an_investigation_by_the_team_leader_gives_the_case_to_the_assignee(world, carl):
    leader = world.personas["team_leader"]
    n = assessed(professional_notification(world, child=carl), leader)
    _decide(n, leader, Decision.INVESTIGATION)
    assert Case.objects.get(child=carl).caseworker == world.personas["alice"]


def test_an_investigation_reuses_the_childs_open_case(world):
    n = assessed(professional_notification(world), world.personas["bob"])
    cases_before = Case.objects.count()

    _decide(n, world.personas["bob"], Decision.INVESTIGATION)

    n.refresh_from_db()
    assert Case.objects.count() == cases_before
    assert n.case == world.anna_case
    assert world.anna_case.investigations.count() == 1
    world.anna_case.refresh_from_db()
    assert world.anna_case.caseworker == world.personas["alice"]  # the case keeps its caseworker


def test_an_investigation_already_running_on_the_case_is_kept(world):
    running = InvestigationFactory(case=world.anna_case)
    n = assessed(professional_notification(world), world.personas["alice"])
    _decide(n, world.personas["alice"], Decision.INVESTIGATION)
    assert list(world.anna_case.investigations.all()) == [running]


def test_part_of_the_existing_open_case(world):
    n = assessed(professional_notification(world), world.personas["alice"])
    _decide(n, world.personas["alice"], Decision.EXISTING_CASE, immediate_measure=True)
    n.refresh_from_db()
    assert n.case == world.anna_case and n.decision == Decision.EXISTING_CASE
    assert not world.anna_case.investigations.exists()


def test_part_of_the_existing_case_needs_an_open_case(world, carl):
    n = assessed(professional_notification(world, child=carl), world.personas["alice"])
    with pytest.raises(DecisionError) as excinfo:
        _decide(n, world.personas["alice"], Decision.EXISTING_CASE)
    assert "ingen åben sag" in _errors(excinfo)["decision"][0]


def test_forward_to_another_municipality(world):
    n = assessed(
        professional_notification(world, feedback_due_on=datetime.date(2026, 6, 1)),
        world.personas["alice"],
    )
    _decide(n, world.personas["alice"], Decision.FORWARD, forwarded_to="  Aarhus Kommune ")
    n.refresh_from_db()
    assert n.decision == Decision.FORWARD and n.forwarded_to == "Aarhus Kommune"
    assert n.case is None
    # the municipality it goes to decides and answers the notifier: no feedback from us
    assert n.feedback_due_on is None and n.feedback_sent_at is None
    assert not Letter.objects.filter(notification=n).exists()
    assert "Videresendt til Aarhus Kommune" in n.events.get(kind=EventKind.DECIDED).note


@pytest.mark.parametrize(
    ("forwarded_to", "message"),
    [
        ("", "Skriv navnet på den kommune"),
        ("   ", "Skriv navnet på den kommune"),
        ("testkommune", "jeres egen kommune"),
        ("x" * 101, "højst være på 100 tegn"),
    ],
)
def test_forward_needs_another_municipality(world, forwarded_to, message):
    n = assessed(professional_notification(world), world.personas["alice"])
    with pytest.raises(DecisionError) as excinfo:
        _decide(n, world.personas["alice"], Decision.FORWARD, forwarded_to=forwarded_to)
    assert message in _errors(excinfo)["forwarded_to"][0]


def test_forward_is_refused_with_early_support(world):
    n = assessed(professional_notification(world), world.personas["alice"])
    with pytest.raises(DecisionError) as excinfo:
        _decide(
            n, world.personas["alice"], Decision.FORWARD, forwarded_to="Aarhus", early_support=True
        )
    assert "anden kommune" in _errors(excinfo)["early_support"][0]


# --- letters to the custody holders -----------------------------------------------------------


def test_an_investigation_writes_to_each_custody_holder_and_never_names_the_notifier(world, carl):
    n = assessed(professional_notification(world, child=carl), world.personas["alice"])

    _decide(n, world.personas["alice"], Decision.INVESTIGATION)

    letters = Letter.objects.filter(template="notification_decision_guardian").order_by("pk")
    assert [x.recipient_guardian.first_name for x in letters] == ["Mette", "Mads"]
    for letter in letters:
        assert letter.child == carl and letter.notification == n and letter.case == n.case
        assert "børnefaglig undersøgelse" in letter.body_html
        assert "Carl" in letter.body_html
        for trace in (*NOTIFIER_TRACES, "sulten", REASON[:20]):
            assert trace not in letter.body_html, trace
    due = n.case.investigations.get().due_on
    with translation.override("da"):
        assert f"senest den {date_format(due, 'j. F Y')}" in letters[0].body_html
    notes = list(n.events.filter(kind=EventKind.LETTER_SENT).values_list("note", flat=True))
    assert [note.split()[:3] for note in notes] == [
        ["Brev", "til", "Mette"],
        ["Brev", "til", "Mads"],
    ]


def test_an_anonymous_notifier_is_not_named_either(world, carl):
    n = NotificationFactory(
        child=carl,
        reporter_kind=ReporterKind.ANONYMOUS,
        is_anonymous=True,
        team=world.team_a,
        concern="Naboen hører råb om natten.",
    )
    assessed(n, world.personas["alice"])
    _decide(n, world.personas["alice"], Decision.INVESTIGATION)
    for letter in Letter.objects.filter(notification=n):
        assert "Naboen" not in letter.body_html and "anonym" not in letter.body_html.lower()
    assert Letter.objects.filter(notification=n).count() == 2  # custody holders, no feedback


@pytest.mark.parametrize(
    "decision", [Decision.NO_ACTION, Decision.CLARIFICATION, Decision.EXISTING_CASE]
)
def test_no_guardian_letter_where_the_law_does_not_ask_for_one(world, decision):
    n = assessed(professional_notification(world), world.personas["alice"])
    _decide(n, world.personas["alice"], decision)
    assert not Letter.objects.filter(template="notification_decision_guardian").exists()
    assert not n.events.filter(kind=EventKind.LETTER_SENT).exists()


def test_the_guardian_letter_can_be_held_back(world, carl):
    n = assessed(professional_notification(world, child=carl), world.personas["alice"])
    _decide(
        n,
        world.personas["alice"],
        Decision.INVESTIGATION,
        notify_guardians=False,
        reason="Mistanke om overgreb fra en forælder; politiet inddrages først.",
    )
    assert not Letter.objects.filter(template="notification_decision_guardian").exists()
    assert "holdt tilbage" in n.events.get(kind=EventKind.DECIDED).note


def test_a_custody_holder_registered_elsewhere_gets_a_reminder_not_a_letter(world, carl):
    moved = GuardianFactory(municipality=world.other_municipality, first_name="Birgit")
    link_guardian(carl, moved)
    n = assessed(professional_notification(world, child=carl), world.personas["alice"])
    _decide(n, world.personas["alice"], Decision.INVESTIGATION)
    letters = Letter.objects.filter(template="notification_decision_guardian")
    assert sorted(x.recipient_guardian.first_name for x in letters) == ["Mads", "Mette"]
    reminder = n.events.get(kind=EventKind.REMINDER)
    assert "Birgit" in reminder.note and "manuelt" in reminder.note


def test_an_investigation_on_an_untriaged_notification_needs_a_team(world, carl):
    leader = world.personas["team_leader"]
    n = assessed(professional_notification(world, child=carl, team=None), leader)
    with pytest.raises(DecisionError) as excinfo:
        _decide(n, leader, Decision.INVESTIGATION)
    assert "fordeles til et team" in _errors(excinfo)["decision"][0]
    assert not Case.objects.filter(child=carl).exists()


# --- feedback to the professional notifier ----------------------------------------------------


def test_the_professional_gets_feedback_once(world):
    n = assessed(professional_notification(world), world.personas["alice"])
    _decide(n, world.personas["alice"], Decision.INVESTIGATION)

    letter = Letter.objects.get(template="notification_feedback")
    assert letter.recipient_user == world.personas["professional"]
    assert letter.notification == n and letter.child is None and letter.case is None
    n.refresh_from_db()
    assert n.feedback_sent_at is not None
    assert n.events.filter(kind=EventKind.FEEDBACK_SENT).count() == 1

    assert send_feedback(n, acting_user=world.personas["alice"]) is None
    assert send_feedback(n) is None
    assert Letter.objects.filter(template="notification_feedback").count() == 1
    assert n.events.filter(kind=EventKind.FEEDBACK_SENT).count() == 1


def test_the_feedback_tells_only_the_three_facts(world, carl):
    n = assessed(professional_notification(world, child=carl), world.personas["alice"])
    _decide(n, world.personas["alice"], Decision.INVESTIGATION, early_support=True)
    body = Letter.objects.get(template="notification_feedback").body_html
    assert "Vi har sat en børnefaglig undersøgelse i gang." in body
    assert "ikke sat en støttende indsats" in body
    assert "ikke anbragt" in body
    for private in ("Mette", "Mads", "Ulrik", "sulten", REASON[:20], "§ 30", "forebyggende"):
        assert private not in body, private


def test_the_feedback_tells_of_support_and_a_placement_started_since_the_notification(world):
    n = assessed(professional_notification(world), world.personas["alice"])
    InterventionFactory(case=world.anna_case, step=4, start_on=timezone.localdate())
    _decide(n, world.personas["alice"], Decision.EXISTING_CASE, immediate_measure=True)
    body = Letter.objects.get(template="notification_feedback").body_html
    assert "Vi har ikke sat en børnefaglig undersøgelse i gang." in body
    assert "Der er sat støtte i gang" in body
    assert "Barnet er anbragt uden for hjemmet." in body


def test_the_feedback_goes_to_the_unit_when_no_user_notified(world):
    n = assessed(professional_notification(world, reporter_user=None), world.personas["alice"])
    _decide(n, world.personas["alice"], Decision.NO_ACTION)
    letter = Letter.objects.get(template="notification_feedback")
    assert letter.recipient_user is None and letter.recipient_name == "Nordskolen"


@pytest.mark.parametrize(
    ("kind", "anonymous"),
    [(ReporterKind.CITIZEN, False), (ReporterKind.PARENT, False), (ReporterKind.SCHOOL, True)],
)
def test_no_feedback_to_others_than_a_named_professional(world, kind, anonymous):
    n = professional_notification(world, reporter_kind=kind, is_anonymous=anonymous)
    assessed(n, world.personas["alice"])
    _decide(n, world.personas["alice"], Decision.INVESTIGATION)
    assert not Letter.objects.filter(template="notification_feedback").exists()
    with pytest.raises(DecisionError, match="Kun en fagperson"):
        send_feedback(n, acting_user=world.personas["alice"])


def test_feedback_before_a_decision_is_refused(world):
    n = professional_notification(world)
    with pytest.raises(DecisionError, match="beslutning"):
        send_feedback(n, acting_user=world.personas["alice"])
    assert not Letter.objects.exists()


# --- timeline and audit -----------------------------------------------------------------------


def test_the_timeline_is_in_order(world, carl):
    n = assessed(professional_notification(world, child=carl), world.personas["alice"])
    _decide(n, world.personas["alice"], Decision.INVESTIGATION)
    kinds = list(n.events.values_list("kind", flat=True))
    assert kinds == [
        EventKind.ASSESSED,
        EventKind.DECIDED,
        EventKind.LETTER_SENT,
        EventKind.LETTER_SENT,
        EventKind.FEEDBACK_SENT,
    ]


def test_every_step_writes_the_audit_log(world, carl):
    alice = world.personas["alice"]
    start = AuditEvent.objects.count()
    n = assessed(professional_notification(world, child=carl), alice)
    _decide(n, alice, Decision.INVESTIGATION)
    rows = list(AuditEvent.objects.order_by("seq")[start:])
    summary = [(r.action, r.object_type) for r in rows]
    assert summary == [
        (AuditAction.UPDATE, "notifications.notification"),  # the assessment
        (AuditAction.CREATE, "cases.case"),
        (AuditAction.CREATE, "cases.investigation"),
        (AuditAction.UPDATE, "notifications.notification"),  # the decision
        (AuditAction.CREATE, "core.letter"),  # Mette
        (AuditAction.CREATE, "core.letter"),  # Mads
        (AuditAction.CREATE, "core.letter"),  # the feedback
        (AuditAction.SEND, "notifications.notification"),
    ]
    assert {r.actor for r in rows} == {alice}
    assert {r.child_id for r in rows if r.object_type != "core.letter"} == {carl.pk}


# --- concurrency (PostgreSQL: row locks and the one-open-case constraint) ---------------------


def _at_once(*calls) -> tuple[list, list]:
    start = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            start.wait()
            results.append(call())
        except Exception as exc:  # noqa: BLE001 - reported to the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_investigations_at_once_share_one_case(world):
    child = ChildFactory(municipality=world.municipality)
    alice, bob = world.personas["alice"], world.personas["bob"]
    first, second = (
        assessed(professional_notification(world, child=child, reporter_kind="citizen"), user)
        for user in (alice, bob)
    )

    _, errors = _at_once(
        lambda: _decide(first, alice, Decision.INVESTIGATION),
        lambda: _decide(second, bob, Decision.INVESTIGATION),
    )

    assert errors == []
    case = Case.objects.get(child=child)
    assert case.investigations.count() == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.case == second.case == case


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_decisions_on_one_notification_at_once_one_wins(world):
    n = assessed(professional_notification(world, reporter_kind="citizen"), world.personas["alice"])
    results, errors = _at_once(
        lambda: _decide(n, world.personas["alice"], Decision.NO_ACTION),
        lambda: _decide(n, world.personas["bob"], Decision.CLARIFICATION),
    )
    assert len(results) == 1
    assert [type(e) for e in errors] == [DecisionError]
    assert n.events.filter(kind=EventKind.DECIDED).count() == 1
