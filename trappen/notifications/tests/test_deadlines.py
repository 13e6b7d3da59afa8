"""The deadline check: which reminders and escalations are raised when, to whom, and only once."""

from __future__ import annotations

import datetime
import io
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from trappen.core.calendar import COPENHAGEN
from trappen.core.models import AuditEvent, Role, UnitKind
from trappen.core.tests.factories import NotificationFactory, UnitFactory, user_with_role
from trappen.notifications import services
from trappen.notifications.deadlines import check_deadlines
from trappen.notifications.models import (
    AlertLevel,
    DeadlineAlert,
    DeadlineKind,
    EventKind,
    NotificationEvent,
)
from trappen.notifications.tasks import RECHECK_INTERVAL, check_deadlines_task

pytestmark = pytest.mark.django_db

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
R, E = AlertLevel.REMINDER, AlertLevel.ESCALATION
ASSESSMENT, RECEIPT, FEEDBACK = DeadlineKind.ASSESSMENT, DeadlineKind.RECEIPT, DeadlineKind.FEEDBACK


def at(day: int, hour: int = 10, minute: int = 0, month: int = 1) -> datetime.datetime:
    """A moment in January 2030, Copenhagen time (the 16th is a Wednesday)."""
    return datetime.datetime(2030, month, day, hour, minute, tzinfo=COPENHAGEN)


DUE = at(16, 14)  # the 24-hour assessment is due Wednesday 16 January 2030 at 14:00


def assessment(world, **kwargs):
    """A notification in team A, received 24 hours before DUE, nothing done yet."""
    kwargs.setdefault("assigned_to", world.personas["alice"])
    return NotificationFactory(
        child=world.anna,
        team=world.team_a,
        received_at=DUE - datetime.timedelta(hours=24),
        assessment_due_at=DUE,
        **kwargs,
    )


def receipt(world, due_on: datetime.date, **kwargs):
    """An assessed notification from a professional whose receipt is due on `due_on`."""
    kwargs.setdefault("assigned_to", world.personas["alice"])
    return NotificationFactory(
        child=world.anna,
        team=world.team_a,
        received_at=at(10),
        assessment_due_at=at(11),
        assessed_at=at(10, 12),
        receipt_due_on=due_on,
        **kwargs,
    )


def overdue(world, **kwargs):
    """A notification whose assessment was due two days before the real now."""
    now = timezone.now()
    kwargs.setdefault("assigned_to", world.personas["alice"])
    return NotificationFactory(
        child=world.anna,
        team=world.team_a,
        received_at=now - datetime.timedelta(days=3),
        assessment_due_at=now - datetime.timedelta(days=2),
        **kwargs,
    )


def alerts() -> set[tuple]:
    return set(
        DeadlineAlert.objects.values_list(
            "notification_id", "deadline", "level", "recipient__username"
        )
    )


@pytest.fixture(autouse=True)
def named_team_leader(world):
    """Team A's leader, by a username the assertions can name."""
    leader = world.personas["team_leader"]
    leader.username = "team_leader"
    leader.save(update_fields=["username"])


@pytest.fixture
def no_receipt_letter(monkeypatch):
    """The receipt letter cannot be made (the retry changes nothing), so the alerts are raised."""
    calls = []
    monkeypatch.setattr(services, "send_receipt", lambda n, now: calls.append(n))
    return calls


@pytest.fixture
def leaders(world):
    """Team leaders who must never get team A's alerts: team B's and another municipality's."""
    other_team_leader = user_with_role(Role.TEAM_LEADER, world.team_b, username="leader_b")
    team_x = UnitFactory(municipality=world.other_municipality, kind=UnitKind.CASEWORKER_TEAM)
    outsider_leader = user_with_role(Role.TEAM_LEADER, team_x, username="leader_x")
    return other_team_leader, outsider_leader


# --- the 24-hour assessment ---


def test_nothing_is_raised_before_the_reminder_window(world, leaders):
    assessment(world)
    summary = check_deadlines(now=DUE - datetime.timedelta(hours=4, seconds=1))
    assert (summary.reminders, summary.escalations) == (0, 0)
    assert alerts() == set()


