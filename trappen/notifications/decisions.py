"""The 24-hour assessment, the screening decision and the feedback to a professional notifier.

The flow on one notification (docs/legal.md has the rules, docs/notifications.md the story):

1. `record_assessment`: within 24 hours of receipt (barnets lov § 136) the caseworker records
   whether the child's health or development is in danger and whether acute measures were taken.
   Status new -> assessed. Once only.
2. `record_decision`: the screening decision (§ 18) with a required reason: no further action,
   afdækning (§ 19), børnefaglig undersøgelse (§ 20: opens or reuses the child's case and starts
   the investigation, due 4 months after receipt, § 20, stk. 3), part of the child's open case,
   or forwarded to another municipality. Alongside, early preventive support (§ 30) and an
   immediate supporting measure (§ 32, stk. 4) may be marked. Status assessed -> decided. Once
   only. The custody holders get a letter when an investigation is started; a professional
   notifier gets the feedback letter at once.
3. `send_feedback`: the feedback letter to a professional notifier: whether an investigation,
   support (§ 32) or a placement was started, nothing else. Idempotent.

Every step writes the notification's timeline (NotificationEvent) and the audit log in the same
transaction. Refusals raise `DecisionError` with Danish messages per form field.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from trappen.cases.models import Case, CaseSource, Investigation
from trappen.core import audit, calendar
from trappen.core.letters.service import create_letter
from trappen.core.models import AuditAction, Letter, Role, User
from trappen.core.vocabulary import Step
from trappen.notifications.access import work_role
from trappen.notifications.models import (
    Decision,
    EventKind,
    Notification,
    NotificationEvent,
    NotificationStatus,
    ReporterKind,
)

NOTE_MAX = 5000
FORWARD_MAX = 100
# Decisions that keep the notification with us and may carry a § 32, stk. 4 measure alongside.
WITH_AFDAEKNING_OR_CASE = {Decision.CLARIFICATION, Decision.INVESTIGATION, Decision.EXISTING_CASE}
NEEDS_CHILD = {Decision.INVESTIGATION, Decision.EXISTING_CASE}


class DecisionError(ValueError):
    """The step cannot be taken. `errors` maps a form field (None: the whole form) to messages."""

    def __init__(self, errors: dict[str | None, list[str]]):
        super().__init__(" ".join(m for messages in errors.values() for m in messages))
        self.errors = errors


def _refuse(message: str, field: str | None = None) -> DecisionError:
    return DecisionError({field: [message]})


def require_work_role(user: User, notification: Notification) -> Role:
    role = work_role(user, notification)
    if role is None:
        raise _refuse("Du kan ikke arbejde med denne underretning.")
    return role


def _lock(notification: Notification) -> Notification:
    return Notification.objects.select_for_update().get(pk=notification.pk)


def _copy_back(target: Notification, source: Notification, fields: list[str]) -> None:
    """Let the caller's instance see what was saved through the locked copy."""
    for name in fields:
        setattr(target, name, getattr(source, name))


def _event(notification, kind, actor, now, note: str = "") -> NotificationEvent:
    return NotificationEvent.objects.create(
        notification=notification, occurred_at=now, kind=kind, actor=actor, note=note
    )


# --- 1. the 24-hour assessment (§ 136) --------------------------------------------------------


