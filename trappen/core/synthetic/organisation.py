"""The municipality's organisation: units per district, teams, providers, offers and staff.

Staff users are synthetic colleagues (authors of assessments, caseworkers of cases). They have no
usable password and are not demo users; their usernames start with the municipality's slug, so a
new run updates them instead of creating more.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from django.contrib.auth.hashers import make_password
from faker import Faker

from trappen.core import calendar
from trappen.core.models import (
    Municipality,
    OrganisationalUnit,
    Role,
    RoleAssignment,
    UnitKind,
    User,
)
from trappen.core.synthetic import rates, streams
from trappen.core.synthetic.catalogue import OFFERS, PROVIDERS
from trappen.core.synthetic.municipalities import MunicipalitySpec
from trappen.offers.models import Offer

# Names for daycares (used once each per municipality; numbered after the town when used up).
DAYCARE_NAMES = tuple(
    """Solsikken Troldehøjen Regnbuen Mælkebøtten Skovhuset Spiren Lærkereden Humlebien Myretuen
    Søstjernen Kastanjen Egebakken Fuglereden Bikuben Møllehuset Stjerneskuddet Mariehønen
    Valnødden Havtornen Lindebo Kløverbakken Bøgely Engblommen Tusindfryd Vibereden Rønnebærret
    Skovsneglen Ugleredet Sommerfuglen Hyldebærret Mosebo Strandengen Kildebakken Birkelunden
    Grantoppen Solstrålen Pileurten Havregården Spurvereden Bakkehuset Hasselnødden
    Åkanden""".split()
)
SCHOOL_SUFFIXES = ("Skole", "Østre Skole", "Vestre Skole", "Nordre Skole", "Søndre Skole")
TEAM_NAMES = ("Team Nord", "Team Syd", "Ungeteamet")
PROFESSIONAL_TITLES = {
    UnitKind.DAYCARE: "Pædagog",
    UnitKind.SCHOOL: "Lærer",
    UnitKind.HEALTH_SERVICE: "Sundhedsplejerske",
}


@dataclass
class Org:
    municipality: Municipality
    spec: MunicipalitySpec
    cal: calendar.WorkCalendar
    daycares: list[list[OrganisationalUnit]] = field(default_factory=list)  # per district
    schools: list[list[OrganisationalUnit]] = field(default_factory=list)
    health: list[OrganisationalUnit] = field(default_factory=list)
    teams: list[OrganisationalUnit] = field(default_factory=list)  # A, B (, youth)
    team_of_district: list[int] = field(default_factory=list)
    outreach_team: OrganisationalUnit | None = None
    providers: dict[str, OrganisationalUnit] = field(default_factory=dict)
    offers_by_step: dict[int, list[Offer]] = field(default_factory=dict)
    offer_weights: dict[int, np.ndarray] = field(default_factory=dict)
    caseworkers: list[list[User]] = field(default_factory=list)  # per team
    professional_of_unit: dict[int, User] = field(default_factory=dict)
    outreach_workers: list[User] = field(default_factory=list)
    team_leaders: list[User] = field(default_factory=list)  # per team
    provider_staff: dict[int, User] = field(default_factory=dict)  # by provider unit pk

    @property
    def youth_team(self) -> int | None:
        return 2 if len(self.teams) > 2 else None

    @property
    def units(self) -> list[OrganisationalUnit]:
        flat = [u for group in self.daycares + self.schools for u in group]
        return flat + self.health + self.teams + [self.outreach_team, *self.providers.values()]


def build_organisation(municipality, spec, n_children: int, seed: int) -> Org:
    rng = streams.rng(seed, spec.code, streams.ORGANISATION)
    org = Org(municipality, spec, calendar.calendar_for(municipality))
    _build_units(org, n_children, rng)
    OrganisationalUnit.objects.bulk_create(org.units)
    _build_offers(org)
    _build_staff(org, n_children, seed)
    return org


def _build_units(org: Org, n_children: int, rng) -> None:
    m, spec = org.municipality, org.spec
    names = list(rng.permutation(DAYCARE_NAMES))
    for d in spec.districts:
        in_district = n_children * d.weight
        n_day = max(1, round(in_district * 5 / 18 / rates.CHILDREN_PER_DAYCARE))
        n_school = max(1, round(in_district * 12 / 18 / rates.CHILDREN_PER_SCHOOL))
        org.daycares.append(
            [_unit(m, _daycare_name(d, i, names), UnitKind.DAYCARE, d.name) for i in range(n_day)]
        )
        org.schools.append(
            [_unit(m, _school_name(d, i), UnitKind.SCHOOL, d.name) for i in range(n_school)]
        )
        org.health.append(_unit(m, f"Sundhedsplejen {d.name}", UnitKind.HEALTH_SERVICE, d.name))
    n_teams = 3 if n_children >= 1000 else 2
    org.teams = [
        _unit(m, f"Børn og Familie – {TEAM_NAMES[i]}", UnitKind.CASEWORKER_TEAM, "")
        for i in range(n_teams)
    ]
    org.team_of_district = balanced_teams([d.weight for d in spec.districts])
    org.outreach_team = _unit(m, "Fremskudt rådgivning", UnitKind.OUTREACH_TEAM, "")
    for key, (pattern, kind) in PROVIDERS.items():
        if kind == "outreach_team":
            continue
        name = pattern.format(short=spec.short_name, town=spec.main_town.name)
        org.providers[key] = _unit(m, name, kind, "")


def balanced_teams(weights: list[float]) -> list[int]:
    """Team A (0) or B (1) per district: the largest districts first, each to the lighter team;
    the main town's district always in team A."""
    team = [0] * len(weights)
    load = [weights[0], 0.0]
    for i in sorted(range(1, len(weights)), key=lambda k: (-weights[k], k)):
        team[i] = 0 if load[0] < load[1] else 1
        load[team[i]] += weights[i]
    return team


