"""The inbox's hand-written page statement (inbox_records) sorts as `triage.inbox` does and
reads every column as the ORM would."""

import datetime

import pytest
from django.utils import timezone

from trappen.core.tests.factories import ChildFactory, NotificationFactory
from trappen.notifications import triage
from trappen.notifications.inbox_records import InboxRows
from trappen.notifications.triage import InboxFilters, InboxRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed(world):
    """Fourteen notifications of team A that tie on every key of the order but the last."""
    now = timezone.now()
    hour, day = datetime.timedelta(hours=1), datetime.timedelta(days=1)
    child = ChildFactory(municipality=world.municipality)
    made = []
    for i in range(14):
        received = now - (i % 3) * hour
        made.append(
            NotificationFactory(
                municipality=world.municipality,
                team=world.team_a,
                child=child if i % 2 else None,
                received_at=received,
                assessment_due_at=received + 24 * hour if i % 4 else now + 2 * hour,
                assessed_at=now - hour if i % 5 == 0 else None,
                receipt_due_on=None if i % 3 == 0 else timezone.localdate() + (i % 2) * day,
                assigned_to=world.personas["bob"] if i % 7 == 0 else None,
            )
        )
    return made


def test_the_page_is_in_the_inbox_order_on_every_page(world, mixed):
    alice = world.personas["alice"]
    expected = list(triage.inbox(alice, InboxFilters()).values_list("pk", flat=True))
    assert sorted(expected) == sorted(n.pk for n in mixed)
    rows = InboxRows(triage._filtered(alice, InboxFilters(), timezone.now()))
    assert rows.count() == 14
    assert [r[0] for r in rows[0:14]] == expected
    assert [r[0] for r in rows[5:10]] == expected[5:10]  # LIMIT and OFFSET
    assert [r[0] for r in rows[0:None]] == expected


def test_each_row_reads_as_the_loaded_notification(world, mixed):
    alice = world.personas["alice"]
    rows = InboxRows(triage._filtered(alice, InboxFilters(), timezone.now()))[0:None]
    loaded = {n.pk: n for n in triage.inbox(alice, InboxFilters())}
    for values in rows:
        record = InboxRecord._make(values)
        assert record == InboxRecord.of(loaded[record.pk])
        assert record.received_at.tzinfo is not None


def test_filters_and_access_stay_the_orm_s(world, mixed):
    alice, bob = world.personas["alice"], world.personas["bob"]
    NotificationFactory(municipality=world.municipality, team=world.team_b)  # not Alice's
    mine = InboxFilters(mine=True)
    rows = InboxRows(triage._filtered(bob, mine, timezone.now()))
    expected = list(triage.inbox(bob, mine).values_list("pk", flat=True))
    assert [r[0] for r in rows[0:None]] == expected and rows.count() == len(expected) == 2
    assert InboxRows(triage._filtered(alice, InboxFilters(), timezone.now())).count() == 14
