"""The demo users: one per role, with a recognisable (fictitious) Danish name and title.

`DEMO_USERS` is the one list of them (the login page shows it). `ensure_demo_users` creates or
updates them in a seeded municipality and links them to its data, so every start page is full:
the caseworkers get a share of the team's open cases, the provider delivers interventions, the
professionals have children and submitted notifications (the teacher bound to one class), the
school's leader sees its aggregated levels, the outreach social worker holds the units'
consultation slots and early help, the citizens are a custody holder of a child with an open
case and a young person (10+) with one. Running it again moves the demo
users to the municipality given (usernames are global). Production refuses it.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.db.models import Count, Q
from django.utils.timezone import localdate

from trappen.cases.models import (
    Case,
    CaseworkerAssignment,
    ChildPlan,
    FollowUp,
    GoalScore,
    Intervention,
    ScoreSource,
)
from trappen.core.models import OrganisationalUnit, Role, RoleAssignment, UnitKind, User
from trappen.core.synthetic.dates import years_before
from trappen.early.models import (
    Consultation,
    ConsultationSlot,
    EarlyHelp,
    InformationSharing,
    RequesterKind,
    WellbeingAssessment,
)
from trappen.notifications.models import Notification, NotificationEvent
from trappen.people.models import Child, ChildGuardian, Guardian
from trappen.voice.models import (
    CaseDecision,
    ChildConversation,
    FamilyGroupConference,
    NetworkMeeting,
)

DEFAULT_PASSWORD = "trappen-demo"  # noqa: S105 - the documented demo password, never production
# The administrator may manage these (app label, model); never people or cases.
ADMIN_MODELS = (
    ("core", "user"),
    ("core", "organisationalunit"),
    ("core", "roleassignment"),
    ("core", "closingday"),
    ("offers", "offer"),
)


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role
    label: str
    first_name: str = ""
    last_name: str = ""
    title: str = ""


DEMO_USERS: list[DemoUser] = [
    DemoUser("fagperson", Role.PROFESSIONAL, "Fagperson (lærer)", "Mette", "Kristensen", "Lærer"),
    DemoUser("paedagog", Role.PROFESSIONAL, "Fagperson (pædagog)", "Anders", "Holm", "Pædagog"),
    DemoUser("skoleleder", Role.UNIT_LEADER, "Leder af skole", "Karin", "Bjerre", "Skoleleder"),
    DemoUser(
        "fremskudt",
        Role.OUTREACH,
        "Fremskudt socialrådgiver",
        "Camilla",
        "Bach",
        "Fremskudt socialrådgiver",
    ),
    DemoUser(
        "raadgiver",
        Role.CASEWORKER,
        "Rådgiver, Team Nord",
        "Louise",
        "Østergaard",
        "Socialrådgiver",
    ),
    DemoUser(
        "raadgiver2", Role.CASEWORKER, "Rådgiver, Team Nord", "Jesper", "Lund", "Socialrådgiver"
    ),
    DemoUser(
        "raadgiver-b", Role.CASEWORKER, "Rådgiver, Team Syd", "Sara", "Mikkelsen", "Socialrådgiver"
    ),
    DemoUser("udfoerer", Role.PROVIDER, "Udfører", "Henrik", "Dam", "Familiebehandler"),
    DemoUser(
        "teamleder", Role.TEAM_LEADER, "Teamleder, Team Nord", "Dorthe", "Vestergaard", "Teamleder"
    ),
    DemoUser("analytiker", Role.ANALYST, "Analytiker og ledelse", "Peter", "Juhl", "Chefkonsulent"),
    DemoUser(
        "admin", Role.ADMINISTRATOR, "Administrator", "Birgitte", "Lauridsen", "Systemadministrator"
    ),
    DemoUser("foraelder", Role.CITIZEN, "Forælder med forældremyndighed"),
    DemoUser("ung", Role.CITIZEN, "Ung, part i egen sag (10+ år)"),
]
DEMO_USERNAMES = [d.username for d in DEMO_USERS]


class DemoUsersRefused(RuntimeError):
    """Demo users are never created in production."""


def demo_password() -> str:
    return os.environ.get("TRAPPEN_DEMO_PASSWORD") or DEFAULT_PASSWORD


def ensure_demo_users(municipality, today: datetime.date, rng: np.random.Generator) -> dict:
    """Create or update the demo users in `municipality` and link them to its data."""
    if settings.PRODUCTION:
        raise DemoUsersRefused(
            "Demobrugere oprettes aldrig i produktion (TRAPPEN_ENV=production). "
            "Demo users are never created in production."
        )
    units = _Units(municipality)
    users = _upsert(municipality)
    RoleAssignment.objects.filter(user__in=users.values()).delete()
    RoleAssignment.objects.bulk_create(_assignments(users, units))
    _admin_permissions(users["admin"])
    _link_professionals(users, units, today)
    _link_outreach(users["fremskudt"], units)
    _link_caseworkers(users, units, rng)
    _link_citizens(users, units, today, rng)
    return users


class _Units:
    """The units the demo users work in, chosen from the data so their pages are full."""

    def __init__(self, municipality):
        own = OrganisationalUnit.objects.filter(municipality=municipality).order_by("pk")
        teams = list(own.filter(kind=UnitKind.CASEWORKER_TEAM))
        if len(teams) < 2:
            raise ValueError("Kommunen mangler myndighedsteams; kør seed først.")
        self.team_a, self.team_b = teams[0], teams[1]
        self.outreach = own.filter(kind=UnitKind.OUTREACH_TEAM).first()
        self.school = _busiest(own.filter(kind=UnitKind.SCHOOL))
        # The teacher's class: the school's most common class (then the first by name).
        classes = (
            Child.objects.filter(unit=self.school)
            .exclude(group_name="")
            .values_list("group_name")
            .annotate(n=Count("id"))
            .order_by("-n", "group_name")
        )
        self.school_class = classes[0][0] if self.school and classes else ""
        self.daycare = _busiest(own.filter(kind=UnitKind.DAYCARE))
        self.provider = (
            own.filter(kind=UnitKind.PROVIDER)
            .annotate(n=Count("interventions", filter=Q(interventions__end_on__isnull=True)))
            .order_by("-n", "pk")
            .first()
        )
        district = self.school.district if self.school else None
        near = own.filter(kind__in=[UnitKind.SCHOOL, UnitKind.DAYCARE], district=district)
        mine = [u for u in (self.school, self.daycare) if u is not None]
        self.outreach_units = list(dict.fromkeys(mine + list(near[:4])))


def _busiest(units):
    """The unit that submitted the most notifications (then has the most children)."""
    units = list(units)
    if not units:
        return None
    notes = dict(
        Notification.objects.filter(reporter_unit__in=units)
        .values_list("reporter_unit")
        .annotate(n=Count("id"))
    )
    kids = dict(Child.objects.filter(unit__in=units).values_list("unit").annotate(n=Count("id")))
    return max(units, key=lambda u: (notes.get(u.pk, 0), kids.get(u.pk, 0), -u.pk))


def _upsert(municipality) -> dict[str, User]:
    existing = {u.username: u for u in User.objects.filter(username__in=DEMO_USERNAMES)}
    # One hash for all: the demo password is public, and hashing a dozen times costs seconds.
    password = make_password(demo_password())
    users = {}
    for spec in DEMO_USERS:
        user = existing.get(spec.username) or User(username=spec.username)
        user.first_name, user.last_name, user.title = spec.first_name, spec.last_name, spec.title
        user.municipality, user.is_demo, user.is_active = municipality, True, True
        user.is_staff = spec.role == Role.ADMINISTRATOR
        user.is_superuser = False
        user.password = password
        user.email = f"{spec.username}@{municipality.slug}.example.org"
        user.save()
        users[spec.username] = user
    return users


def _assignments(users: dict, units: _Units) -> list[RoleAssignment]:
    def ra(username: str, role: Role, unit=None, group: str = "") -> RoleAssignment:
        return RoleAssignment(user=users[username], role=role, unit=unit, group_name=group)

    rows = [
        ra("fagperson", Role.PROFESSIONAL, units.school, units.school_class),
        ra("paedagog", Role.PROFESSIONAL, units.daycare),
        ra("skoleleder", Role.UNIT_LEADER, units.school),
        ra("fremskudt", Role.OUTREACH, units.outreach),
        ra("raadgiver", Role.CASEWORKER, units.team_a),
        ra("raadgiver2", Role.CASEWORKER, units.team_a),
        ra("raadgiver-b", Role.CASEWORKER, units.team_b),
        ra("udfoerer", Role.PROVIDER, units.provider),
        ra("teamleder", Role.TEAM_LEADER, units.team_a),
        ra("analytiker", Role.ANALYST),
        ra("admin", Role.ADMINISTRATOR),
        ra("foraelder", Role.CITIZEN),
        ra("ung", Role.CITIZEN),
    ]
    rows += [ra("fremskudt", Role.OUTREACH, unit) for unit in units.outreach_units]
    return rows


def _admin_permissions(admin: User) -> None:
    q = Q()
    for app_label, model in ADMIN_MODELS:
        q |= Q(content_type__app_label=app_label, content_type__model=model)
    admin.user_permissions.set(Permission.objects.filter(q))


def _link_professionals(users: dict, units: _Units, today: datetime.date) -> None:
    """The professionals submitted their unit's notifications, wrote its recent assessments
    (and recorded their sharing) and asked its consultations of the last year. The teacher is
    bound to one class: only the notifications and assessments about the children now in it
    (all the school's notifications if none concerns the class)."""
    since = years_before(today, 1)
    pairs = (("fagperson", units.school, units.school_class), ("paedagog", units.daycare, ""))
    for username, unit, group in pairs:
        if unit is None:
            continue
        user = users[username]
        notes = Notification.objects.filter(reporter_unit=unit)
        assessments = WellbeingAssessment.objects.filter(unit=unit, assessed_on__gte=since)
        if group:
            in_class = {"child__unit": unit, "child__group_name": group}
            if notes.filter(**in_class).exists():
                notes = notes.filter(**in_class)
            assessments = assessments.filter(**in_class)
        notes.update(
            reporter_user=user,
            reporter_name=user.get_full_name(),
            reporter_profession=user.title,
            reporter_email=user.email,
        )
        assessments.update(author=user)
        InformationSharing.objects.filter(assessment__in=assessments).update(recorded_by=user)
        Consultation.objects.filter(
            unit=unit,
            requester_kind=RequesterKind.PROFESSIONAL,
            created_at__date__gte=since,
        ).update(requester=user)


def _link_outreach(user: User, units: _Units) -> None:
    """The outreach worker holds the slots of the units assigned, handled their consultations
    and started their early help."""
    mine = units.outreach_units
    ConsultationSlot.objects.filter(unit__in=mine).update(outreach_worker=user)
    Consultation.objects.filter(unit__in=mine, handled_by__isnull=False).update(handled_by=user)
    EarlyHelp.objects.filter(unit__in=mine).update(started_by=user)


def _link_caseworkers(users: dict, units: _Units, rng) -> None:
    """Give the demo caseworkers a good share of their team's open cases."""
    shares = (
        (units.team_a, (("raadgiver", 0.30, 40), ("raadgiver2", 0.20, 25))),
        (units.team_b, (("raadgiver-b", 0.30, 40),)),
    )
    for team, takers in shares:
        open_ids = list(
            Case.objects.filter(team=team, closed_on__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        order = [open_ids[int(k)] for k in rng.permutation(len(open_ids))]
        for username, share, cap in takers:
            take = min(cap, max(1, round(share * len(open_ids)))) if open_ids else 0
            chosen, order = order[:take], order[take:]
            _hand_over(users[username], chosen)
        # Assigned notifications waiting for the 24-hour assessment go to the first demo
        # caseworker; the unassigned ones stay in the team's inbox for the team leader.
        waiting = Notification.objects.filter(
            team=team, assessed_at__isnull=True, assigned_to__isnull=False
        )
        waiting.update(assigned_to=users[takers[0][0]])


def _hand_over(user: User, case_ids: list[int]) -> None:
    """Make `user` the current caseworker of the cases, in the case, its assignment history and
    the notifications, conversations, decisions (on notifications and `CaseDecision`), network
    meetings, family group conferences referred, plans, follow-ups and the caseworker's goal
    scores since the current assignment began."""
    if not case_ids:
        return
    Case.objects.filter(pk__in=case_ids).update(caseworker=user)
    current = CaseworkerAssignment.objects.filter(case_id__in=case_ids, ended_on__isnull=True)
    since = dict(current.values_list("case_id", "started_on"))
    current.update(caseworker=user)
    children = dict(Case.objects.filter(pk__in=case_ids).values_list("pk", "child_id"))
    child_since = {children[c]: day for c, day in since.items()}
    notes = Notification.objects.filter(child_id__in=child_since).values_list(
        "pk", "child_id", "received_at"
    )
    _take_notifications(
        user, [pk for pk, child, at in notes if localdate(at) >= child_since[child]]
    )
    mine = (
        (ChildConversation.objects.filter(case_id__in=since), "case_id", "held_on", "held_by"),
        (CaseDecision.objects.filter(case_id__in=since), "case_id", "decided_on", "decided_by"),
        (NetworkMeeting.objects.filter(case_id__in=since), "case_id", "held_on", "recorded_by"),
        (
            FamilyGroupConference.objects.filter(case_id__in=since),
            "case_id",
            "referred_on",
            "referred_by",
        ),
        (Intervention.objects.filter(case_id__in=since), "case_id", "granted_on", "decided_by"),
        (ChildPlan.objects.filter(case_id__in=since), "case_id", "decided_on", "created_by"),
        (
            FollowUp.objects.filter(intervention__case_id__in=since, held_on__isnull=False),
            "intervention__case_id",
            "held_on",
            "held_by",
        ),
        (
            GoalScore.objects.filter(goal__plan__case_id__in=since).exclude(
                source=ScoreSource.PROVIDER
            ),
            "goal__plan__case_id",
            "recorded_on",
            "recorded_by",
        ),
    )
    for queryset, case_path, day_field, user_field in mine:
        rows = queryset.values_list("pk", case_path, day_field)
        chosen = [pk for pk, case, day in rows if day is not None and day >= since[case]]
        queryset.model.objects.filter(pk__in=chosen).update(**{user_field: user})


def _take_notifications(user: User, ids: list[int]) -> None:
    """Make `user` the handler of the notifications: assigned, and the one who assessed and
    decided them where that is done (and the actor of those steps on the timeline)."""
    notes = Notification.objects.filter(pk__in=ids)
    notes.update(assigned_to=user)
    notes.filter(assessed_by__isnull=False).update(assessed_by=user)
    notes.filter(decided_by__isnull=False).update(decided_by=user)
    NotificationEvent.objects.filter(notification_id__in=ids, actor__isnull=False).update(
        actor=user
    )


def _link_citizens(users: dict, units: _Units, today: datetime.date, rng) -> None:
    """A custody holder of a young child and a young person (10+, a party), both with an open
    case; preferably the first demo caseworker's, with a running intervention and follow-ups."""
    active = Q(interventions__end_on__isnull=True)
    cases = (
        Case.objects.filter(municipality=units.team_a.municipality_id, closed_on__isnull=True)
        .annotate(running=Count("interventions", filter=active, distinct=True))
        .annotate(n=Count("interventions__follow_ups", distinct=True))
        .select_related("child")
    )
    first, team = users["raadgiver"].pk, units.team_a.pk
    ranked = sorted(
        cases,
        key=lambda c: (c.caseworker_id != first, c.team_id != team, not c.running, -c.n, c.pk),
    )
    ages = {c.pk: c.child.age_on(today) for c in ranked}
    young = next((c for c in ranked if ages[c.pk] < 10), ranked[0] if ranked else None)
    household = young.child.household_id if young else None
    teen = next(
        (c for c in ranked if 12 <= ages[c.pk] and c.child.household_id != household),
        next((c for c in ranked if 10 <= ages[c.pk] and c is not young), None),
    )
    Guardian.objects.filter(user=users["foraelder"]).update(user=None)
    Child.objects.filter(user=users["ung"]).update(user=None)
    if young is not None:
        link = (
            ChildGuardian.objects.filter(child=young.child, has_custody=True)
            .select_related("guardian")
            .order_by("guardian_id")
            .first()
        )
        if link is not None:
            _become(users["foraelder"], link.guardian)
    if teen is not None:
        _become(users["ung"], teen.child)


def _become(user: User, person) -> None:
    """Link the citizen user to the synthetic person and take the person's name."""
    person.user = user
    person.save(update_fields=["user"])
    user.first_name, user.last_name = person.first_name, person.last_name
    user.save(update_fields=["first_name", "last_name"])
