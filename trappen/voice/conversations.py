"""Conversations with the child (børnesamtaler, barnets lov § 5), structured by the Lundy model,
and the child told of the right to a bisidder (§ 6).

- `record_conversation(case, acting_user, **fields)`: a new conversation, held by the acting
  caseworker. `held_on` is required, not in the future and not before the child was born; the
  child's views in the child's own words are required (when the child could not or would not say
  anything, the caseworker writes that, and why, in the same field); the § 6 question must be
  answered: the child has been told of the right to a bisidder.
- `update_conversation(conversation, acting_user, **fields)`: change some fields; the merged
  result is checked by the same rules. The audit row names the parts that changed (never their
  content), so the log keeps the conversation's history of edits. A conversation that informed
  decisions (`CaseDecision.conversation`) keeps preceding them: its date cannot move after the
  earliest of them, nor more than the municipality's window before the latest (§ 5); its other
  parts, the child's views too, can still be corrected.
- `lundy_completeness(conversation)`: which of the four parts (Rum, Stemme, Tilhørsforhold,
  Indflydelse) are filled, and what is missing in each.
- `latest_conversation(case)` and `support_person_told(case)`: for the decision guard (§ 5) and
  the case page.

Every write is atomic with its audit row; refusals raise `cases.plans.PlanError` with Danish
messages per field (docs/voice-conversations.md).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from trappen.cases.models import Case
from trappen.cases.plans import (
    Errors,
    check_date,
    check_open,
    clean_text,
    log,
    require_case_role,
)
from trappen.core.models import AuditAction, User
from trappen.voice.models import ChildConversation, ConversationMethod, InformationForm

LINE_MAX = 200  # place and support_person (the model's max_length)
PURPOSE = "Børnesamtale (barnets lov § 5)"

HELD_ON_MISSING = "Skriv datoen for samtalen."
HELD_ON_FUTURE = "Samtalen kan ikke være holdt i fremtiden."
HELD_ON_BEFORE_BIRTH = "Samtalen kan ikke være holdt, før barnet blev født."
VIEWS_MISSING = (
    "Skriv barnets synspunkter med barnets egne ord. Har barnet ikke kunnet eller villet sige "
    "noget, så skriv det, og hvorfor."
)
SUPPORT_PERSON_MISSING = (
    "Barnet skal orienteres om retten til en bisidder (barnets lov § 6). "
    "Sæt kryds, når barnet er orienteret."
)
HELD_ON_AFTER_DECISION = (
    "Samtalen gik forud for afgørelsen »{summary}« den {day:%d.%m.%Y}. Datoen kan ikke flyttes "
    "til efter afgørelsen (barnets lov § 5)."
)
HELD_ON_BEFORE_WINDOW = (
    "Samtalen gik forud for afgørelsen »{summary}« den {day:%d.%m.%Y}. Datoen kan ikke flyttes "
    "til mere end {days} dage før afgørelsen (barnets lov § 5)."
)
EXPLAINED_BACK_BAD = "Skriv en gyldig dato for, hvornår det blev forklaret for barnet."
EXPLAINED_BACK_FUTURE = "Datoen kan ikke ligge i fremtiden."
EXPLAINED_BACK_EARLY = "Det kan ikke være forklaret for barnet før samtalen."
CHOICE = "Vælg en af mulighederne."
YES_NO = "Svar ja eller nej (eller lad feltet stå tomt)."

TEXT_FIELDS = (
    "present",
    "made_safe",
    "information_given",
    "childs_views",
    "hopes_and_dreams",
    "listeners",
    "views_used",
    "explained_back",
)
LINE_FIELDS = ("place", "support_person")
CHOICE_FIELDS = {"method": ConversationMethod.values, "information_form": InformationForm.values}
FIELDS = (
    "held_on",
    *LINE_FIELDS,
    *TEXT_FIELDS,
    *CHOICE_FIELDS,
    "decision_maker_listened",
    "explained_back_on",
    "told_of_support_person",
)


# --- the Lundy model --------------------------------------------------------------------------


@dataclass(frozen=True)
class LundyPart:
    key: str
    name: str
    help: str
    fields: tuple[str, ...]  # the part's questions, in the form's order
    core: tuple[str, ...]  # the questions that must be answered for the part to count as filled


LUNDY_PARTS: tuple[LundyPart, ...] = (
    LundyPart(
        "space",
        "Rum",
        "Barnet får et trygt og inkluderende rum til at udtrykke sig: hvor og hvordan samtalen "
        "blev holdt, hvem der var til stede, og hvordan barnet blev gjort trygt.",
        ("place", "method", "present", "made_safe"),
        ("place", "method", "made_safe"),
    ),
    LundyPart(
        "voice",
        "Stemme",
        "Barnet får den information, det har brug for, i en form det forstår, og hjælp til at "
        "udtrykke sine synspunkter. Skriv barnets synspunkter med barnets egne ord.",
        ("information_given", "information_form", "childs_views", "hopes_and_dreams"),
        ("information_given", "childs_views"),
    ),
    LundyPart(
        "audience",
        "Tilhørsforhold",
        "Barnets synspunkter bliver hørt af de rette: hvem lyttede, og var det den, der træffer "
        "afgørelsen?",
        ("listeners", "decision_maker_listened"),
        ("listeners", "decision_maker_listened"),
    ),
    LundyPart(
        "influence",
        "Indflydelse",
        "Barnets synspunkter bliver taget alvorligt: hvad der blev gjort med dem, og hvordan det "
        "blev forklaret for barnet bagefter.",
        ("views_used", "explained_back", "explained_back_on"),
        ("views_used", "explained_back"),
    ),
)


@dataclass(frozen=True)
class PartStatus:
    key: str
    name: str
    filled: bool
    missing: tuple[str, ...]  # the labels of the core questions not answered


def _label(field: str) -> str:
    return str(ChildConversation._meta.get_field(field).verbose_name)


def _answered(conversation: ChildConversation, field: str) -> bool:
    value = getattr(conversation, field)
    return value is not None and (not isinstance(value, str) or value.strip() != "")


def lundy_completeness(conversation: ChildConversation) -> list[PartStatus]:
    """The four parts in order, each filled when all its core questions are answered."""
    statuses = []
    for part in LUNDY_PARTS:
        missing = tuple(_label(f) for f in part.core if not _answered(conversation, f))
        statuses.append(PartStatus(part.key, part.name, not missing, missing))
    return statuses


# --- reading ----------------------------------------------------------------------------------


def latest_conversation(case: Case) -> ChildConversation | None:
    """The case's most recent conversation with the child (the latest day; on one day the last
    recorded)."""
    return case.conversations.order_by("-held_on", "-pk").first()


def support_person_told(case: Case) -> datetime.date | None:
    """The day of the last conversation on the case at which the child was told of the right to a
    bisidder (§ 6), or None."""
    told = case.conversations.filter(told_of_support_person=True)
    return told.aggregate(day=Max("held_on"))["day"]


# --- writing ----------------------------------------------------------------------------------


def _check_unknown(fields: dict) -> None:
    unknown = sorted(set(fields) - set(FIELDS))
    if unknown:
        raise TypeError(f"unknown conversation fields: {', '.join(unknown)}")


def _clean(case: Case, values: dict, errors: Errors) -> dict:
    """Every field of a conversation checked; returns the cleaned values (for a failed field its
    input, which is not saved: the caller raises first)."""
    clean = dict(values)
    today = timezone.localdate()
    held_on = values.get("held_on")
    if held_on is None:
        errors.add("held_on", HELD_ON_MISSING)
    elif check_date(held_on, "held_on", errors, HELD_ON_MISSING):
        if held_on > today:
            errors.add("held_on", HELD_ON_FUTURE)
        elif held_on < case.child.birth_date:
            errors.add("held_on", HELD_ON_BEFORE_BIRTH)
    for field in LINE_FIELDS:
        clean[field] = clean_text(values.get(field), field, errors, limit=LINE_MAX)
    for field in TEXT_FIELDS:
        required = VIEWS_MISSING if field == "childs_views" else ""
        clean[field] = clean_text(values.get(field), field, errors, required=required)
    for field, allowed in CHOICE_FIELDS.items():
        value = values.get(field)
        clean[field] = "" if value is None else value
        if clean[field] != "" and (not isinstance(value, str) or value not in allowed):
            errors.add(field, CHOICE)
    listened = values.get("decision_maker_listened")
    if listened is not None and not isinstance(listened, bool):
        errors.add("decision_maker_listened", YES_NO)
    explained_on = values.get("explained_back_on")
    if explained_on is not None and check_date(
        explained_on, "explained_back_on", errors, EXPLAINED_BACK_BAD
    ):
        if explained_on > today:
            errors.add("explained_back_on", EXPLAINED_BACK_FUTURE)
        elif isinstance(held_on, datetime.date) and explained_on < held_on:
            errors.add("explained_back_on", EXPLAINED_BACK_EARLY)
    if values.get("told_of_support_person") is not True:
        errors.add("told_of_support_person", SUPPORT_PERSON_MISSING)
    return clean


def record_conversation(case: Case, acting_user: User, **fields) -> ChildConversation:
    """Record a conversation with the child on `case`, held by `acting_user` (§§ 5–6)."""
    _check_unknown(fields)
    role = require_case_role(acting_user, case)
    errors = Errors()
    check_open(case, errors)
    values = _clean(case, fields, errors)
    errors.raise_if_any()
    with transaction.atomic():
        conversation = ChildConversation.objects.create(case=case, held_by=acting_user, **values)
        log(acting_user, AuditAction.CREATE, [conversation], case, role, PURPOSE)
    return conversation


def _changed_parts(conversation: ChildConversation, values: dict) -> list[str]:
    """The names of what changed, for the audit row: the date, the Lundy parts, § 6."""
    changed = {f for f, v in values.items() if getattr(conversation, f) != v}
    names = ["dato"] if "held_on" in changed else []
    names += [part.name for part in LUNDY_PARTS if changed & set(part.fields)]
    if changed & {"told_of_support_person", "support_person"}:
        names.append("bisidder (§ 6)")
    return names


def _check_decisions_kept(
    conversation: ChildConversation, held_on: datetime.date, errors: Errors
) -> None:
    """A new date must still precede every decision the conversation informed, within the
    window (the rule of `voice.decisions.eligible_conversations`)."""
    decisions = list(
        conversation.decisions.order_by("decided_on", "pk").only("summary", "decided_on")
    )
    if not decisions:
        return
    earliest, latest = decisions[0], decisions[-1]
    days = conversation.case.municipality.child_conversation_window_days
    if held_on > earliest.decided_on:
        message = HELD_ON_AFTER_DECISION.format(summary=earliest.summary, day=earliest.decided_on)
        errors.add("held_on", message)
    elif held_on < latest.decided_on - datetime.timedelta(days=days):
        message = HELD_ON_BEFORE_WINDOW.format(
            summary=latest.summary, day=latest.decided_on, days=days
        )
        errors.add("held_on", message)


def update_conversation(
    conversation: ChildConversation, acting_user: User, **fields
) -> ChildConversation:
    """Change `fields` of a conversation; the whole conversation must still keep the rules."""
    _check_unknown(fields)
    case = conversation.case
    role = require_case_role(acting_user, case)
    errors = Errors()
    check_open(case, errors)
    current = {f: getattr(conversation, f) for f in FIELDS}
    values = _clean(case, {**current, **fields}, errors)
    if "held_on" not in errors and values["held_on"] != conversation.held_on:
        _check_decisions_kept(conversation, values["held_on"], errors)
    errors.raise_if_any()
    changed = _changed_parts(conversation, values)
    if not changed:
        return conversation
    with transaction.atomic():
        for field, value in values.items():
            setattr(conversation, field, value)
        conversation.save(update_fields=list(values))
        purpose = f"Børnesamtale rettet (barnets lov § 5): {', '.join(changed)}"
        log(acting_user, AuditAction.UPDATE, [conversation], case, role, purpose)
    return conversation
