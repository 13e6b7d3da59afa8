"""Finding and describing children, scoped to what the requesting user may see."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from trappen.cases.access import case_role
from trappen.cases.models import Case, Intervention
from trappen.cases.services import current_step
from trappen.core import cpr
from trappen.core.models import Municipality, Role, User
from trappen.early.models import WellbeingAssessment
from trappen.notifications.models import Notification
from trappen.people.models import Child, ChildGuardian
from trappen.voice.network import active_network

CASE_ROLES = (Role.CASEWORKER, Role.TEAM_LEADER)


def find_child_by_cpr(municipality: Municipality, number: cpr.CprNumber) -> Child | None:
    return Child.objects.filter(
        municipality=municipality, cpr_hash=cpr.lookup_hash(number.digits)
    ).first()


@dataclass
class ChildOverview:
    child: Child
    role: Role
    show_cpr: bool = False
    guardians: list = field(default_factory=list)
    siblings: list = field(default_factory=list)
    network: list = field(default_factory=list)
    network_case: Case | None = None  # the case whose network map the user may open
    cases: list = field(default_factory=list)
    interventions: list = field(default_factory=list)
    assessments: list = field(default_factory=list)
    notifications: list = field(default_factory=list)
    step: int | None = None

    @property
    def has_open_case(self) -> bool:
        return any(case.is_open for case in self.cases)


def child_overview(child: Child, role: Role, user: User) -> ChildOverview:
    """What `user`, seeing the child as `role`, may see of it: case roles see the case file;
    professionals and outreach workers their own units' assessments; providers their own
    interventions; custody holders the case status and caseworker."""
    overview = ChildOverview(child=child, role=role, show_cpr=role in CASE_ROLES)
    overview.guardians = list(
        ChildGuardian.objects.filter(child=child).select_related("guardian").order_by("pk")
    )
    if role in CASE_ROLES:
        _add_case_file(overview)
        _add_network(overview, user)
    elif role in (Role.PROFESSIONAL, Role.OUTREACH):
        overview.assessments = list(
            WellbeingAssessment.objects.filter(
                child=child, unit_id__in=user.unit_ids(role)
            ).select_related("unit")[:20]
        )
    elif role == Role.PROVIDER:
        overview.interventions = list(
            Intervention.objects.filter(
                case__child=child, provider_id__in=user.unit_ids(role)
            ).select_related("provider")
        )
    elif role == Role.CITIZEN:
        overview.cases = list(
            Case.objects.filter(child=child, closed_on__isnull=True).select_related("caseworker")
        )
    return overview


def _add_case_file(overview: ChildOverview) -> None:
    child = overview.child
    overview.cases = list(
        Case.objects.filter(child=child)
        .select_related("team", "caseworker")
        .prefetch_related(
            Prefetch("interventions", queryset=Intervention.objects.select_related("provider"))
        )
        .order_by("-opened_on")
    )
    overview.interventions = [i for case in overview.cases for i in case.interventions.all()]
    overview.step = current_step(overview.interventions, timezone.localdate())
    overview.assessments = list(child.assessments.select_related("unit")[:20])
    overview.notifications = list(
        Notification.objects.filter(child=child).order_by("-received_at")[:20]
    )
    if child.household_id:
        overview.siblings = list(
            Child.objects.filter(household_id=child.household_id).exclude(pk=child.pk)
        )


def _add_network(overview: ChildOverview, user: User) -> None:
    """The network is the case team's (docs/voice-network.md): only a user who may work on one
    of the child's cases (`case_role`, an open case first) gets the persons on the map and the
    link to it. The view logs each person shown in the same audit write as the child's
    overview (`core.views.children.detail`)."""
    for case in sorted(overview.cases, key=lambda c: not c.is_open):
        if case_role(user, case) is not None:
            overview.network_case = case
            overview.network = list(active_network(case.child_id))
            return