def test_inside_the_window_the_caseworker_is_reminded(world, leaders):
    n = assessment(world)
    summary = check_deadlines(now=DUE - datetime.timedelta(hours=4))
    assert alerts() == {(n.pk, ASSESSMENT, R, "alice")}
    assert summary.raised == {(ASSESSMENT, R): 1}
    alert = DeadlineAlert.objects.get()
    assert alert.due_at == DUE and alert.created_at == DUE - datetime.timedelta(hours=4)
    event = NotificationEvent.objects.get(notification=n)
    assert (event.kind, event.actor_id) == (EventKind.REMINDER, None)
    assert "16.01.2030 kl. 14:00" in event.note and str(world.personas["alice"]) in event.note
    logged = AuditEvent.objects.get(object_type="notifications.deadlinealert")
    assert (logged.actor_id, logged.action, logged.object_id) == (None, "create", str(alert.pk))
    assert (logged.child_id, logged.municipality_id) == (world.anna.pk, world.municipality.pk)


def test_after_the_deadline_it_escalates_to_the_team_leader_and_only_them(world, leaders):
    n = assessment(world)
    check_deadlines(now=DUE - datetime.timedelta(hours=1))
    summary = check_deadlines(now=DUE)
    assert summary.raised == {(ASSESSMENT, E): 1}
    assert alerts() == {(n.pk, ASSESSMENT, R, "alice"), (n.pk, ASSESSMENT, E, "team_leader")}
    assert NotificationEvent.objects.filter(notification=n, kind=EventKind.ESCALATED).count() == 1


def test_a_late_first_run_escalates_without_a_reminder(world):
    n = assessment(world)
    check_deadlines(now=DUE + datetime.timedelta(days=2))
    assert alerts() == {(n.pk, ASSESSMENT, E, "team_leader")}


def test_running_twice_raises_nothing_new(world):
    assessment(world)
    assessment(world, assigned_to=None)
    first = check_deadlines(now=DUE + datetime.timedelta(minutes=1))
    counts = (
        DeadlineAlert.objects.count(),
        NotificationEvent.objects.count(),
        AuditEvent.objects.count(),
    )
    second = check_deadlines(now=DUE + datetime.timedelta(minutes=11))
    assert first.escalations == 2 and (second.reminders, second.escalations) == (0, 0)
    assert counts == (
        DeadlineAlert.objects.count(),
        NotificationEvent.objects.count(),
        AuditEvent.objects.count(),
    )


def test_a_met_deadline_raises_nothing(world, no_receipt_letter):
    assessment(world, assessed_at=DUE - datetime.timedelta(hours=5))
    receipt(world, datetime.date(2030, 1, 14), receipt_sent_at=at(13))
    NotificationFactory(
        child=world.anna,
        received_at=at(1),
        assessment_due_at=at(2),
        assessed_at=at(1, 12),
        feedback_due_on=datetime.date(2030, 1, 15),
        feedback_sent_at=at(14),
    )
    summary = check_deadlines(now=DUE + datetime.timedelta(days=3))
    assert (summary.reminders, summary.escalations, summary.receipts_retried) == (0, 0, 0)
    assert alerts() == set() and no_receipt_letter == []


def test_a_new_caseworker_is_reminded_too(world):
    n = assessment(world)
    check_deadlines(now=DUE - datetime.timedelta(hours=3))
    n.assigned_to = world.personas["bob"]
    n.save(update_fields=["assigned_to"])
    check_deadlines(now=DUE - datetime.timedelta(hours=2))
    assert alerts() == {(n.pk, ASSESSMENT, R, "alice"), (n.pk, ASSESSMENT, R, "bob")}


def test_an_unassigned_notification_reminds_the_team_leader(world, leaders):
    """Nobody owns it, so the leader who distributes the team's work is reminded."""
    n = assessment(world, assigned_to=None)
    check_deadlines(now=DUE - datetime.timedelta(hours=2))
    assert alerts() == {(n.pk, ASSESSMENT, R, "team_leader")}


