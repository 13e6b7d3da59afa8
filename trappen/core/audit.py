"""The audit log: append one hash-chained event per read or write of personal data, and verify it.

Every event is written under a lock on the single chain-head row, so sequence numbers are gapless
and each event's hash covers the one before it. Call `record` inside the same transaction as the
write it documents.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connections, models, router, transaction
from django.utils import timezone

from trappen.core.cpr import redact
from trappen.core.models import AuditChainHead, AuditEvent, Municipality, User
from trappen.core.request_context import current_request_id

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class AuditEntry:
    action: str
    object_type: str = ""
    object_id: str = ""
    child_id: int | None = None
    purpose: str = ""


def entry_for(obj: models.Model, action: str, *, purpose: str = "") -> AuditEntry:
    """Describe `obj` for the log: its kind, id and the child it concerns (never its content)."""
    from trappen.people.models import Child

    if isinstance(obj, Child):
        child_id = obj.pk
    else:
        child_id = getattr(obj, "child_id", None)
        if child_id is None and hasattr(obj, "case"):
            child_id = getattr(obj.case, "child_id", None)
    return AuditEntry(
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        child_id=child_id,
        purpose=purpose,
    )


def record(
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    *,
    role: str = "",
    purpose: str = "",
    child_id: int | None = None,
    object_type: str = "",
    object_id: str = "",
    municipality: Municipality | None = None,
) -> AuditEvent:
    if obj is not None:
        entry = entry_for(obj, action, purpose=purpose)
    else:
        entry = AuditEntry(action, object_type, object_id, child_id, purpose)
    return record_many(actor, [entry], role=role, municipality=municipality)[0]


def record_many(
    actor: User | None,
    entries: Iterable[AuditEntry],
    *,
    role: str = "",
    municipality: Municipality | None = None,
) -> Sequence[AuditEvent]:
    """Append events for several objects (a list page) under one lock, in one INSERT.

    What the events share (actor, role, moment, request) is read and encoded once; each event's
    hash is `event_hash` of its row (`_Chain`), which `verify_chain` recomputes from the table.
    """
    entries = list(entries)
    if not entries:
        return []
    # request.user is a lazy object: read what the events need from it once.
    actor_id = actor.pk if actor is not None else None
    municipality_id = municipality.pk if municipality is not None else None
    if municipality_id is None and actor is not None:
        municipality_id = actor.municipality_id
    label = ((actor.get_full_name() or actor.username) if actor is not None else "")[:150]
    request_id = current_request_id()
    purposes: dict[str, str] = {}
    db = router.db_for_write(AuditEvent)
    conn = connections[db]
    with transaction.atomic(using=db):
        seq, prev_hash = _lock_head(db)
        chain = _Chain(timezone.now(), actor_id, label, role, municipality_id, request_id)
        rows = []
        for entry in entries:
            purpose = purposes.get(entry.purpose)
            if purpose is None:
                purpose = purposes[entry.purpose] = redact(entry.purpose)[:300]
            seq += 1
            row = (
                seq,
                entry.action,
                entry.object_type,
                entry.object_id,
                entry.child_id,
                purpose,
                prev_hash,
            )
            prev_hash = chain.hash(row)
            rows.append((*row, prev_hash))
        ids = _insert(conn, chain, rows)
        with conn.cursor() as cursor:
            cursor.execute(_HEAD_UPDATE.format(**_names(conn)), [seq, prev_hash, HEAD_ID])
    return _Events(db, chain, rows, ids)


HEAD_ID = 1  # the chain head is the single row with this id
_HEAD_SELECT = "SELECT {last_seq}, {last_hash} FROM {head} WHERE {head_id} = %s"
_HEAD_UPDATE = "UPDATE {head} SET {last_seq} = %s, {last_hash} = %s WHERE {head_id} = %s"


_NAMES: dict[str, dict[str, str]] = {}


def _names(conn) -> dict[str, str]:
    """Quoted table and column names for the hand-written statements, from the models."""
    if conn.vendor not in _NAMES:
        qn, head, event = conn.ops.quote_name, AuditChainHead._meta, AuditEvent._meta
        _NAMES[conn.vendor] = {
            "head": qn(head.db_table),
            "head_id": qn(head.pk.column),
            "last_seq": qn(head.get_field("last_seq").column),
            "last_hash": qn(head.get_field("last_hash").column),
            "events": qn(event.db_table),
            "event_id": qn(event.pk.column),
            "event_seq": qn(event.get_field("seq").column),
            "columns": ", ".join(qn(f.column) for f in _COLUMNS),
        }
    return _NAMES[conn.vendor]


def _lock_head(db: str) -> tuple[int, str]:
    """The chain head's last sequence number and hash, its row locked to the end of the
    transaction (FOR UPDATE; on SQLite the transaction itself holds the write lock, as with
    select_for_update). Created the first time, as the migration does."""
    conn = connections[db]
    sql = _HEAD_SELECT.format(**_names(conn))
    if conn.features.has_select_for_update:
        sql += " FOR UPDATE"
    with conn.cursor() as cursor:
        cursor.execute(sql, [HEAD_ID])
        found = cursor.fetchone()
    if found is not None:
        return found[0], found[1]
    head, _ = AuditChainHead.objects.using(db).select_for_update().get_or_create(pk=HEAD_ID)
    return head.last_seq, head.last_hash


def _payload(event: AuditEvent) -> dict:
    at: datetime.datetime = event.at.astimezone(datetime.UTC)
    return {
        "seq": event.seq,
        "at": at.isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "role": event.role,
        "municipality": event.municipality_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "child_id": event.child_id,
        "purpose": event.purpose,
        "request_id": event.request_id,
        "prev_hash": event.prev_hash,
    }


def event_hash(event: AuditEvent) -> str:
    """The event's hash: SHA-256 of its fields and the previous hash, as canonical JSON."""
    canonical = json.dumps(
        _payload(event), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _json(value) -> str:
    """One value as json.dumps(..., ensure_ascii=False) writes it inside the canonical object."""
    if isinstance(value, str):
        return _encode_str(value)
    if value is None:
        return "null"
    if type(value) is int:
        return int.__repr__(value)
    return json.dumps(value, ensure_ascii=False)


_encode_str = json.encoder.encode_basestring  # what json.dumps uses when ensure_ascii=False


class _Chain:
    """`event_hash` for a batch of events that share actor, role, moment and request.

    json.dumps(sort_keys=True, separators=(",", ":")) writes `{"key":value,...}`, the keys in
    sorted order and each value encoded on its own; so the shared values are encoded once and each
    event's canonical text is joined from parts (test_audit_hash.py holds it equal to
    `event_hash`).
    """

    def __init__(self, at, actor_id, actor_label, role, municipality_id, request_id):
        self.at, self.actor_id, self.actor_label = at, actor_id, actor_label
        self.role, self.municipality_id, self.request_id = role, municipality_id, request_id
        at_text = at.astimezone(datetime.UTC).isoformat(timespec="microseconds")
        # The keys in sorted order: action, actor, actor_label, at, child_id, municipality,
        # object_id, object_type, prev_hash, purpose, request_id, role, seq.
        self._after_action = (
            f',"actor":{_json(actor_id)},"actor_label":{_json(actor_label)}'
            f',"at":{_json(at_text)},"child_id":'
        )
        self._after_child = f',"municipality":{_json(municipality_id)},"object_id":'
        self._after_purpose = f',"request_id":{_json(request_id)},"role":{_json(role)},"seq":'
        self._encoded: dict = {}  # action, object type, purpose: mostly the same in a batch

    def _cached(self, value) -> str:
        try:
            return self._encoded[value]
        except KeyError:
            encoded = self._encoded[value] = _json(value)
            return encoded
        except TypeError:  # not hashable: not a str, int or None
            return _json(value)

    def hash(self, row: tuple) -> str:
        """The hash of (seq, action, object_type, object_id, child_id, purpose, prev_hash)."""
        seq, action, object_type, object_id, child_id, purpose, prev_hash = row
        canonical = "".join(
            (
                '{"action":',
                self._cached(action),
                self._after_action,
                _json(child_id),
                self._after_child,
                _json(object_id),
                ',"object_type":',
                self._cached(object_type),
                ',"prev_hash":',
                _json(prev_hash),
                ',"purpose":',
                self._cached(purpose),
                self._after_purpose,
                _json(seq),
                "}",
            )
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# The event columns the INSERT writes, in the model's order (the id comes from the database);
# _OWN are those that differ from event to event, in the order of a row of `rows`.
_COLUMNS = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
_OWN = ("seq", "action", "object_type", "object_id", "child_id", "purpose", "prev_hash", "hash")


def _insert(conn, chain: _Chain, rows: list[tuple]) -> dict[int, int]:
    """Insert the chained events with multi-row INSERTs (as many rows per statement as the
    database takes); returns their ids by sequence number where the database tells them.

    Written by hand rather than through bulk_create, which prepares every field of every row:
    every value here is a plain int or string but the moment, which is adapted once.
    """
    shared = {
        "at": AuditEvent._meta.get_field("at").get_db_prep_save(chain.at, conn),
        "actor_id": chain.actor_id,
        "actor_label": chain.actor_label,
        "role": chain.role,
        "municipality_id": chain.municipality_id,
        "request_id": chain.request_id,
    }
    for field in _COLUMNS:  # a column added to the model later gets its default
        if field.attname not in shared and field.attname not in _OWN:
            shared[field.attname] = field.get_db_prep_save(field.get_default(), conn)
    # Per column: the index of its value in a row, or the value every row shares.
    plan = [
        (_OWN.index(f.attname), None) if f.attname in _OWN else (None, shared[f.attname])
        for f in _COLUMNS
    ]
    names = _names(conn)
    placeholder = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"
    returning = conn.features.can_return_rows_from_bulk_insert
    per_statement = max(1, (conn.features.max_query_params or 65535) // len(_COLUMNS))
    ids: dict[int, int] = {}
    with conn.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            # Names from the models, every value a parameter.
            sql = "INSERT INTO {events} ({columns}) VALUES ".format(**names)  # noqa: S608
            sql += ", ".join([placeholder] * len(chunk))
            if returning:
                sql += " RETURNING {event_id}, {event_seq}".format(**names)
            cursor.execute(sql, [v if i is None else row[i] for row in chunk for i, v in plan])
            if returning:
                ids.update((seq, pk) for pk, seq in cursor.fetchall())
    return ids


class _Events(Sequence):
    """The events just appended, as AuditEvent instances built when read (a list page logs its
    rows and reads none of them back)."""

    def __init__(self, db: str, chain: _Chain, rows: list[tuple], ids: dict[int, int]):
        self._db, self._chain, self._rows, self._ids = db, chain, rows, ids

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        seq, action, object_type, object_id, child_id, purpose, prev_hash, digest = self._rows[
            index
        ]
        chain = self._chain
        event = AuditEvent(
            id=self._ids.get(seq),
            seq=seq,
            at=chain.at,
            actor_id=chain.actor_id,
            actor_label=chain.actor_label,
            role=chain.role,
            municipality_id=chain.municipality_id,
            action=action,
            object_type=object_type,
            object_id=object_id,
            child_id=child_id,
            purpose=purpose,
            request_id=chain.request_id,
            prev_hash=prev_hash,
            hash=digest,
        )
        event._state.adding, event._state.db = False, self._db  # stored, as from a query
        return event


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    reason: str

    def __str__(self) -> str:
        return f"række {self.seq}: {self.reason}"


def verify_chain() -> tuple[int, ChainProblem | None]:
    """Walk the chain in order; return how many rows were checked and the first problem, if any."""
    expected_seq, prev_hash, checked = 1, GENESIS_HASH, 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=5000):
        if event.seq != expected_seq:
            return checked, ChainProblem(expected_seq, "mangler (rækken er fjernet)")
        if event.prev_hash != prev_hash:
            return checked, ChainProblem(event.seq, "peger ikke på den forrige rækkes hash")
        if event_hash(event) != event.hash:
            return checked, ChainProblem(event.seq, "er ændret (indholdet passer ikke til hash)")
        prev_hash, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
    head = AuditChainHead.objects.filter(pk=HEAD_ID).first() or AuditChainHead(pk=HEAD_ID)
    if head.last_seq != checked or head.last_hash != prev_hash:
        return checked, ChainProblem(checked + 1, "mangler i slutningen af kæden")
    return checked, None
