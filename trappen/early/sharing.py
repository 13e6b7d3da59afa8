"""What of an assessment is shared with whom outside the unit, and on what legal basis.

Nothing identifying leaves a school, daycare or health visitor before consent or a notification,
except the exchange Barnets Lov allows between professionals in the early preventive
cooperation when it is necessary for the child's wellbeing (`EARLY_COOPERATION_PARAGRAPH`;
docs/legal.md). Each sharing is recorded with its basis:

- `record_sharing(assessment, *, recipient, recipient_detail, basis, consent_from, purpose,
  shared_on, acting_user)`: only a professional of the assessment's unit who may see the child
  there (the group rule of `assessments.may_assess`) records it; the recipient and the basis are
  from `SharingRecipient` and `SharingBasis`; consent names who consented; every sharing states
  its purpose, and for the early cooperation the purpose must say why the exchange is necessary
  for the child's wellbeing; the date is neither in the future nor before the assessment. The
  audit row is written in the same transaction.

A sharing with recipient "outreach" is what lets the unit's outreach social worker see the
child (`core.access.child_filter_for_role`, Role.OUTREACH).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from trappen.core import audit
from trappen.core.models import AuditAction, Role, User
from trappen.early.assessments import Errors, clean_text, may_assess
from trappen.early.models import (
    InformationSharing,
    SharingBasis,
    SharingRecipient,
    WellbeingAssessment,
)

# The paragraph of Barnets Lov on the exchange of information between professionals in the
# early preventive cooperation without consent; the lead fills it from docs/legal.md.
# The SSD exchange of the former serviceloven § 49 a; its paragraph in barnets lov was not
# verified (docs/legal.md), so the page names the old one and says so.
EARLY_COOPERATION_PARAGRAPH = (
    "SSD-udveksling, tidligere servicelovens § 49 a; paragraffen i barnets lov er ikke efterprøvet"
)

PURPOSE = "Deling af trivselsvurdering"
DETAIL_MAX = 200
CONSENT_FROM_MAX = 200
PURPOSE_MAX = 300

NO_ACCESS = "Kun fagpersoner i den enhed, der har lavet vurderingen, kan registrere en deling."
RECIPIENT_MISSING = "Vælg, hvem oplysningerne er delt med."
BASIS_MISSING = "Vælg hjemmelen for delingen."
CONSENT_FROM_MISSING = "Skriv, hvem der har givet samtykke (fx mor med forældremyndighed)."
PURPOSE_MISSING = "Skriv formålet med delingen."
DATE_MISSING = "Skriv datoen for delingen."
DATE_FUTURE = "Delingen kan ikke ligge i fremtiden."
DATE_BEFORE_ASSESSMENT = "Delingen kan ikke ligge før vurderingen."


def early_cooperation_rule() -> str:
    """The rule for sharing without consent, as the page and the error message explain it."""
    return (
        "Uden samtykke må du kun dele oplysninger med andre fagpersoner i det tidlige "
        "eller forebyggende samarbejde om udsatte børn, når det er nødvendigt "
        f"({EARLY_COOPERATION_PARAGRAPH}). Del kun det nødvendige, og skriv, hvorfor det er "
        "nødvendigt."
    )


def early_cooperation_purpose_missing() -> str:
    return f"Skriv, hvorfor delingen er nødvendig for barnets trivsel. {early_cooperation_rule()}"


@transaction.atomic
def record_sharing(
    assessment: WellbeingAssessment,
    *,
    recipient: str,
    recipient_detail: str = "",
    basis: str,
    consent_from: str = "",
    purpose: str = "",
    shared_on: datetime.date | None,
    acting_user: User,
) -> InformationSharing:
    """Record that the assessment was shared outside its unit (rules: module docstring). Raises
    ValidationError with Danish messages per field."""
    errors = Errors()
    if not may_assess(acting_user, assessment.child, assessment.unit_id):
        errors.add(None, NO_ACCESS)
    if recipient not in SharingRecipient.values:
        errors.add("recipient", RECIPIENT_MISSING)
    if basis not in SharingBasis.values:
        errors.add("basis", BASIS_MISSING)
    detail = clean_text(errors, "recipient_detail", recipient_detail, DETAIL_MAX)
    consented = clean_text(errors, "consent_from", consent_from, CONSENT_FROM_MAX)
    why = clean_text(errors, "purpose", purpose, PURPOSE_MAX)
    if basis == SharingBasis.CONSENT and not consented:
        errors.add("consent_from", CONSENT_FROM_MISSING)
    if not why:
        missing = basis == SharingBasis.EARLY_COOPERATION
        errors.add("purpose", early_cooperation_purpose_missing() if missing else PURPOSE_MISSING)
    if shared_on is None:
        errors.add("shared_on", DATE_MISSING)
    elif shared_on > timezone.localdate():
        errors.add("shared_on", DATE_FUTURE)
    elif shared_on < assessment.assessed_on:
        errors.add("shared_on", DATE_BEFORE_ASSESSMENT)
    errors.raise_if_any()
    sharing = InformationSharing.objects.create(
        assessment=assessment,
        child_id=assessment.child_id,
        unit_id=assessment.unit_id,
        recipient=recipient,
        recipient_detail=detail,
        basis=basis,
        consent_from=consented if basis == SharingBasis.CONSENT else "",
        purpose=why,
        shared_on=shared_on,
        recorded_by=acting_user,
        is_synthetic=assessment.is_synthetic,
    )
    audit.record(acting_user, AuditAction.CREATE, sharing, role=Role.PROFESSIONAL, purpose=PURPOSE)
    return sharing
