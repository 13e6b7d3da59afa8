"""Concurrent submissions on PostgreSQL: none lost, none duplicated, one Child per CPR number.

Threads each get their own database connection (closed at the end, so the test database can be
flushed). SQLite serialises all writers, so these tests run on PostgreSQL only.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
from collections import Counter, defaultdict
from dataclasses import replace

import pytest
from django.db import connection

from trappen.core import audit, cpr
from trappen.core.models import AuditAction, AuditEvent, Letter, Role, UnitKind
from trappen.core.tests.factories import (
    ChildFactory,
    MunicipalityFactory,
    UnitFactory,
    synthetic_cpr,
    user_with_role,
)
from trappen.notifications.models import Channel, Notification, ReporterKind
from trappen.notifications.services import (
    IdempotencyConflict,
    NotificationInput,
    send_receipt,
    submit_notification,
)
from trappen.people.models import Child

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]

THREADS = 8
PER_THREAD = 25
UNIQUE_KEYS = 150  # 200 submissions = 150 first ones + 50 retries of the first 50 keys


def citizen_input(i: int, **changes) -> NotificationInput:
    data = NotificationInput(
        channel=Channel.PUBLIC_FORM,
        reporter_kind=ReporterKind.CITIZEN,
        concern=f"Syntetisk bekymring nummer {i}.",
        child_name=f"Barn Nummer{i}",
        child_birth_date=dt.date(2016, 1, 1),
        reporter_name=f"Borger {i}",
    )
    return replace(data, **changes)


def run_in_threads(chunks, work) -> tuple[list, list]:
    """Run `work(item)` for every item of each chunk in its own thread, all starting together."""
    results, errors, lock = [], [], threading.Lock()
    start = threading.Barrier(len(chunks))

    def worker(chunk):
        try:
            start.wait()
            for item in chunk:
                try:
                    outcome = work(item)
                except Exception as exc:  # collected, asserted in the main thread
                    outcome = exc
                with lock:
                    (errors if isinstance(outcome, Exception) else results).append((item, outcome))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(chunk,)) for chunk in chunks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return results, errors


def test_200_concurrent_submissions_with_retries_store_each_key_once(transactional_db):
    municipality = MunicipalityFactory()
    UnitFactory(municipality=municipality, kind=UnitKind.CASEWORKER_TEAM, name="Team A")
    known = ChildFactory(municipality=municipality)
    unknown_number = synthetic_cpr(dt.date(2019, 6, 1))

    def job(i: int) -> tuple[str, NotificationInput]:
        if i % 10 == 0:  # 15 keys about one child the municipality does not know yet
            return f"web:{i}", citizen_input(i, child_cpr=unknown_number, child_birth_date=None)
        if i % 10 == 1:  # 15 keys about a known child
            return f"web:{i}", citizen_input(
                i, child_cpr=known.cpr, child_name=known.full_name, child_birth_date=None
            )
        return f"web:{i}", citizen_input(i)

    jobs = [job(i) for i in range(UNIQUE_KEYS)] + [job(i) for i in range(50)]
    random.Random(3).shuffle(jobs)
    chunks = [jobs[t * PER_THREAD : (t + 1) * PER_THREAD] for t in range(THREADS)]

    def submit(item):
        key, data = item
        return submit_notification(municipality, data, idempotency_key=key)

    results, errors = run_in_threads(chunks, submit)

    assert errors == []
    assert len(results) == THREADS * PER_THREAD == 200
    assert Notification.objects.count() == UNIQUE_KEYS
    created = Counter(result.created for _, result in results)
    assert created == {True: UNIQUE_KEYS, False: 50}
    pks_by_key = defaultdict(set)
    for (key, _), result in results:
        pks_by_key[key].add(result.notification.pk)
    assert all(len(pks) == 1 for pks in pks_by_key.values())
    stored = dict(Notification.objects.values_list("idempotency_key", "pk"))
    assert {key: pks.pop() for key, pks in pks_by_key.items()} == stored

    new_children = Child.objects.filter(cpr_hash=cpr.lookup_hash(unknown_number))
    assert new_children.count() == 1
    assert Notification.objects.filter(child=new_children.get()).count() == 15
    assert Notification.objects.filter(child=known).count() == 15
    notification_audits = AuditEvent.objects.filter(
        object_type="notifications.notification", action=AuditAction.CREATE
    )
    assert notification_audits.count() == UNIQUE_KEYS
    checked, problem = audit.verify_chain()
    assert problem is None and checked == AuditEvent.objects.count()


def test_one_key_raced_with_two_contents_stores_one_and_refuses_the_other(transactional_db):
    municipality = MunicipalityFactory()
    same_key = "api:1:abc"
    contents = [citizen_input(1), citizen_input(2)]
    chunks = [[contents[t % 2]] for t in range(THREADS)]

    def submit(data):
        return submit_notification(municipality, data, idempotency_key=same_key)

    results, errors = run_in_threads(chunks, submit)

    stored = Notification.objects.get()
    assert [r.created for _, r in results].count(True) == 1
    assert all(r.notification.pk == stored.pk for _, r in results)
    assert len(results) == THREADS // 2  # those who sent the stored content
    assert len(errors) == THREADS // 2
    assert all(isinstance(error, IdempotencyConflict) for _, error in errors)
    assert all(data.concern != stored.concern for data, _ in errors)


def test_concurrent_receipt_calls_make_one_letter(transactional_db):
    municipality = MunicipalityFactory()
    school = UnitFactory(municipality=municipality, kind=UnitKind.SCHOOL)
    teacher = user_with_role(Role.PROFESSIONAL, school)
    child = ChildFactory(municipality=municipality)
    data = NotificationInput(
        channel=Channel.PROFESSIONAL_FORM,
        reporter_kind=ReporterKind.SCHOOL,
        concern="Syntetisk bekymring.",
        child_cpr=child.cpr,
        child_name=child.full_name,
        reporter_user=teacher,
        reporter_unit=school,
    )
    notification = submit_notification(municipality, data).notification
    Letter.objects.all().delete()
    Notification.objects.filter(pk=notification.pk).update(receipt_sent_at=None)

    def again(_):
        return send_receipt(Notification.objects.get(pk=notification.pk))

    results, errors = run_in_threads([[i] for i in range(4)], again)

    assert errors == []
    assert Letter.objects.count() == 1
    assert {letter.pk for _, letter in results} == {Letter.objects.get().pk}
