"""The team's inbox: who sees what, filters and order, bulk assignment, "Tag sagen", the page."""

from __future__ import annotations

import datetime
import threading
import time

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, connections
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trappen.core import calendar
from trappen.core.models import AuditAction, AuditEvent, Role, User
from trappen.core.tests.factories import ChildFactory, NotificationFactory
from trappen.notifications import triage
from trappen.notifications.models import EventKind, NotificationEvent, NotificationStatus
from trappen.notifications.triage import ClockState, InboxFilters, time_left

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2025, 3, 12, 10, 0, tzinfo=calendar.COPENHAGEN)
H = datetime.timedelta(hours=1)
INBOX = "notifications:inbox"


def make(world, team="a", **kwargs):
    """A notification in team A (or B, or None: untriaged), about a new child unless told."""
    kwargs.setdefault("child", ChildFactory(municipality=world.municipality))
    kwargs.setdefault("received_at", timezone.now() - 2 * H)
    teams = {"a": world.team_a, "b": world.team_b, None: None}
    return NotificationFactory(municipality=world.municipality, team=teams[team], **kwargs)


def ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def inbox_ids(user, now=None, **filters) -> list[int]:
    return list(triage.inbox(user, InboxFilters(**filters), now=now).values_list("pk", flat=True))


# --- who sees what ---


def test_caseworkers_see_their_teams_and_what_is_assigned_to_them(world):
    p = world.personas
    in_a, in_b = make(world, "a"), make(world, "b")
    b_for_alice = make(world, "b", assigned_to=p["alice"])
    untriaged = make(world, None)
    assert ids(triage.visible_notifications(p["alice"])) == {in_a.pk, b_for_alice.pk}
    assert ids(triage.visible_notifications(p["bob"])) == {in_a.pk}
    assert ids(triage.visible_notifications(p["charlie"])) == {in_b.pk, b_for_alice.pk}
    assert ids(triage.visible_notifications(p["team_leader"])) == {in_a.pk, untriaged.pk}


@pytest.mark.parametrize(
    "persona", ["professional", "outreach", "provider", "analyst", "parent", "outsider"]
)
def test_everyone_else_sees_none(world, persona):
    make(world, "a", reporter_user=world.personas["professional"])
    make(world, None)
    assert not triage.visible_notifications(world.personas[persona]).exists()


# --- filters: each names exactly its rows ---


def test_the_inbox_leaves_decided_notifications_out_unless_asked(world):
    alice = world.personas["alice"]
    open_ = make(world, status=NotificationStatus.ASSESSED, assessed_at=timezone.now())
    decided = make(world, status=NotificationStatus.DECIDED, assessed_at=timezone.now())
    assert inbox_ids(alice) == [open_.pk]
    assert set(inbox_ids(alice, include_decided=True)) == {open_.pk, decided.pk}


def test_filter_new(world):
    new = make(world)
    make(world, status=NotificationStatus.ASSESSED, assessed_at=timezone.now())
    assert inbox_ids(world.personas["alice"], new=True) == [new.pk]


def test_filter_mine(world):
    p = world.personas
    mine = make(world, assigned_to=p["alice"])
    make(world, assigned_to=p["bob"])
    make(world)
    assert inbox_ids(p["alice"], mine=True) == [mine.pk]
    assert inbox_ids(p["team_leader"], mine=True) == []


