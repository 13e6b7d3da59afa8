"""The letter service: render a registered template to HTML and PDF, store it, deliver it.

`create_letter` is the one way a letter comes into being: it checks the template and the context,
renders the HTML (Django template `letters/<template>.html` on the common layout
`letters/_letter.html`) and the PDF (WeasyPrint, A4, embedded CSS, DejaVu fonts), stores both with
an audit event in one transaction, and enqueues delivery after the commit. `deliver` (called by
the task) hands the letter to the configured channel, at most once. See docs/letters.md.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone, translation

from trappen.core import audit
from trappen.core.access import ACCESS_ORDER, child_filter_for_role
from trappen.core.letters.channels import DeliveryError, DeliveryRejected, get_channel
from trappen.core.models import AuditAction, Letter, LetterStatus, Municipality, Role, User

logger = logging.getLogger(__name__)

PARTY_AGE = 10  # a child from 10 is a party and may receive letters (Barnets Lov § 3)
MAX_ATTEMPTS = 5
RETRY_DELAYS = (  # after attempt 1, 2, 3, 4
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
)
STAFF_LETTER_ROLES = (Role.CASEWORKER, Role.TEAM_LEADER)


class LetterError(ValueError):
    """A letter cannot be made as asked (unknown template, missing context, wrong recipient)."""


@dataclass(frozen=True)
class LetterTemplate:
    """A registered letter: its template file `letters/<name>.html`, subject and context keys."""

    name: str
    subject: str
    required: tuple[str, ...]
    description: str


TEMPLATES: dict[str, LetterTemplate] = {
    t.name: t
    for t in (
        LetterTemplate(
            name="caseworker_changed",
            subject="Du har fået en ny rådgiver",
            required=("child", "caseworker"),
            description=(
                "To a custody holder or to a child from 10: who the new caseworker is and how to "
                "reach them. Context: child (Child), caseworker (User); optional: "
                "previous_caseworker (User), team (OrganisationalUnit; default case.team)."
            ),
        ),
        LetterTemplate(
            name="notification_receipt",
            subject="Kvittering for modtaget underretning",
            required=("notification",),
            description=(
                "Receipt to a professional who notified (within 6 working days). Context: "
                "notification (Notification); optional: team (OrganisationalUnit)."
            ),
        ),
        LetterTemplate(
            name="notification_feedback",
            subject="Tilbagemelding på din underretning",
            required=("notification",),
            description=(
                "Feedback to a professional who notified: whether a børnefaglig undersøgelse was "
                "started, and whether support (§ 32) or a placement was started. Context: "
                "notification (Notification), investigation_started (bool), support_started "
                "(bool), placement_started (bool)."
            ),
        ),
        LetterTemplate(
            name="notification_decision_guardian",
            subject="Kommunen har modtaget en underretning om dit barn",
            required=("notification", "decision"),
            description=(
                "To a custody holder: the municipality has received a notification about the "
                "child and decided what happens next (e.g. a børnefaglig undersøgelse, § 20). "
                "Context: notification (Notification), decision (Decision), caseworker (User)."
            ),
        ),
        *(  # letters the child can read, one per age band: trappen/voice/child_letters.py
            LetterTemplate(
                name=f"child_{kind}_{band}",
                subject=subject,
                required=("child", kind, "caseworker", "band"),
                description=(
                    f"To the child (from 10) or, for 6-9, to each custody holder to read aloud "
                    f"with the child: the {kind} in plain language (docs/voice-letters.md)."
                ),
            )
            for kind, subject in (("plan", "Din plan"), ("decision", "Det har vi besluttet"))
            for band in ("6_9", "10_13", "14_17")
        ),
    )
}


def get_template_spec(name: str) -> LetterTemplate:
    try:
        return TEMPLATES[name]
    except KeyError:
        known = ", ".join(sorted(TEMPLATES))
        raise LetterError(f"Ukendt brevskabelon: {name!r}. Kendte skabeloner: {known}.") from None


def check_context(spec: LetterTemplate, context: dict) -> None:
    missing = [key for key in spec.required if context.get(key) is None]
    if missing:
        raise LetterError(
            f"Brevskabelonen {spec.name!r} mangler oplysninger i konteksten: {', '.join(missing)}."
        )


def create_letter(
    *,
    template: str,
    context: dict,
    municipality: Municipality,
    recipient_name: str,
    child=None,
    case=None,
    recipient_guardian=None,
    recipient_child=None,
    recipient_user: User | None = None,
    notification=None,
    acting_user: User | None = None,
) -> Letter:
    """Render, store (with an audit event) and queue a letter; delivery starts after commit.

    The recipient is a custody holder, the child (from 10), or a user (a professional notifier's
    receipt and feedback); `notification` links a letter to the notification it answers.
    """
    spec = get_template_spec(template)
    check_context(spec, context)
    if child is None and case is not None:
        child = case.child
    check_parties(municipality, child, case, recipient_guardian, recipient_child)
    check_single_recipient(recipient_guardian, recipient_child, recipient_user)
    if notification is not None and notification.municipality_id != municipality.pk:
        raise LetterError("Brevets underretning skal høre til samme kommune.")
    if not recipient_name.strip():
        raise LetterError("Brevet skal have en modtager.")
    full_context = {
        "child": child,
        "case": case,
        "team": case.team if case is not None else None,
        **context,
        "municipality": municipality,
        "recipient_name": recipient_name,
        "recipient_is_child": recipient_child is not None,
        "letter_date": timezone.localdate(),
        "sender": acting_user,
    }
    body_html = render_body(spec, full_context)
    pdf = render_pdf(subject=spec.subject, body_html=body_html, municipality=municipality)
    channel = get_channel()
    with transaction.atomic():
        letter = Letter.objects.create(
            municipality=municipality,
            child=child,
            case=case,
            recipient_name=recipient_name,
            recipient_guardian=recipient_guardian,
            recipient_child=recipient_child,
            recipient_user=recipient_user,
            notification=notification,
            template=spec.name,
            subject=spec.subject,
            body_html=body_html,
            pdf=pdf,
            channel=channel.name,
            created_by=acting_user,
            is_synthetic=municipality.is_synthetic or getattr(child, "is_synthetic", False),
        )
        audit.record(
            acting_user,
            AuditAction.CREATE,
            letter,
            role=acting_role(acting_user),
            purpose=f"Brev dannet ({spec.name})",
            municipality=municipality,
        )
        transaction.on_commit(partial(enqueue_delivery, letter.pk), robust=True)
    return letter


def send_caseworker_changed(
    case, *, previous_caseworker: User | None = None, acting_user: User | None = None
) -> list[Letter]:
    """Tell every custody holder, and the child from 10, who the case's new caseworker is.

    Called when a case changes caseworker (Kalundborg's "robot": the letter goes out without
    anyone having to remember it). One letter per recipient; delivery follows the commit.
    """
    from trappen.people.models import Guardian

    if case.caseworker is None:
        raise LetterError("Sagen har ingen rådgiver, så der er ikke noget at fortælle om.")
    child = case.child
    context = {
        "child": child,
        "caseworker": case.caseworker,
        "previous_caseworker": previous_caseworker,
    }
    common = {
        "template": "caseworker_changed",
        "context": context,
        "municipality": case.municipality,
        "case": case,
        "acting_user": acting_user,
    }
    holders = Guardian.objects.filter(
        child_links__child=child, child_links__has_custody=True
    ).order_by("pk")
    letters = [
        create_letter(recipient_name=g.full_name, recipient_guardian=g, **common) for g in holders
    ]
    if child.age_on(timezone.localdate()) >= PARTY_AGE:
        letters.append(
            create_letter(recipient_name=child.full_name, recipient_child=child, **common)
        )
    return letters


def check_parties(municipality, child, case, recipient_guardian, recipient_child) -> None:
    """Everything in the letter belongs to one municipality, and the recipient may receive it."""
    for obj in (child, case, recipient_guardian, recipient_child):
        if obj is not None and obj.municipality_id != municipality.pk:
            raise LetterError("Brevets barn, sag og modtager skal høre til samme kommune.")
    if case is not None and child is not None and case.child_id != child.pk:
        raise LetterError("Sagen handler ikke om det barn, brevet handler om.")
    if recipient_guardian is not None and recipient_child is not None:
        raise LetterError("Et brev har én modtager: en forælder eller barnet, ikke begge.")
    if recipient_child is not None:
        if child is not None and recipient_child.pk != child.pk:
            raise LetterError("Et barn kan kun få breve om sin egen sag.")
        if recipient_child.age_on(timezone.localdate()) < PARTY_AGE:
            raise LetterError(f"Et barn kan først få breve fra kommunen fra {PARTY_AGE} år.")
    if recipient_guardian is not None and child is not None:
        has_custody = recipient_guardian.child_links.filter(child=child, has_custody=True).exists()
        if not has_custody:
            raise LetterError("Modtageren har ikke forældremyndighed over barnet.")


def check_single_recipient(*recipients) -> None:
    if sum(r is not None for r in recipients) > 1:
        raise LetterError("Et brev har én modtager.")


def acting_role(user: User | None) -> str:
    if user is None:
        return ""
    roles = user.role_set()
    return next((str(role) for role in ACCESS_ORDER if role in roles), "")


def render_body(spec: LetterTemplate, context: dict) -> str:
    """The letter as an HTML fragment (no <html>/<head>): shown in the page and put in the PDF."""
    with translation.override("da"):
        return render_to_string(f"letters/{spec.name}.html", {**context, "subject": spec.subject})


def _refuse_fetch(url: str, *args, **kwargs):
    raise ValueError("Breve henter ingen eksterne ressourcer.")


def render_pdf(*, subject: str, body_html: str, municipality: Municipality) -> bytes:
    """An accessible (PDF/UA) A4 PDF of the letter; it fetches nothing from outside."""
    from weasyprint import HTML

    document = render_to_string(
        "letters/_pdf.html",
        {"subject": subject, "body_html": body_html, "municipality": municipality},
    )
    return HTML(string=document, url_fetcher=_refuse_fetch).write_pdf(pdf_variant="pdf/ua-1")


# --- delivery -----------------------------------------------------------------------------------


def enqueue_delivery(letter_id: int, attempt: int = 1, *, delay: datetime.timedelta | None = None):
    """Queue the delivery task; later attempts wait when the task backend can defer."""
    from trappen.core.letters.tasks import deliver_letter

    task = deliver_letter
    if delay is not None and task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + delay)
    return task.enqueue(letter_id, attempt)


def deliver(letter_id: int, *, attempt: int = 1) -> str:
    """Send one letter through the configured channel, at most once.

    The letter row is locked while the channel is called, so two workers cannot both send it;
    a letter already sent is left alone. Returns the letter's outcome: "sent", "already_sent",
    "retry" (a later attempt is queued), "failed" or "missing".
    """
    channel = get_channel()
    with transaction.atomic():
        letter = Letter.objects.select_for_update().filter(pk=letter_id).first()
        if letter is None:
            return "missing"
        if letter.status == LetterStatus.SENT:
            return "already_sent"
        try:
            result = channel.send(letter)
        except DeliveryError as error:
            if attempt < MAX_ATTEMPTS:
                logger.warning(
                    "Letter %s: attempt %s failed, will retry: %s",
                    letter_id,
                    attempt,
                    type(error).__name__,
                )
                outcome = "retry"
            else:
                outcome = _mark_failed(letter, error)
        except (DeliveryRejected, ImproperlyConfigured) as error:
            outcome = _mark_failed(letter, error)
        else:
            outcome = _mark_sent(letter, channel.name, result.reference)
    if outcome == "retry":
        transaction.on_commit(
            partial(enqueue_delivery, letter_id, attempt + 1, delay=RETRY_DELAYS[attempt - 1])
        )
    return outcome


def _mark_sent(letter: Letter, channel_name: str, reference: str) -> str:
    letter.status = LetterStatus.SENT
    letter.sent_at = timezone.now()
    letter.channel = channel_name
    letter.channel_reference = reference[:100]
    letter.save(update_fields=["status", "sent_at", "channel", "channel_reference"])
    audit.record(
        None,
        AuditAction.SEND,
        letter,
        purpose=f"Brev sendt ({channel_name})",
        municipality=letter.municipality,
    )
    return "sent"


def _mark_failed(letter: Letter, error: Exception) -> str:
    logger.warning("Letter %s: delivery failed: %s", letter.pk, type(error).__name__)
    letter.status = LetterStatus.FAILED
    letter.save(update_fields=["status"])
    return "failed"


def enqueue_queued_letters(older_than: datetime.timedelta = datetime.timedelta(minutes=15)) -> int:
    """Queue delivery again for letters left queued (e.g. a crash between commit and enqueue)."""
    cutoff = timezone.now() - older_than
    ids = list(
        Letter.objects.filter(status=LetterStatus.QUEUED, created_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
    for letter_id in ids:
        enqueue_delivery(letter_id)
    return len(ids)


# --- who may read letters -----------------------------------------------------------------------


def letter_roles(user: User) -> list[Role]:
    """The roles in which `user` reads letters, most specific first."""
    if not user.is_authenticated or user.municipality_id is None:
        return []
    if "role_assignments" not in getattr(user, "_prefetched_objects_cache", {}):
        # role_set() and unit_ids() both read the assignments: one query instead of one each
        prefetch_related_objects([user], "role_assignments")
    roles = user.role_set()
    return [r for r in (*STAFF_LETTER_ROLES, Role.PROFESSIONAL, Role.CITIZEN) if r in roles]


def letter_filter_for_role(user: User, role: Role) -> Q | None:
    """Letters `user` may read in `role`: staff by the child, citizens by the recipient."""
    from trappen.people.models import Child

    if role == Role.CITIZEN:
        return Q(recipient_guardian__user=user) | Q(recipient_child__user=user)
    if role == Role.PROFESSIONAL:
        # a notifier reads the receipts and feedback sent to them, never the family's letters
        return Q(recipient_user=user)
    if role in STAFF_LETTER_ROLES:
        child_q = child_filter_for_role(user, role)
        if child_q is None:
            return None
        children = Child.objects.filter(child_q, municipality_id=user.municipality_id)
        return Q(child__in=children.values("pk"))
    return None


def visible_letters(user: User) -> QuerySet:
    """All letters `user` may read, in the user's own municipality."""
    q = None
    for role in letter_roles(user):
        role_q = letter_filter_for_role(user, role)
        if role_q is not None:
            q = role_q if q is None else q | role_q
    if q is None:
        return Letter.objects.none()
    return Letter.objects.filter(q, municipality_id=user.municipality_id)