def test_a_caseworker_who_left_counts_as_nobody(world):
    alice = world.personas["alice"]
    n = assessment(world)
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    check_deadlines(now=DUE - datetime.timedelta(hours=2))
    assert alerts() == {(n.pk, ASSESSMENT, R, "team_leader")}


def test_without_a_team_every_team_leader_of_the_municipality_is_told(world, leaders):
    n = NotificationFactory(child=world.anna, received_at=DUE - datetime.timedelta(hours=24))
    check_deadlines(now=DUE)
    assert alerts() == {(n.pk, ASSESSMENT, E, "team_leader"), (n.pk, ASSESSMENT, E, "leader_b")}


def test_another_municipalitys_deadline_alerts_only_its_own_leader(world, leaders):
    n = NotificationFactory(child=world.xena, received_at=DUE - datetime.timedelta(hours=24))
    check_deadlines(now=DUE)
    assert alerts() == {(n.pk, ASSESSMENT, E, "leader_x")}


def test_the_check_can_be_limited_to_one_municipality(world, leaders):
    NotificationFactory(child=world.xena, received_at=DUE - datetime.timedelta(hours=24))
    n = assessment(world)
    check_deadlines(now=DUE, municipality=world.municipality)
    assert alerts() == {(n.pk, ASSESSMENT, E, "team_leader")}


# --- the receipt and the feedback to a professional notifier (dates, working days) ---


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(17, 23, 59), set()),  # Thursday: Friday and Monday are still ahead
        (at(18, 8), {R}),  # Friday, the working day before Monday's deadline
        (at(20, 12), {R}),  # the weekend in between
        (at(21, 23, 59), {R}),  # the last day itself
        (at(22, 0, 0), {E}),  # Tuesday: breached
    ],
)
def test_receipt_reminder_on_the_working_day_before(world, no_receipt_letter, now, expected):
    n = receipt(world, datetime.date(2030, 1, 21))  # Monday
    check_deadlines(now=now)
    levels = {level for _, kind, level, _ in alerts() if kind == RECEIPT}
    assert levels == expected
    recipients = {(level, user) for _, _, level, user in alerts()}
    assert recipients <= {(R, "alice"), (E, "team_leader")}
    assert [c.pk for c in no_receipt_letter] == ([n.pk] if expected else [])


def test_a_municipal_closing_day_moves_the_receipt_reminder(world, no_receipt_letter):
    world.municipality.closing_days.create(date=datetime.date(2030, 1, 18), reason="Lukkedag")
    receipt(world, datetime.date(2030, 1, 21))
    check_deadlines(now=at(17, 9))  # Friday is closed: Thursday is the working day before
    assert {level for _, _, level, _ in alerts()} == {R}


@pytest.mark.parametrize(("day", "raised"), [(17, False), (18, True)])
def test_feedback_reminder_ten_working_days_before(world, day, raised):
    n = NotificationFactory(
        child=world.anna,
        team=world.team_a,
        assigned_to=world.personas["bob"],
        received_at=at(2),
        assessment_due_at=at(3),
        assessed_at=at(2, 12),
        feedback_due_on=datetime.date(2030, 2, 1),  # a Friday, 10 working days after the 18th
    )
    check_deadlines(now=at(day))
    assert alerts() == ({(n.pk, FEEDBACK, R, "bob")} if raised else set())


def test_a_receipt_never_made_is_made_by_the_check_and_not_alerted(world):
    pro = world.personas["professional"]
    n = receipt(world, datetime.date(2030, 1, 21), reporter_user=pro, reporter_unit=world.school_a)
    summary = check_deadlines(now=at(18, 8))
    assert (summary.receipts_retried, summary.receipts_sent, summary.receipts_failed) == (1, 1, 0)
    n.refresh_from_db()
    assert n.receipt_sent_at == at(18, 8) and alerts() == set()
    letter = n.letters.get()
    assert letter.recipient_user == pro
    assert n.events.filter(kind=EventKind.RECEIPT_SENT).count() == 1
    again = check_deadlines(now=at(18, 9))  # sent: no longer open, so no second letter
    assert again.receipts_retried == 0 and n.letters.count() == 1