def record_assessment(
    notification: Notification,
    *,
    danger: bool,
    acute_measures: bool,
    note: str,
    acting_user: User,
    now: datetime.datetime | None = None,
) -> Notification:
    """Record the 24-hour assessment: is the child in danger, were acute measures taken?"""
    role = require_work_role(acting_user, notification)
    note = (note or "").strip()
    _check_assessment(danger, note)
    now = now or timezone.now()
    fields = ["status", "assessed_at", "assessed_by", "danger", "acute_measures", "assessment_note"]
    with transaction.atomic():
        locked = _lock(notification)
        if locked.status != NotificationStatus.NEW:
            raise _refuse("Underretningen er allerede vurderet. En vurdering kan ikke ændres.")
        locked.status = NotificationStatus.ASSESSED
        locked.assessed_at, locked.assessed_by = now, acting_user
        locked.danger, locked.acute_measures, locked.assessment_note = danger, acute_measures, note
        locked.save(update_fields=fields)
        _event(locked, EventKind.ASSESSED, acting_user, now, _assessment_summary(locked, now))
        audit.record(
            acting_user,
            AuditAction.UPDATE,
            locked,
            role=role,
            purpose="Vurdering inden for 24 timer (barnets lov § 136)",
        )
    _copy_back(notification, locked, fields)
    return notification


def _check_assessment(danger, note: str) -> None:
    errors: dict[str | None, list[str]] = {}
    if not isinstance(danger, bool):
        errors["danger"] = ["Svar på, om barnets sundhed eller udvikling er i fare."]
    if danger is True and not note:
        errors["note"] = ["Beskriv faren, og hvad der er gjort for at beskytte barnet."]
    if len(note) > NOTE_MAX:
        errors["note"] = [f"Vurderingen må højst være på {NOTE_MAX} tegn."]
    if errors:
        raise DecisionError(errors)


def _assessment_summary(n: Notification, now) -> str:
    danger = "i fare" if n.danger else "ikke i fare"
    acute = "akutte foranstaltninger iværksat" if n.acute_measures else "ingen akutte tiltag"
    late = " Vurderet efter 24-timersfristen." if now > n.assessment_due_at else ""
    return f"Barnet vurderes {danger}; {acute}.{late}"


# --- 2. the screening decision (§ 18) ---------------------------------------------------------


def record_decision(
    notification: Notification,
    *,
    decision: Decision | str,
    reason: str,
    early_support: bool = False,
    immediate_measure: bool = False,
    forwarded_to: str = "",
    acting_user: User,
    notify_guardians: bool = True,
    now: datetime.datetime | None = None,
) -> Notification:
    """Record the screening decision (§ 18) and carry it out; see the module docstring.

    `notify_guardians=False` holds back the custody holders' letter about an investigation, for
    when the parents must not be told yet: a risk assessment first (§ 18, stk. 3, honour-related
    conflicts) or suspected abuse by a parent (coordinate with the police first). The reason
    should say why; the timeline records that the letter was held back.
    """
    role = require_work_role(acting_user, notification)
    choice = DecisionInput(
        decision=_parse_decision(decision),
        reason=(reason or "").strip(),
        early_support=bool(early_support),
        immediate_measure=bool(immediate_measure),
        forwarded_to=(forwarded_to or "").strip() if decision == Decision.FORWARD else "",
    )
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(notification)
        _check_can_decide(locked)
        open_case = _open_case(locked) if locked.child_id else None
        _check_decision(locked, choice)
        _check_case_rules(locked, choice.decision, open_case)
        case, investigation = _carry_out(locked, choice, open_case, acting_user, role, now)
        _store_decision(locked, choice, case, acting_user, now)
        note = _decision_summary(locked, investigation, notify_guardians)
        _event(locked, EventKind.DECIDED, acting_user, now, note)
        audit.record(
            acting_user,
            AuditAction.UPDATE,
            locked,
            role=role,
            purpose="Screeningsbeslutning om underretning (barnets lov § 18)",
        )
        if investigation is not None and notify_guardians:
            _write_to_custody_holders(locked, case, investigation, acting_user, now)
        if is_professional_report(locked) and choice.decision != Decision.FORWARD:
            send_feedback(locked, acting_user=acting_user, now=now)
    _copy_back(notification, locked, DECISION_FIELDS + ["feedback_sent_at"])
    return notification


@dataclass(frozen=True)
class DecisionInput:
    decision: Decision
    reason: str
    early_support: bool
    immediate_measure: bool
    forwarded_to: str