def test_filter_breached_names_every_kind_of_missed_deadline(world):
    now = timezone.now()
    today = timezone.localdate(now)
    day = datetime.timedelta(days=1)
    late = {
        "assessment overdue": make(world, received_at=now - 30 * H),
        "assessed too late": make(
            world, received_at=now - 40 * H, assessed_at=now - 10 * H, status="assessed"
        ),
        "receipt overdue": make(world, receipt_due_on=today - day),
        "receipt sent late": make(
            world, receipt_due_on=today - 3 * day, receipt_sent_at=now - 1 * day
        ),
        "feedback overdue": make(world, feedback_due_on=today - day),
    }
    on_time = [
        make(world, received_at=now - 20 * H),
        make(world, received_at=now - 40 * H, assessed_at=now - 30 * H, status="assessed"),
        make(world, receipt_due_on=today),  # the last day is not over yet
        make(world, receipt_due_on=today - day, receipt_sent_at=now - 3 * day),
        make(world, feedback_due_on=today - day, feedback_sent_at=now - 2 * day),
    ]
    found = set(inbox_ids(world.personas["alice"], now=now, breached=True))
    assert found == {n.pk for n in late.values()}
    assert not found & {n.pk for n in on_time}


def test_filter_repeat(world):
    repeat = make(world, is_repeat=True)
    make(world)
    assert inbox_ids(world.personas["alice"], repeat=True) == [repeat.pk]


def test_filter_acute_is_the_notifiers_word_or_danger_found(world):
    said = make(world, acute=True)
    found = make(world, danger=True, assessed_at=timezone.now(), status="assessed")
    make(world, danger=False, assessed_at=timezone.now(), status="assessed")
    make(world)
    assert set(inbox_ids(world.personas["alice"], acute=True)) == {said.pk, found.pk}


def test_filters_combine(world):
    both = make(world, acute=True)
    make(world, acute=True, status="assessed", assessed_at=timezone.now())
    make(world)
    assert inbox_ids(world.personas["alice"], new=True, acute=True) == [both.pk]


def test_filter_parameters_parse_plainly():
    query = {"ny": "1", "mine": "on", "akut": "nej", "gentagen": "", "overskredet": "true"}
    assert InboxFilters.from_query(query) == InboxFilters(new=True, mine=True, breached=True)
    assert InboxFilters(new=True, acute=True).as_params() == {"ny": "1", "akut": "1"}


# --- order ---


def test_awaiting_assessment_first_by_deadline_then_receipt_deadline(world):
    now = timezone.now()
    today = timezone.localdate(now)
    assessed = make(world, received_at=now - 50 * H, assessed_at=now - 40 * H, status="assessed")
    later = make(world, received_at=now - 1 * H)
    sooner = make(world, received_at=now - 5 * H)
    same_time = now - 3 * H
    tie_no_receipt = make(world, received_at=same_time)
    tie_late_receipt = make(
        world, received_at=same_time, receipt_due_on=today + datetime.timedelta(days=2)
    )
    tie_early_receipt = make(
        world, received_at=same_time, receipt_due_on=today - datetime.timedelta(days=1)
    )
    assert inbox_ids(world.personas["alice"]) == [
        sooner.pk,
        tie_early_receipt.pk,
        tie_late_receipt.pk,
        tie_no_receipt.pk,
        later.pk,
        assessed.pk,
    ]


# --- the count-down ---


@pytest.mark.parametrize(
    ("delta", "text", "state"),
    [
        (3 * H + datetime.timedelta(minutes=20, seconds=59), "om 3 t 20 min", ClockState.SOON),
        (5 * H, "om 5 t", ClockState.OK),
        (4 * H, "om 4 t", ClockState.SOON),
        (datetime.timedelta(minutes=45), "om 45 min", ClockState.SOON),
        (datetime.timedelta(seconds=30), "om under 1 min", ClockState.SOON),
        (-2 * H, "overskredet med 2 t", ClockState.BREACHED),
        (-(26 * H + datetime.timedelta(minutes=5)), "overskredet med 26 t 5 min", "breached"),
        (-datetime.timedelta(days=3, hours=2), "overskredet med 3 dage", ClockState.BREACHED),
        (datetime.timedelta(days=5), "om 5 dage", ClockState.OK),
    ],
)
def test_time_left(delta, text, state):
    result = time_left(NOW + delta, NOW)
    assert (result.text, result.state) == (text, state)
    assert result.due == NOW + delta


