"""The audit log: append one hash-chained event per read or write of personal data, and verify it.

Every event is written under a lock on the single chain-head row, so sequence numbers are gapless
and each event's hash covers the one before it. Call `record` inside the same transaction as the
write it documents.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models, transaction
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
) -> list[AuditEvent]:
    """Append events for several objects (a list page) under one lock."""
    entries = list(entries)
    if not entries:
        return []
    municipality_id = municipality.pk if municipality is not None else None
    if municipality_id is None and actor is not None:
        municipality_id = actor.municipality_id
    label = (actor.get_full_name() or actor.username) if actor is not None else ""
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        now = timezone.now()
        events = []
        for entry in entries:
            event = AuditEvent(
                seq=head.last_seq + 1,
                at=now,
                actor=actor,
                actor_label=label[:150],
                role=role,
                municipality_id=municipality_id,
                action=entry.action,
                object_type=entry.object_type,
                object_id=entry.object_id,
                child_id=entry.child_id,
                purpose=redact(entry.purpose)[:300],
                request_id=current_request_id(),
                prev_hash=head.last_hash,
            )
            event.hash = event_hash(event)
            head.last_seq, head.last_hash = event.seq, event.hash
            events.append(event)
        AuditEvent.objects.bulk_create(events)
        head.save(update_fields=["last_seq", "last_hash"])
    return events


def event_hash(event: AuditEvent) -> str:
    at: datetime.datetime = event.at.astimezone(datetime.UTC)
    payload = {
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
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


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
    head = AuditChainHead.objects.filter(pk=1).first() or AuditChainHead(pk=1)
    if head.last_seq != checked or head.last_hash != prev_hash:
        return checked, ChainProblem(checked + 1, "mangler i slutningen af kæden")
    return checked, None