def test_a_receipt_without_anyone_to_send_it_to_is_alerted(world):
    n = receipt(world, datetime.date(2030, 1, 21))  # no reporter user, unit or name
    summary = check_deadlines(now=at(18, 8))
    assert (summary.receipts_retried, summary.receipts_sent, summary.receipts_failed) == (1, 0, 0)
    assert alerts() == {(n.pk, RECEIPT, R, "alice")}


def test_a_failing_receipt_retry_does_not_stop_the_check(world, monkeypatch):
    def send_receipt(notification, now):
        raise RuntimeError("no channel")

    monkeypatch.setattr(services, "send_receipt", send_receipt)
    n = receipt(world, datetime.date(2030, 1, 21))
    summary = check_deadlines(now=at(22, 9))
    assert (summary.receipts_retried, summary.receipts_failed) == (1, 1)
    assert alerts() == {(n.pk, RECEIPT, E, "team_leader")}


# --- query count ---


def _queries_for(world, count: int) -> int:
    for _ in range(count):
        assessment(world)
        assessment(world, assigned_to=None)
        receipt(world, datetime.date(2030, 1, 14))
        NotificationFactory(
            child=world.anna,
            received_at=at(2),
            assessment_due_at=at(3),
            assessed_at=at(2, 12),
            feedback_due_on=datetime.date(2030, 1, 17),
        )
    with CaptureQueriesContext(connection) as context:
        check_deadlines(now=DUE + datetime.timedelta(hours=1))
    DeadlineAlert.objects.all().delete()
    return len(context.captured_queries)


def test_the_query_count_does_not_grow_with_the_notifications(world, no_receipt_letter):
    _queries_for(world, 1)  # warm up: the calendar cache and the audit chain head
    few = _queries_for(world, 1)
    many = _queries_for(world, 5)
    assert few == many
    assert many <= 20


# --- the command ---


def test_the_command_prints_a_danish_summary(world, no_receipt_letter):
    overdue(world)
    out = io.StringIO()
    call_command("deadlines", stdout=out)
    assert out.getvalue() == (
        "Fristkontrol: 0 nye påmindelser og 1 ny overskredet frist sendt til teamleder.\n"
    )
    out = io.StringIO()
    call_command("deadlines", stdout=out)
    assert out.getvalue().startswith("Fristkontrol: 0 nye påmindelser og 0 nye overskredne")


def test_the_command_fails_when_a_receipt_cannot_be_sent(world, monkeypatch):
    def send_receipt(notification, now):
        raise RuntimeError("no channel")

    monkeypatch.setattr(services, "send_receipt", send_receipt)
    receipt(world, timezone.localdate() - datetime.timedelta(days=10))
    out = io.StringIO()
    with pytest.raises(CommandError, match="kvitteringer kunne ikke sendes"):
        call_command("deadlines", stdout=out)
    assert "Kvitteringer forsøgt sendt igen: 1 (sendt: 0, fejlede: 1)." in out.getvalue()


def test_the_command_exits_non_zero_on_an_unknown_municipality(world):
    with pytest.raises(CommandError, match="findes ikke"):
        call_command("deadlines", "--municipality", "atlantis")


def test_the_command_limits_to_one_municipality(world, leaders):
    NotificationFactory(child=world.xena, received_at=timezone.now() - datetime.timedelta(days=2))
    overdue(world)
    call_command("deadlines", "--municipality", "andenkommune", stdout=io.StringIO())
    assert {user for *_, user in alerts()} == {"leader_x"}


def test_schedule_needs_a_queue_that_can_wait(world):
    with pytest.raises(CommandError, match="kan ikke udskyde"):
        call_command("deadlines", "--schedule")


# --- the recurring task ---


def _queued() -> list[DBTaskResult]:
    return list(
        DBTaskResult.objects.filter(
            task_path=check_deadlines_task.module_path, status=TaskResultStatus.READY
        )
    )


@override_settings(TASKS=DB_QUEUE)
def test_schedule_queues_one_chain_only(world):
    out = io.StringIO()
    call_command("deadlines", "--schedule", stdout=out)
    call_command("deadlines", "--schedule", stdout=out)
    assert len(_queued()) == 1
    assert out.getvalue().splitlines() == [
        "Fristkontrollen er sat i kø og kører hvert 10. minut.",
        "Fristkontrollen er allerede sat i kø; der er ikke lagt en ny.",
    ]