def test_time_left_badges_and_a_wider_soon():
    assert time_left(NOW + 5 * H, NOW).badge == "badge-info"
    assert time_left(NOW + H, NOW).badge == "badge-warning"
    assert time_left(NOW - H, NOW).badge == "badge-error"
    assert time_left(NOW + 20 * H, NOW, soon=datetime.timedelta(days=1)).state == "soon"


def test_a_receipt_deadline_lasts_to_the_end_of_its_day():
    end = triage.end_of_day(datetime.date(2025, 3, 12))
    assert end == datetime.datetime(2025, 3, 13, 0, 0, tzinfo=calendar.COPENHAGEN)
    assert time_left(end, NOW).text == "om 14 t"


# --- bulk assignment ---


def test_bulk_assignment_of_many_rows_costs_a_fixed_number_of_queries(world):
    p = world.personas
    few = [make(world).pk for _ in range(3)]
    many = [make(world).pk for _ in range(60)]
    leader = p["team_leader"]
    with CaptureQueriesContext(connection) as q_few:
        assert triage.assign(few, p["bob"], acting_user=User.objects.get(pk=leader.pk)) == 3
    with CaptureQueriesContext(connection) as q_many:
        assert triage.assign(many, p["bob"], acting_user=User.objects.get(pk=leader.pk)) == 60
    assert len(q_many) == len(q_few)
    assigned = triage.visible_notifications(p["bob"]).filter(assigned_to=p["bob"])
    assert ids(assigned) == set(few + many)
    events = NotificationEvent.objects.filter(kind=EventKind.ASSIGNED, notification_id__in=many)
    assert events.count() == 60
    assert {e.actor_id for e in events} == {p["team_leader"].pk}
    audit_rows = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id__in=map(str, many))
    assert audit_rows.count() == 60
    assert set(audit_rows.values_list("role", flat=True)) == {Role.TEAM_LEADER}


def test_assignment_audit_rows_name_the_child(world):
    n = make(world, child=world.anna)
    triage.assign([n.pk], world.personas["alice"], acting_user=world.personas["bob"])
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_id=str(n.pk))
    assert event.child_id == world.anna.pk
    assert event.object_type == "notifications.notification"


def test_assigning_to_a_caseworker_of_another_team_is_refused_and_changes_nothing(world):
    p = world.personas
    rows = [make(world).pk for _ in range(3)]
    with pytest.raises(triage.AssignmentRefused, match="er ikke rådgiver i teamet"):
        triage.assign(rows, p["charlie"], acting_user=p["team_leader"])
    assert not triage.visible_notifications(p["alice"]).filter(assigned_to__isnull=False).exists()
    assert not NotificationEvent.objects.filter(kind=EventKind.ASSIGNED).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.UPDATE).exists()


def test_assigning_rows_of_another_team_is_refused(world):
    p = world.personas
    mine, theirs = make(world, "a"), make(world, "b")
    with pytest.raises(triage.AssignmentRefused, match="findes ikke"):
        triage.assign([mine.pk, theirs.pk], p["bob"], acting_user=p["alice"])
    mine.refresh_from_db()
    assert mine.assigned_to_id is None


def test_assigning_nothing_or_as_an_outsider_is_refused(world):
    p = world.personas
    with pytest.raises(triage.AssignmentRefused):
        triage.assign([], p["bob"], acting_user=p["alice"])
    with pytest.raises(PermissionDenied):
        triage.assign([make(world).pk], p["bob"], acting_user=p["professional"])
    with pytest.raises(triage.AssignmentRefused):
        triage.assign([make(world).pk], p["bob"], acting_user=p["outsider"])