def _daycare_name(d, i: int, names: list[str]) -> str:
    town = d.towns[i % len(d.towns)].name
    if names:
        return f"Børnehuset {names.pop()}, {town}"
    return f"Dagtilbud {town} {i + 1}"


def _school_name(d, i: int) -> str:
    if i < len(d.towns):
        return f"{d.towns[i].name} Skole"
    return f"{d.towns[0].name} {SCHOOL_SUFFIXES[1 + (i - len(d.towns)) % 4]}"


def _unit(m, name: str, kind: str, district: str) -> OrganisationalUnit:
    slug = "".join(c for c in name.lower() if c.isascii() and c.isalnum())[:30]
    return OrganisationalUnit(
        municipality=m,
        name=name,
        kind=kind,
        district=district,
        email=f"{slug}@{_domain(m)}",
        phone="",
    )


def _domain(m) -> str:
    """Addresses under example.org (reserved, RFC 2606): no mail can reach a real person."""
    return f"{m.slug}.example.org"


def _build_offers(org: Org) -> None:
    offers = []
    for spec in OFFERS:
        provider = org.providers.get(spec.provider, org.outreach_team)
        offers.append(
            Offer(
                municipality=org.municipality,
                name=spec.name,
                description=spec.description,
                step=spec.step,
                legal_basis=spec.legal_basis,
                provider=provider,
                monthly_cost=spec.monthly_cost,
                is_public=True,
            )
        )
    Offer.objects.bulk_create(offers)
    for step in range(6):
        pairs = [(o, s.weight) for o, s in zip(offers, OFFERS, strict=True) if s.step == step]
        org.offers_by_step[step] = [o for o, _ in pairs]
        w = np.array([w for _, w in pairs])
        org.offer_weights[step] = w / w.sum()


# --- staff ---