def letter_access_role(user: User, letter: Letter) -> Role | None:
    """The role in which `user` may read `letter`, or None."""
    if letter.municipality_id != user.municipality_id:
        return None
    for role in letter_roles(user):
        q = letter_filter_for_role(user, role)
        if q is not None and Letter.objects.filter(q, pk=letter.pk).exists():
            return role
    return None


def get_letter_for_user(
    user: User, letter_id: int, *, action: str = AuditAction.VIEW, purpose: str = ""
) -> tuple[Letter, Role]:
    """The letter if `user` may read it (the read is logged), else 404."""
    letter = Letter.objects.filter(pk=letter_id).select_related("child", "municipality").first()
    role = letter_access_role(user, letter) if letter is not None else None
    if role is None:
        raise Http404("Brevet findes ikke, eller du har ikke adgang.")
    audit.record(user, action, letter, role=role, purpose=purpose, municipality=letter.municipality)
    return letter, role


def log_letter_list(user: User, letters: list[Letter], role: str) -> None:
    """One audit event per letter shown on a list page (one lock, one insert)."""
    if not letters:
        return
    audit.record_many(
        user,
        [
            audit.AuditEntry(AuditAction.VIEW, "core.letter", str(x.pk), x.child_id, "Brevliste")
            for x in letters
        ],
        role=role,
        municipality=letters[0].municipality,  # all in the user's municipality
    )