def test_rows_already_with_the_caseworker_are_left_alone(world):
    p = world.personas
    held = make(world, assigned_to=p["bob"], assigned_at=timezone.now() - 5 * H)
    free = make(world)
    assert triage.assign([held.pk, free.pk], p["bob"], acting_user=p["alice"]) == 1
    held.refresh_from_db()
    assert held.assigned_at < timezone.now() - 4 * H
    assert NotificationEvent.objects.filter(kind=EventKind.ASSIGNED).count() == 1


def test_a_team_leader_assigns_an_untriaged_notification_into_the_caseworkers_team(world):
    p = world.personas
    untriaged = make(world, None)
    triage.assign([untriaged.pk], p["alice"], acting_user=p["team_leader"])
    untriaged.refresh_from_db()
    assert (untriaged.team_id, untriaged.assigned_to_id) == (world.team_a.pk, p["alice"].pk)
    with pytest.raises(triage.AssignmentRefused, match="team, du er leder af"):
        triage.assign([make(world, None).pk], p["charlie"], acting_user=p["team_leader"])


# --- claiming ("Tag sagen") ---


def test_claim(world):
    p = world.personas
    n = make(world)
    assert triage.claim(n.pk, acting_user=p["alice"]) is True
    assert triage.claim(n.pk, acting_user=p["bob"]) is False
    assert triage.claim(n.pk, acting_user=p["alice"]) is True  # already hers: nothing changes
    n.refresh_from_db()
    assert n.assigned_to_id == p["alice"].pk
    assert NotificationEvent.objects.filter(notification=n, kind=EventKind.ASSIGNED).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(n.pk)).count() == 1


def test_claim_is_for_caseworkers_of_the_team(world):
    p = world.personas
    n = make(world)
    with pytest.raises(Http404):
        triage.claim(n.pk, acting_user=p["charlie"])
    with pytest.raises(Http404):
        triage.claim(n.pk, acting_user=p["outsider"])
    with pytest.raises(PermissionDenied):
        triage.claim(n.pk, acting_user=p["team_leader"])
    with pytest.raises(Http404):
        triage.claim(10**15, acting_user=p["alice"])


def test_the_loser_of_a_claim_is_told_who_won(world, client):
    p = world.personas
    n = make(world)
    triage.claim(n.pk, acting_user=p["alice"])
    client.force_login(p["bob"])
    response = client.post(reverse("notifications:claim", args=[n.pk]), follow=True)
    text = response.content.decode()
    assert f"Underretningen er allerede taget af {p['alice']}" in text
    n.refresh_from_db()
    assert n.assigned_to_id == p["alice"].pk


# --- the page ---


def test_the_page_shows_a_row_as_the_caseworker_needs_it(world, client):
    p = world.personas
    now = timezone.now()
    make(
        world,
        child=world.anna,
        received_at=now - 20 * H - datetime.timedelta(minutes=40),
        level=4,
        acute=True,
        is_repeat=True,
        reporter_kind="daycare",
        receipt_due_on=timezone.localdate(now) + datetime.timedelta(days=8),
    )
    client.force_login(p["alice"])
    text = client.get(reverse(INBOX)).content.decode()
    assert "Anna" in text
    assert "Dagtilbud" in text
    assert "4 Udsat" in text
    assert ">Akut<" in text
    assert "Gentagen" in text
    assert "om 3 t 19 min" in text or "om 3 t 20 min" in text
    assert "om 8 dage" in text
    assert "Tag sagen" in text
    assert world.anna.cpr not in text


def test_an_unmatched_child_is_described_never_numbered(world, client):
    make(world, child=None, child_name="Mira Hansen", child_birth_date=datetime.date(2019, 2, 1))
    client.force_login(world.personas["alice"])
    text = client.get(reverse(INBOX)).content.decode()
    assert "Ukendt barn: Mira Hansen, født 1.2.2019" in text


def test_no_receipt_countdown_for_a_citizen_notifier(world):
    n = make(world, reporter_kind="parent", receipt_due_on=None)
    row = triage.inbox_row(n, timezone.now(), set())
    assert (row.gets_receipt, row.receipt) == (False, None)


