"""The inbox page reads its rows as tuples (triage.InboxRecord), not model instances: the tuple's
fields must line up with the columns read, and a row must read the same either way."""

import datetime

import pytest
from django.utils import timezone

from trappen.core.tests.factories import ChildFactory, NotificationFactory
from trappen.notifications import triage
from trappen.notifications.triage import InboxFilters, InboxRecord

pytestmark = pytest.mark.django_db


def test_the_page_reads_each_row_as_the_loaded_notification_would(world):
    p = world.personas
    child = ChildFactory(municipality=world.municipality, first_name="Ida", last_name="Holm")
    today = timezone.localdate()
    made = [
        NotificationFactory(
            municipality=world.municipality,
            team=world.team_a,
            child=child,
            assigned_to=p["bob"],
            reporter_kind="school",
            receipt_due_on=today + datetime.timedelta(days=3),
            level=4,
            acute=True,
            is_repeat=True,
        ),
        NotificationFactory(
            municipality=world.municipality,
            team=world.team_a,
            child=None,
            child_name="Mira",
            child_birth_date=datetime.date(2019, 2, 1),
            reporter_kind="parent",
            receipt_due_on=None,
        ),
    ]
    page = triage.inbox_page(p["alice"], InboxFilters())
    read = {r.pk: r for r in page.page.object_list}
    assert set(read) == {n.pk for n in made}
    for n in made:
        loaded = triage.inbox(p["alice"], InboxFilters()).get(pk=n.pk)
        assert read[n.pk] == InboxRecord.of(loaded)
    ida = read[made[0].pk]
    assert (ida.child_first_name, ida.child_last_name, ida.assigned_username) == (
        "Ida",
        "Holm",
        p["bob"].username,
    )
    rows = {r.n.pk: r for r in page.rows}
    assert rows[made[0].pk].child_label == "Ida Holm"
    assert rows[made[0].pk].assigned_to == str(p["bob"])
    assert rows[made[1].pk].child_label == "Ukendt barn: Mira, født 1.2.2019"
    assert rows[made[1].pk].assigned_to == ""


def test_the_count_is_the_filtered_total_without_the_rows_joins(world):
    p = world.personas
    for _ in range(3):
        NotificationFactory(municipality=world.municipality, team=world.team_a)
    NotificationFactory(municipality=world.municipality, team=world.team_b)  # not Alice's
    page = triage.inbox_page(p["alice"], InboxFilters(), "7")  # past the end: the last page
    assert (page.page.paginator.count, page.page.number, len(page.rows)) == (3, 1, 3)
