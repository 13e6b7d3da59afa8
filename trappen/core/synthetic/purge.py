"""Delete a synthetic municipality's data before it is generated again (`seed --replace`).

Everything about the people of a synthetic municipality is fictitious, so all of its person and
case data goes, whatever its flag (rows a demo user created by hand concern synthetic children
too), together with its units and offers. The municipality row, its users (the audit log refers
to them), its closing days and the audit log stay. The models are found from the foreign keys,
so a model another app adds later is deleted in the right order without a change here.
"""

from __future__ import annotations

from collections import deque

from django.apps import apps
from django.db import models

PURGED_APPS = {"people", "early", "notifications", "cases", "voice", "offers", "portal"}
PURGED_CORE = {"organisationalunit", "letter", "breakglassgrant"}


def _purged_models() -> list[type[models.Model]]:
    found = []
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label in PURGED_APPS or (
            meta.app_label == "core" and meta.model_name in PURGED_CORE
        ):
            found.append(model)
    return found


def _foreign_keys(model) -> list[models.ForeignKey]:
    return [f for f in model._meta.get_fields() if isinstance(f, models.ForeignKey)]


def path_to_municipality(model, candidates: set) -> str | None:
    """The shortest lookup from `model` to its Municipality through the purged models."""
    from trappen.core.models import Municipality

    queue = deque([(model, "")])
    seen = {model}
    while queue:
        current, path = queue.popleft()
        for fk in _foreign_keys(current):
            target = fk.related_model
            lookup = f"{path}__{fk.name}" if path else fk.name
            if target is Municipality:
                return lookup
            if target in candidates and target not in seen:
                seen.add(target)
                queue.append((target, lookup))
    return None


def deletion_order(purged: list) -> list:
    """Models that point at others come first (a topological order on the foreign keys)."""
    pending = set(purged)
    ordered = []
    while pending:
        free = [
            m
            for m in pending
            if not any(
                other is not m and any(fk.related_model is m for fk in _foreign_keys(other))
                for other in pending
            )
        ]
        if not free:  # a cycle: break it by name order (none exists today)
            free = [min(pending, key=lambda m: m._meta.label)]
        for m in sorted(free, key=lambda m: m._meta.label):
            ordered.append(m)
            pending.discard(m)
    return ordered


def purge(municipality) -> dict[str, int]:
    purged = _purged_models()
    candidates = set(purged)
    deleted = {}
    for model in deletion_order(purged):
        path = path_to_municipality(model, candidates)
        if path is None:
            continue
        queryset = model._default_manager.filter(**{path: municipality})
        for fk in _foreign_keys(model):
            if fk.related_model is model and fk.null:
                queryset.update(**{fk.name: None})  # self-references, e.g. a unit's parent
        count, _ = queryset.delete()
        deleted[model._meta.label] = count
    return deleted