def _carry_out(n, choice: DecisionInput, open_case, acting_user, role, now):
    """The case the notification joins and the investigation it starts (if any)."""
    if choice.decision == Decision.EXISTING_CASE:
        return open_case, None
    if choice.decision != Decision.INVESTIGATION:
        return None, None
    case = open_case or _new_case(n, acting_user, role, now)
    return case, _start_investigation(case, n, acting_user, role, now)


def _store_decision(n: Notification, choice: DecisionInput, case, acting_user, now) -> None:
    n.status = NotificationStatus.DECIDED
    n.decided_at, n.decided_by = now, acting_user
    n.decision, n.decision_reason = choice.decision, choice.reason
    n.early_support, n.immediate_measure = choice.early_support, choice.immediate_measure
    n.forwarded_to, n.case = choice.forwarded_to, case
    if choice.decision == Decision.FORWARD and n.feedback_sent_at is None:
        n.feedback_due_on = None  # the municipality it goes to decides and answers the notifier
    n.save(update_fields=DECISION_FIELDS)


DECISION_FIELDS = [
    "status",
    "decided_at",
    "decided_by",
    "decision",
    "decision_reason",
    "early_support",
    "immediate_measure",
    "forwarded_to",
    "case",
    "feedback_due_on",
]


def _parse_decision(value) -> Decision:
    try:
        return Decision(value)
    except ValueError:
        raise _refuse("Vælg en af beslutningerne.", "decision") from None


def _check_can_decide(n: Notification) -> None:
    if n.status == NotificationStatus.NEW:
        raise _refuse(
            "Underretningen skal vurderes (24-timersvurderingen), før der kan træffes en "
            "beslutning."
        )
    if n.status == NotificationStatus.DECIDED:
        raise _refuse("Der er allerede truffet en beslutning om underretningen.")