def test_rows_link_to_the_detail_page_and_repeats_to_its_history(world, client):
    n = make(world, is_repeat=True)
    client.force_login(world.personas["alice"])
    text = client.get(reverse(INBOX)).content.decode()
    detail = reverse("notifications:detail", kwargs={"notification_id": n.pk})
    assert f'href="{detail}"' in text
    assert f'href="{detail}#historik"' in text


def test_htmx_gets_the_table_alone_and_a_browser_the_whole_page(world, client):
    make(world, child=world.anna)
    client.force_login(world.personas["alice"])
    full = client.get(reverse(INBOX))
    partial = client.get(reverse(INBOX), {"ny": "1"}, headers={"HX-Request": "true"})
    restore = client.get(
        reverse(INBOX), headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert b"<html" in full.content and b'id="inbox-filters"' in full.content
    assert b"<html" not in partial.content and b'id="inbox-filters"' not in partial.content
    assert partial.content.lstrip().startswith(b'<div id="inbox-table">')
    assert b"Anna" in partial.content
    assert b"<html" in restore.content
    assert "HX-Request" in full["Vary"]
    assert full["Cache-Control"] == "no-store"


def test_the_page_holds_50_rows_and_pages_on(world, client):
    for _ in range(53):
        make(world)
    client.force_login(world.personas["alice"])
    first = client.get(reverse(INBOX), {"ny": "1"})
    assert len(first.context["rows"]) == 50
    assert 'href="/underretninger/?ny=1&amp;side=2"' in first.content.decode()
    second = client.get(reverse(INBOX), {"ny": "1", "side": "2"})
    assert len(second.context["rows"]) == 3


def test_the_page_query_count_is_pinned_and_flat(world, client, django_assert_max_num_queries):
    p = world.personas
    for i in range(3):
        make(world, assigned_to=p["bob"] if i % 2 else None)
    client.force_login(p["alice"])
    url = reverse(INBOX)
    client.get(url)  # warm up (sessions, content types)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(60):
        make(world, child=None if i % 3 else world.anna, assigned_to=p["bob"] if i % 2 else None)
    with django_assert_max_num_queries(15):
        response = client.get(url)
    assert len(response.context["rows"]) == 50
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_reading_the_list_logs_one_event_per_row_shown(world, client):
    shown = [make(world, child=world.anna) for _ in range(52)]
    client.force_login(world.personas["alice"])
    before = AuditEvent.objects.count()
    client.get(reverse(INBOX))
    events = AuditEvent.objects.filter(seq__gt=before, action=AuditAction.VIEW)
    assert events.count() == 50
    assert set(events.values_list("purpose", flat=True)) == {"Underretningsliste"}
    assert set(events.values_list("child_id", flat=True)) == {world.anna.pk}
    assert set(events.values_list("object_id", flat=True)) <= {str(n.pk) for n in shown}


def test_bulk_assign_through_the_page_without_javascript(world, client):
    p = world.personas
    rows = [make(world) for _ in range(4)]
    client.force_login(p["team_leader"])
    response = client.post(
        reverse("notifications:assign"),
        {"ids": [n.pk for n in rows[:3]], "caseworker": p["bob"].pk, "ny": "1", "side": "1"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/underretninger/?ny=1"
    assert ids(triage.visible_notifications(p["bob"]).filter(assigned_to=p["bob"])) == {
        n.pk for n in rows[:3]
    }
    page = client.get(response["Location"]).content.decode()
    assert f"3 underretninger er fordelt til {p['bob']}." in page


def test_bulk_assign_with_htmx_answers_the_refreshed_table(world, client):
    p = world.personas
    n = make(world)
    client.force_login(p["alice"])
    response = client.post(
        reverse("notifications:assign"),
        {"ids": [n.pk], "caseworker": p["bob"].pk},
        headers={"HX-Request": "true"},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert text.lstrip().startswith('<div id="inbox-table">')
    assert f"1 underretning er fordelt til {p['bob']}." in text
    assert str(p["bob"]) in text


def test_assign_to_someone_outside_the_users_teams_is_refused_in_danish(world, client):
    p = world.personas
    n = make(world)
    client.force_login(p["alice"])
    response = client.post(
        reverse("notifications:assign"),
        {"ids": [n.pk], "caseworker": p["charlie"].pk},
        follow=True,
    )
    assert "Vælg en rådgiver fra listen." in response.content.decode()
    n.refresh_from_db()
    assert n.assigned_to_id is None


def test_claim_through_the_page_with_htmx(world, client):
    n = make(world)
    client.force_login(world.personas["bob"])
    response = client.post(
        reverse("notifications:claim", args=[n.pk]), {"akut": "1"}, headers={"HX-Request": "true"}
    )
    assert "Underretningen er nu fordelt til dig." in response.content.decode()
    assert response.context["filters"] == InboxFilters(acute=True)
    n.refresh_from_db()
    assert n.assigned_to_id == world.personas["bob"].pk


# --- bad input never answers 500 ---

ANY_TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "1", "-1", "0", "99999999999999999999999", "1.5", "\x00", "<b>"]),
)
FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(params=st.dictionaries(st.sampled_from(["ny", "mine", "akut", "side", "x"]), ANY_TEXT))
def test_any_filter_parameters_answer_the_page(world, client, params):
    client.force_login(world.personas["team_leader"])
    assert client.get(reverse(INBOX), params).status_code == 200


@FUZZ
@given(id_values=st.lists(ANY_TEXT, max_size=5), caseworker=ANY_TEXT, side=ANY_TEXT)
def test_any_assignment_post_is_answered_without_error(world, client, id_values, caseworker, side):
    client.force_login(world.personas["alice"])
    data = {"ids": id_values, "caseworker": caseworker, "side": side}
    response = client.post(reverse("notifications:assign"), data)
    assert response.status_code == 302
    response = client.post(reverse("notifications:assign"), data, headers={"HX-Request": "true"})
    assert response.status_code == 200


@FUZZ
@given(notification_id=st.integers(min_value=0, max_value=10**18), side=ANY_TEXT)
def test_claims_of_unknown_notifications_are_404(world, client, notification_id, side):
    client.force_login(world.personas["alice"])
    url = reverse("notifications:claim", args=[notification_id])
    assert client.post(url, {"side": side}).status_code == 404


# --- two caseworkers claim at the same moment (PostgreSQL row lock) ---


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_caseworkers_claiming_at_once_exactly_one_wins(world, monkeypatch):
    p = world.personas
    n = make(world)
    lock = triage._lock_for_claim

    def slow_lock(user, notification_id):
        found = lock(user, notification_id)
        time.sleep(0.3)  # hold the row: without the lock both would read it unassigned
        return found

    monkeypatch.setattr(triage, "_lock_for_claim", slow_lock)
    start = threading.Barrier(2)
    outcomes, errors = {}, []

    def worker(name):
        try:
            start.wait()
            outcomes[name] = triage.claim(n.pk, acting_user=p[name])
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(name,)) for name in ("alice", "bob")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(outcomes.values()) == [False, True]
    winner = next(name for name, won in outcomes.items() if won)
    n.refresh_from_db()
    assert n.assigned_to_id == p[winner].pk
    assert NotificationEvent.objects.filter(notification=n, kind=EventKind.ASSIGNED).count() == 1


def test_the_hand_built_rows_escape_every_text(world, client):
    """The rows are built in Python for speed (views/inbox.py), so escaping is tested here."""
    hostile = '<script>alert("x")</script>'
    make(world, child=None, child_name=hostile, reporter_kind="citizen")
    client.force_login(world.personas["alice"])
    page = client.get(reverse(INBOX)).content.decode()
    assert hostile not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