@override_settings(TASKS=DB_QUEUE)
def test_the_task_checks_and_queues_itself_once(world):
    n = overdue(world)
    result = check_deadlines_task.call()
    assert result["escalations"] == 1 and alerts() == {(n.pk, ASSESSMENT, E, "team_leader")}
    [next_run] = _queued()
    wait = next_run.run_after - next_run.enqueued_at
    assert RECHECK_INTERVAL - datetime.timedelta(seconds=5) < wait <= RECHECK_INTERVAL
    check_deadlines_task.call()  # a second run finds its successor queued: no second chain
    assert _queued() == [next_run]


@pytest.mark.django_db(transaction=True)  # the worker closes the connection between tasks
@override_settings(TASKS=DB_QUEUE)
def test_the_worker_runs_the_check_and_the_chain_goes_on(world):
    n = overdue(world)
    call_command("deadlines", "--schedule", stdout=io.StringIO())
    [first] = _queued()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    first.refresh_from_db()
    assert first.status == TaskResultStatus.SUCCESSFUL
    assert alerts() == {(n.pk, ASSESSMENT, E, "team_leader")}
    [successor] = _queued()
    assert successor.pk != first.pk and successor.run_after > first.finished_at


def test_the_immediate_backend_runs_the_task_without_queuing_another(world):
    overdue(world)
    result = check_deadlines_task.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value["escalations"] == 1
    assert not DBTaskResult.objects.exists()


# --- marking an alert seen ---


def _alert_for(world, persona: str) -> DeadlineAlert:
    n = assessment(world)
    return DeadlineAlert.objects.create(
        notification=n,
        deadline=ASSESSMENT,
        level=R,
        recipient=world.personas[persona],
        due_at=DUE,
        created_at=DUE - datetime.timedelta(hours=4),
    )


def test_the_recipient_marks_an_alert_seen(world, client):
    alert = _alert_for(world, "alice")
    client.force_login(world.personas["alice"])
    url = reverse("notifications:alert_seen", kwargs={"alert_id": alert.pk})
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    alert.refresh_from_db()
    seen = alert.seen_at
    assert seen is not None
    logged = AuditEvent.objects.get(object_type="notifications.deadlinealert")
    assert (logged.actor_id, logged.action) == (world.personas["alice"].pk, "update")
    assert client.post(url).status_code == 302  # again: nothing changes
    alert.refresh_from_db()
    assert alert.seen_at == seen
    assert AuditEvent.objects.filter(object_type="notifications.deadlinealert").count() == 1


@pytest.mark.parametrize("persona", ["bob", "team_leader", "outsider", "parent"])
def test_nobody_else_can_mark_it_seen(world, client, persona):
    alert = _alert_for(world, "alice")
    client.force_login(world.personas[persona])
    response = client.post(reverse("notifications:alert_seen", kwargs={"alert_id": alert.pk}))
    assert response.status_code == 404
    alert.refresh_from_db()
    assert alert.seen_at is None


def test_marking_seen_is_post_only_and_missing_alerts_are_404(world, client):
    alert = _alert_for(world, "alice")
    client.force_login(world.personas["alice"])
    url = reverse("notifications:alert_seen", kwargs={"alert_id": alert.pk})
    assert client.get(url).status_code == 405
    for missing in (alert.pk + 1000, 2**63 + 5):
        assert client.post(f"/underretninger/paamindelser/{missing}/set/").status_code == 404


# --- two checks at once (PostgreSQL: row locks) ---


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_concurrent_checks_raise_each_alert_once(world):
    for _ in range(5):
        assessment(world)
        assessment(world, assigned_to=None)
    start, errors = threading.Barrier(4), []

    def run():
        try:
            start.wait()
            check_deadlines(now=DUE + datetime.timedelta(minutes=1))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert DeadlineAlert.objects.count() == 10
    assert NotificationEvent.objects.filter(kind=EventKind.ESCALATED).count() == 10
    assert AuditEvent.objects.filter(object_type="notifications.deadlinealert").count() == 10
