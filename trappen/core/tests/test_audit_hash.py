"""record_many's fast path (hash joined from parts, hand-written INSERT) against the reference:
`event_hash` of each stored row, the same function `verify_chain` and the audit_verify command use.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trappen.core import audit
from trappen.core.models import AuditAction, AuditChainHead, AuditEvent
from trappen.core.tests.factories import UserFactory

TEXT = st.text(max_size=30)  # any Unicode but lone surrogates: quotes, backslashes, controls
IDS = st.none() | st.integers(min_value=0, max_value=2**62)
MOMENTS = st.datetimes(  # hypothesis takes naive bounds and adds the zones
    min_value=datetime.datetime(2000, 1, 1),  # noqa: DTZ001
    max_value=datetime.datetime(2100, 1, 1),  # noqa: DTZ001
    timezones=st.sampled_from([datetime.UTC, ZoneInfo("Europe/Copenhagen")]),
)


@given(
    at=MOMENTS,
    actor_id=IDS,
    label=TEXT,
    role=TEXT,
    municipality_id=IDS,
    request_id=TEXT,
    seq=st.integers(min_value=1, max_value=2**62),
    action=st.sampled_from(list(AuditAction)) | TEXT,  # the enum members, as callers pass them
    object_type=TEXT,
    object_id=TEXT,
    child_id=IDS,
    purpose=TEXT,
    prev_hash=st.just(audit.GENESIS_HASH) | st.text("0123456789abcdef", min_size=64, max_size=64),
)
def test_the_joined_hash_is_event_hash(
    at,
    actor_id,
    label,
    role,
    municipality_id,
    request_id,
    seq,
    action,
    object_type,
    object_id,
    child_id,
    purpose,
    prev_hash,
):
    chain = audit._Chain(at, actor_id, label, role, municipality_id, request_id)
    event = AuditEvent(
        seq=seq,
        at=at,
        actor_id=actor_id,
        actor_label=label,
        role=role,
        municipality_id=municipality_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        child_id=child_id,
        purpose=purpose,
        request_id=request_id,
        prev_hash=prev_hash,
    )
    row = (seq, action, object_type, object_id, child_id, purpose, prev_hash)
    assert chain.hash(row) == audit.event_hash(event)


@pytest.mark.django_db
def test_record_many_stores_what_it_returns_and_the_chain_verifies():
    user = UserFactory(first_name="Åse", last_name='"Ø" \\ Hansen')
    entries = [
        audit.AuditEntry(AuditAction.VIEW, "people.child", "7", 7, "Liste"),
        audit.AuditEntry(AuditAction.VIEW, "people.child", "8", None, "Opslag på 010203-1234"),
        audit.AuditEntry(AuditAction.UPDATE, "notifications.notification", "9", 7, "Liste"),
    ]
    returned = audit.record_many(user, entries, role="caseworker")
    stored = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in stored] == [1, 2, 3]
    assert [(e.pk, e.seq, e.hash, e.prev_hash) for e in returned] == [
        (e.pk, e.seq, e.hash, e.prev_hash) for e in stored
    ]
    assert stored[1].purpose == "Opslag på [CPR]"  # redacted before hashing and storing
    assert stored[1].child_id is None
    assert stored[0].actor_label == 'Åse "Ø" \\ Hansen'
    assert {e.at for e in stored} == {returned[0].at}
    assert audit.verify_chain() == (3, None)
    with pytest.raises(PermissionError):  # the returned events are stored rows, append-only
        returned[0].save()
    assert audit.record_many(user, []) == []


@pytest.mark.django_db
def test_more_rows_than_one_statement_takes_keep_the_chain_whole():
    user = UserFactory()
    entries = [audit.AuditEntry(AuditAction.VIEW, "t", str(i), i, "Liste") for i in range(250)]
    audit.record_many(user, entries[:1])
    returned = audit.record_many(user, entries, role="caseworker")
    assert len(returned) == 250
    assert returned[-1].seq == 251
    assert AuditEvent.objects.count() == 251
    assert audit.verify_chain() == (251, None)
    head = AuditChainHead.objects.get(pk=audit.HEAD_ID)
    assert (head.last_seq, head.last_hash) == (251, returned[-1].hash)


@pytest.mark.django_db
def test_the_first_event_creates_a_missing_chain_head():
    AuditChainHead.objects.all().delete()
    event = audit.record(None, AuditAction.VIEW, object_type="t", object_id="1")
    assert (event.seq, event.prev_hash) == (1, audit.GENESIS_HASH)
    assert audit.verify_chain() == (1, None)