def _check_decision(n: Notification, choice: DecisionInput) -> None:
    decision, reason, forwarded_to = choice.decision, choice.reason, choice.forwarded_to
    early_support, immediate_measure = choice.early_support, choice.immediate_measure
    errors: dict[str | None, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    if not reason:
        add("reason", "Skriv en begrundelse for beslutningen.")
    elif len(reason) > NOTE_MAX:
        add("reason", f"Begrundelsen må højst være på {NOTE_MAX} tegn.")
    if decision == Decision.FORWARD:
        if not forwarded_to:
            add("forwarded_to", "Skriv navnet på den kommune, underretningen sendes videre til.")
        elif len(forwarded_to) > FORWARD_MAX:
            add("forwarded_to", f"Kommunens navn må højst være på {FORWARD_MAX} tegn.")
        elif forwarded_to.casefold() == n.municipality.name.casefold():
            add("forwarded_to", "Underretningen kan ikke sendes videre til jeres egen kommune.")
        if early_support:
            add(
                "early_support",
                "Når underretningen sendes videre, er det den anden kommune, der tilbyder hjælp.",
            )
    if immediate_measure and decision not in WITH_AFDAEKNING_OR_CASE:
        add(
            "immediate_measure",
            "En straksindsats efter § 32 kan kun sættes i gang sammen med en afdækning, "
            "en børnefaglig undersøgelse eller på barnets åbne sag.",
        )
    if n.child_id is None:
        _check_unidentified_child(decision, early_support, immediate_measure, add)
    if errors:
        raise DecisionError(errors)


def _check_unidentified_child(decision, early_support, immediate_measure, add) -> None:
    if decision == Decision.INVESTIGATION:
        add(
            "decision",
            "Barnet er ikke identificeret endnu. Find barnet (fx med CPR-nummeret) og knyt det "
            "til underretningen, før der kan sættes en børnefaglig undersøgelse i gang.",
        )
    elif decision == Decision.EXISTING_CASE:
        add(
            "decision",
            "Barnet er ikke identificeret endnu, så underretningen kan ikke lægges på en sag.",
        )
    if early_support or immediate_measure:
        add(None, "Barnet skal være identificeret, før der kan sættes en indsats i gang.")


def _check_case_rules(n: Notification, decision, open_case: Case | None) -> None:
    if decision == Decision.EXISTING_CASE and n.child_id and open_case is None:
        raise _refuse(
            "Barnet har ingen åben sag. Vælg en anden beslutning, fx en børnefaglig undersøgelse.",
            "decision",
        )
    if decision == Decision.INVESTIGATION and open_case is None and n.team_id is None:
        raise _refuse(
            "Underretningen skal fordeles til et team, før der kan oprettes en sag.", "decision"
        )


def _open_case(n: Notification) -> Case | None:
    return (
        Case.objects.select_for_update(of=("self",))
        .filter(municipality_id=n.municipality_id, child_id=n.child_id, closed_on__isnull=True)
        .select_related("team", "caseworker")
        .first()
    )


def _new_case(n: Notification, acting_user: User, role: Role, now) -> Case:
    """Open the child's case (cases.case_services.open_case); if another decision opened one
    meanwhile, use that one."""
    from trappen.cases.case_services import CaseAlreadyOpen, CaseError, open_case

    caseworker = acting_user if role == Role.CASEWORKER else n.assigned_to
    try:
        return open_case(
            child=n.child,
            team=n.team,
            source=CaseSource.NOTIFICATION,
            acting_user=acting_user,
            opened_on=calendar.local_date(now),
            caseworker=caseworker,
        )
    except CaseAlreadyOpen:  # one open case per child: a concurrent decision won the race
        return _open_case(n)
    except CaseError as refused:
        raise _refuse(str(refused), "decision") from None


def _start_investigation(case: Case, n: Notification, acting_user, role, now) -> Investigation:
    """Start the investigation (`cases.investigations`), or keep the one already running."""
    from trappen.cases.investigations import start_investigation

    running = case.investigations.filter(completed_on__isnull=True).order_by("started_on").first()
    if running is not None:
        return running
    # § 20, stk. 3: 4 months after the municipality became aware, i.e. received the notification
    received_on = calendar.local_date(n.received_at)
    return start_investigation(
        case,
        aware_on=received_on,
        acting_user=acting_user,
        reason=f"Besluttet efter underretning modtaget {received_on:%d.%m.%Y} (barnets lov § 18).",
        role=role,
        started_on=calendar.local_date(now),
    )


def _decision_summary(n: Notification, investigation, notify_guardians: bool) -> str:
    parts = [Decision(n.decision).label]
    if n.decision == Decision.FORWARD:
        parts[0] = f"Videresendt til {n.forwarded_to}"
    if investigation is not None:
        parts.append(f"undersøgelsen skal være afsluttet senest {investigation.due_on:%d.%m.%Y}")
        if not notify_guardians:
            parts.append("brevet til forældremyndighedsindehaverne er holdt tilbage")
    if n.early_support:
        parts.append("tidlig forebyggende indsats (§ 30)")
    if n.immediate_measure:
        parts.append("straksindsats (§ 32)")
    return "; ".join(parts) + "."


def _write_to_custody_holders(n, case, investigation, acting_user, now) -> list[Letter]:
    """One letter per custody holder: an investigation (§ 20) has been started (§ 22, stk. 2:
    it is carried out with the custody holder as far as possible). The notifier is never named."""
    from trappen.people.models import Guardian

    holders = list(
        Guardian.objects.filter(
            child_links__child_id=n.child_id, child_links__has_custody=True
        ).order_by("pk")
    )
    elsewhere = [h for h in holders if h.municipality_id != n.municipality_id]
    for holder in elsewhere:  # a letter names one municipality's records only (create_letter)
        note = f"Brev til {holder.full_name} (registreret i en anden kommune) skal sendes manuelt"
        _event(n, EventKind.REMINDER, acting_user, now, note)
    context = {
        "notification": n,
        "decision": Decision(n.decision),
        "caseworker": case.caseworker or acting_user,
        "investigation": investigation,
    }
    letters = []
    for holder in (h for h in holders if h not in elsewhere):
        letter = create_letter(
            template="notification_decision_guardian",
            context=context,
            municipality=n.municipality,
            recipient_name=holder.full_name,
            case=case,
            recipient_guardian=holder,
            notification=n,
            acting_user=acting_user,
        )
        _event(n, EventKind.LETTER_SENT, acting_user, now, f"Brev til {holder.full_name}")
        letters.append(letter)
    return letters


# --- 3. feedback to a professional notifier ---------------------------------------------------


def is_professional_report(n: Notification) -> bool:
    """A notifier with the duty to notify (§ 133) who is known: receipt and feedback go to them."""
    return n.reporter_kind in ReporterKind.professional() and not n.is_anonymous


def feedback_recipient(n: Notification) -> tuple[str, User | None]:
    """Who the feedback goes to: the reporting user, else their unit or organisation by name."""
    if n.reporter_user is not None:
        user = n.reporter_user
        return user.get_full_name() or user.username, user
    if n.reporter_unit is not None:
        return n.reporter_unit.name, None
    return n.reporter_organisation or n.reporter_name, None


def send_feedback(
    notification: Notification,
    *,
    acting_user: User | None = None,
    now: datetime.datetime | None = None,
) -> Letter | None:
    """Send the feedback letter to the professional notifier; None if it was already sent.

    Tells whether a børnefaglig undersøgelse, support (§ 32) or a placement was started since
    the notification arrived, and nothing else about the family. Called by `record_decision`
    for professional notifiers; the detail page can send it by hand (e.g. after a lost letter
    it is not sent twice).
    """
    role = require_work_role(acting_user, notification) if acting_user is not None else ""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(notification)
        if locked.feedback_sent_at is not None:
            return None
        _check_feedback(locked)
        name, user = feedback_recipient(locked)
        letter = create_letter(
            template="notification_feedback",
            context={"notification": locked, **feedback_facts(locked)},
            municipality=locked.municipality,
            recipient_name=name,
            recipient_user=user,
            notification=locked,
            acting_user=acting_user,
        )
        locked.feedback_sent_at = now
        locked.save(update_fields=["feedback_sent_at"])
        _event(locked, EventKind.FEEDBACK_SENT, acting_user, now, f"Tilbagemelding til {name}")
        audit.record(
            acting_user,
            AuditAction.SEND,
            locked,
            role=role,
            purpose="Tilbagemelding til fagperson, der har underrettet",
            municipality=locked.municipality,
        )
    notification.feedback_sent_at = now
    return letter


def _check_feedback(n: Notification) -> None:
    if n.status != NotificationStatus.DECIDED:
        raise _refuse("Tilbagemeldingen kan først sendes, når der er truffet en beslutning.")
    if not is_professional_report(n):
        raise _refuse("Kun en fagperson, der har underrettet under eget navn, får tilbagemelding.")
    if n.decision == Decision.FORWARD:
        raise _refuse(
            "Underretningen er sendt videre. Det er den anden kommune, der giver tilbagemelding."
        )
    if not feedback_recipient(n)[0].strip():
        raise _refuse("Der er ingen modtager: underretningen har hverken navn eller enhed.")


def feedback_facts(n: Notification) -> dict[str, bool]:
    """The three facts a professional notifier is told, as of now."""
    support = placement = False
    if n.case_id is not None:
        since = calendar.local_date(n.received_at)
        steps = set(n.case.interventions.filter(start_on__gte=since).values_list("step", flat=True))
        support = Step.HOME_BASED in steps
        placement = any(step >= Step.NETWORK_PLACEMENT for step in steps)
    return {
        "investigation_started": n.decision == Decision.INVESTIGATION,
        "support_started": n.immediate_measure or support,
        "placement_started": placement,
    }
