import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.urls import reverse

from trappen.core import audit
from trappen.core.models import AuditAction, AuditEvent
from trappen.core.tests.factories import ChildFactory, UserFactory

pytestmark = pytest.mark.django_db


def _three_events():
    user = UserFactory()
    child = ChildFactory(municipality=user.municipality)
    for action in (AuditAction.VIEW, AuditAction.UPDATE, AuditAction.VIEW):
        audit.record(user, action, child, role="caseworker", purpose="Sagsbehandling")
    return child


def _tamper(sql: str, params) -> None:
    """Change the table behind the application's back, as a rogue superuser could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")  # triggers off
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


def test_events_form_a_chain():
    child = _three_events()
    events = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == audit.GENESIS_HASH
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    assert {e.child_id for e in events} == {child.pk}
    assert audit.verify_chain() == (3, None)


def test_audit_verify_passes_on_an_intact_chain(capsys):
    _three_events()
    call_command("audit_verify")
    assert "3 rækker" in capsys.readouterr().out


def test_audit_verify_names_a_changed_row():
    _three_events()
    _tamper("UPDATE core_auditevent SET purpose = %s WHERE seq = %s", ["Intet", 2])
    with pytest.raises(CommandError, match="række 2: er ændret"):
        call_command("audit_verify")


def test_audit_verify_names_a_removed_row():
    _three_events()
    _tamper("DELETE FROM core_auditevent WHERE seq = %s", [2])
    with pytest.raises(CommandError, match="række 2: mangler"):
        call_command("audit_verify")


def test_audit_verify_notices_the_last_row_removed():
    _three_events()
    _tamper("DELETE FROM core_auditevent WHERE seq = %s", [3])
    with pytest.raises(CommandError, match="række 3: mangler"):
        call_command("audit_verify")


def test_the_model_refuses_updates_and_deletes():
    _three_events()
    event = AuditEvent.objects.first()
    event.purpose = "ændret"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
def test_postgresql_refuses_update_and_delete_of_audit_rows():
    from django.db import DatabaseError, transaction

    _three_events()
    for sql in ("UPDATE core_auditevent SET purpose = 'x'", "DELETE FROM core_auditevent"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_concurrent_writers_keep_the_chain_whole():
    user = UserFactory()
    errors = []

    def write(n):
        try:
            for _ in range(n):
                audit.record(user, AuditAction.VIEW, object_type="test", object_id="1")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(25,)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert audit.verify_chain() == (100, None)


def test_reading_a_child_is_logged_with_role_and_child(world, client):
    client.force_login(world.personas["alice"])
    before = AuditEvent.objects.count()
    response = client.get(reverse("core:child_detail", args=[world.anna.pk]))
    assert response.status_code == 200
    event = AuditEvent.objects.order_by("seq").last()
    assert AuditEvent.objects.count() == before + 1
    assert (event.action, event.child_id, event.role, event.actor_id) == (
        "view",
        world.anna.pk,
        "caseworker",
        world.personas["alice"].pk,
    )
    assert event.request_id == response["X-Request-ID"]


def test_team_leader_sees_who_looked_at_a_child(world, client):
    client.force_login(world.personas["bob"])
    client.get(reverse("core:child_detail", args=[world.anna.pk]))
    client.force_login(world.personas["team_leader"])
    response = client.get(reverse("core:child_audit", args=[world.anna.pk]))
    assert response.status_code == 200
    assert str(world.personas["bob"]).encode() in response.content


def test_a_team_leader_of_another_team_cannot_see_the_trail(world, client):
    from trappen.core.models import Role
    from trappen.core.tests.factories import user_with_role

    leader_b = user_with_role(Role.TEAM_LEADER, world.team_b)
    client.force_login(leader_b)
    assert client.get(reverse("core:child_audit", args=[world.anna.pk])).status_code == 404