def _build_staff(org: Org, n_children: int, seed: int) -> None:
    fake = streams.faker(seed, org.spec.code, streams.ORGANISATION)
    slug = org.municipality.slug
    plan: list[tuple[str, str, Role, OrganisationalUnit | None]] = []
    open_cases = n_children * rates.OPEN_CASES_PER_CHILD
    per_team = max(2, math.ceil(open_cases / len(org.teams) / rates.CASES_PER_CASEWORKER))
    for t, team in enumerate(org.teams):
        plan += [
            (f"{slug}-raadgiver-{t + 1}{i + 1:02d}", "Socialrådgiver", Role.CASEWORKER, team)
            for i in range(per_team)
        ]
        plan.append((f"{slug}-teamleder-{t + 1}", "Teamleder", Role.TEAM_LEADER, team))
    universal = [u for group in org.daycares + org.schools for u in group] + org.health
    for i, unit in enumerate(universal):
        plan.append(
            (
                f"{slug}-fagperson-{i + 1:03d}",
                PROFESSIONAL_TITLES[unit.kind],
                Role.PROFESSIONAL,
                unit,
            )
        )
    n_outreach = max(1, (len(org.spec.districts) + 1) // 2)
    plan += [
        (f"{slug}-fremskudt-{i + 1}", "Fremskudt socialrådgiver", Role.OUTREACH, org.outreach_team)
        for i in range(n_outreach)
    ]
    plan += [
        (f"{slug}-udfoerer-{key}", "Familiebehandler", Role.PROVIDER, unit)
        for key, unit in org.providers.items()
    ]
    users = _upsert_users(org.municipality, [(u, t) for u, t, _, _ in plan], fake)
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=users[u], role=r, unit=unit) for u, _, r, unit in plan]
        + _outreach_units(org, users, slug)
    )
    org.caseworkers = [
        [users[u] for u, _, r, unit in plan if r == Role.CASEWORKER and unit == team]
        for team in org.teams
    ]
    org.professional_of_unit = {
        unit.pk: users[u] for u, _, r, unit in plan if r == Role.PROFESSIONAL
    }
    org.outreach_workers = [users[u] for u, _, r, _ in plan if r == Role.OUTREACH]
    org.team_leaders = [
        next(users[u] for u, _, r, unit in plan if r == Role.TEAM_LEADER and unit == team)
        for team in org.teams
    ]
    org.provider_staff = {unit.pk: users[u] for u, _, r, unit in plan if r == Role.PROVIDER}
    org.provider_staff[org.outreach_team.pk] = org.outreach_workers[0]  # delivers step 0


def _outreach_units(org: Org, users: dict[str, User], slug: str) -> list[RoleAssignment]:
    """Each outreach worker covers the schools and daycares of two districts."""
    rows = []
    for d in range(len(org.spec.districts)):
        user = users[f"{slug}-fremskudt-{d // 2 + 1}"]
        rows += [
            RoleAssignment(user=user, role=Role.OUTREACH, unit=u)
            for u in org.daycares[d] + org.schools[d]
        ]
    return rows


def _upsert_users(municipality, plan: list[tuple[str, str]], fake: Faker) -> dict[str, User]:
    """Create or update the staff users by username; their role assignments start afresh."""
    existing = {u.username: u for u in User.objects.filter(username__in=[n for n, _ in plan])}
    RoleAssignment.objects.filter(user__in=existing.values()).delete()
    unusable = make_password(None)
    users, new, old = {}, [], []
    for username, title in plan:
        first, last = fake.first_name(), fake.last_name()
        user = existing.get(username) or User(username=username, password=unusable)
        user.first_name, user.last_name, user.title = first, last, title
        user.municipality, user.is_active, user.is_demo = municipality, True, False
        user.email = f"{username}@{_domain(municipality)}"
        users[username] = user
        (old if user.pk else new).append(user)
    User.objects.bulk_create(new)
    fields = ["first_name", "last_name", "title", "municipality", "is_active", "is_demo", "email"]
    User.objects.bulk_update(old, fields)
    return users
