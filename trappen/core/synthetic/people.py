"""Children, households, custody holders and network persons, all fictitious.

Names come from Faker (da_DK); CPR numbers from `cpr.synthetic_number` (day of month + 60), so
they can never be a real person's number. Random draws come from a NumPy Generator and a seeded
Faker, in a fixed order, so a seed always gives the same people.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from faker import Faker

from trappen.core import cpr
from trappen.core.synthetic import rates, streams, texts
from trappen.core.synthetic.dates import age_on, years_before
from trappen.core.synthetic.organisation import Org
from trappen.people.models import (
    Child,
    ChildGuardian,
    Guardian,
    Household,
    NetworkConsent,
    NetworkPerson,
)

DAYCARE_GROUPS = ("Røde stue", "Blå stue", "Grønne stue", "Gule stue")
ASCII = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "ü": "u", "ö": "oe", "ä": "ae"})


CONSENTS = {True: NetworkConsent.GIVEN, False: NetworkConsent.NOT_ASKED}


@dataclass
class People:
    children: list[Child] = field(default_factory=list)
    households: list[Household] = field(default_factory=list)
    guardians: list[Guardian] = field(default_factory=list)
    links: list[ChildGuardian] = field(default_factory=list)
    network: list[NetworkPerson] = field(default_factory=list)
    district: np.ndarray | None = None  # district index per child
    risk: np.ndarray | None = None  # risk class per child
    # A daycare and a school per child for the years before the current one (index per district).
    past_daycare: np.ndarray | None = None
    past_school: np.ndarray | None = None


class CprSerials:
    """Unique synthetic CPR numbers; the last digit is odd for boys and even for girls."""

    def __init__(self, rng: np.random.Generator):
        self.rng = rng
        self.used: set[str] = set()

    def next(self, birth: datetime.date, male: bool) -> str:
        serial = int(self.rng.integers(0, 10000))
        if serial % 2 != int(male):
            serial ^= 1
        number = cpr.synthetic_number(birth, serial)
        while number in self.used:
            serial = (serial + 2) % 10000
            number = cpr.synthetic_number(birth, serial)
        self.used.add(number)
        return number


def with_cpr(person, digits: str):
    """Set the encrypted CPR and its look-up hash (as `set_cpr`, whose check the tests repeat)."""
    person.cpr_encrypted = cpr.encrypt(digits)
    person.cpr_hash = cpr.lookup_hash(digits)
    return person


def email_for(first: str, last: str, n: int) -> str:
    local = f"{first}.{last}".lower().translate(ASCII).replace(" ", "")
    return f"{local}{n}@example.org"


def build_people(
    org: Org, n: int, today: datetime.date, seed: int, tick: Callable[[int], None] = lambda n: None
) -> People:
    rng = streams.rng(seed, org.spec.code, streams.PEOPLE)
    fake = streams.faker(seed, org.spec.code, streams.PEOPLE)
    people = People()
    spec = org.spec
    weights = np.array([d.weight for d in spec.districts])
    people.district = rng.choice(len(weights), size=n, p=weights / weights.sum())
    classes = np.array([share for share, _ in rates.RISK_CLASSES])
    people.risk = rng.choice(len(classes), size=n, p=classes / classes.sum())
    births = _birth_dates(rng, n, today)
    male = rng.random(n) < 0.512
    people.past_daycare = rng.integers(0, 1_000_000, size=n)
    people.past_school = rng.integers(0, 1_000_000, size=n)
    serials = CprSerials(rng)
    m = org.municipality
    for i in range(n):
        first = fake.first_name_male() if male[i] else fake.first_name_female()
        child = Child(
            municipality=m,
            first_name=first,
            last_name="",
            birth_date=births[i],
            district=spec.districts[people.district[i]].name,
            is_synthetic=True,
        )
        with_cpr(child, serials.next(births[i], bool(male[i])))
        _place(child, org, int(people.district[i]), today, rng)
        people.children.append(child)
        if i % 500 == 499:
            tick(500)
    tick(n % 500)
    _households(people, org, rng, fake, serials)
    return people


def _birth_dates(rng, n: int, today: datetime.date) -> list[datetime.date]:
    """Ages 0-17 today, spread evenly over the birth years; nobody born today."""
    first = years_before(today, 18) + datetime.timedelta(days=1)
    span = (today - first).days  # the last possible birthday is yesterday
    offsets = rng.integers(0, span, size=n)
    return [first + datetime.timedelta(days=int(o)) for o in offsets]


def _place(child: Child, org: Org, d: int, today: datetime.date, rng) -> None:
    """Daycare (1-5) or school (6-17) in the child's district, and the district's health unit."""
    age = age_on(child.birth_date, today)
    child.health_unit = org.health[d]
    if age >= rates.SCHOOL_FROM_AGE:
        schools = org.schools[d]
        child.unit = schools[int(rng.integers(len(schools)))]
        child.group_name = f"{age - rates.SCHOOL_FROM_AGE}.{'ABC'[int(rng.integers(3))]}"
    elif age >= rates.DAYCARE_FROM_AGE:
        daycares = org.daycares[d]
        child.unit = daycares[int(rng.integers(len(daycares)))]
        kind = "Vuggestue" if age < 3 else "Børnehave"
        child.group_name = f"{kind}, {DAYCARE_GROUPS[int(rng.integers(len(DAYCARE_GROUPS)))]}"


def _households(people: People, org: Org, rng, fake: Faker, serials: CprSerials) -> None:
    """Group the children of each district into households (siblings) with 1-2 custody holders."""
    m = org.municipality
    sizes = np.array(rates.HOUSEHOLD_SIZES)
    p = np.array(rates.HOUSEHOLD_SIZE_P)
    for d, district in enumerate(org.spec.districts):
        members = rng.permutation(np.flatnonzero(people.district == d))
        pos = 0
        while pos < len(members):
            size = int(rng.choice(sizes, p=p))
            group = [people.children[int(i)] for i in members[pos : pos + size]]
            pos += size
            town = district.towns[int(rng.integers(len(district.towns)))]
            household = Household(
                municipality=m,
                address=f"{fake.street_name()} {int(rng.integers(1, 120))}",
                postcode=town.postcode,
                city=town.name,
                is_synthetic=True,
            )
            people.households.append(household)
            _family(people, household, group, rng, fake, serials)


def _family(people: People, household, group, rng, fake: Faker, serials: CprSerials) -> None:
    last = fake.last_name()
    oldest = min(c.birth_date for c in group)
    two = rng.random() < rates.TWO_GUARDIANS_P
    roles = (
        [("mother", False), ("father", True)]
        if two
        else [("mother", False) if rng.random() < 0.8 else ("father", True)]
    )
    for child in group:
        child.last_name = last
        child.household = household
    for relation, male in roles:
        first = fake.first_name_male() if male else fake.first_name_female()
        surname = last if relation == "father" or rng.random() < 0.6 else fake.last_name()
        birth = oldest - datetime.timedelta(days=int(rng.integers(20 * 365, 42 * 365)))
        guardian = Guardian(
            municipality=household.municipality,
            first_name=first,
            last_name=surname,
            household=household,
            email=email_for(first, surname, len(people.guardians)),
            is_synthetic=True,
        )
        with_cpr(guardian, serials.next(birth, male))
        people.guardians.append(guardian)
        people.links += [
            ChildGuardian(child=c, guardian=guardian, relation=relation, has_custody=True)
            for c in group
        ]


def build_network(people: People, org: Org, with_case: set[int], seed: int) -> None:
    """Network persons: for many children with a case, a few others."""
    rng = streams.rng(seed, org.spec.code, streams.NETWORK)
    fake = streams.faker(seed, org.spec.code, streams.NETWORK)
    draws = rng.random(len(people.children))
    for i, child in enumerate(people.children):
        p = rates.NETWORK_P_CASE if i in with_case else rates.NETWORK_P_PLAIN
        if draws[i] >= p:
            continue
        for k in rng.choice(
            len(texts.NETWORK_RELATIONS), size=int(rng.integers(1, 4)), replace=False
        ):
            relation, closeness = texts.NETWORK_RELATIONS[int(k)]
            people.network.append(
                NetworkPerson(
                    child=child,
                    name=f"{fake.first_name()} {fake.last_name()}",
                    relation=relation,
                    closeness=closeness,
                    can_offer=texts.NETWORK_OFFERS[int(rng.integers(len(texts.NETWORK_OFFERS)))],
                    consent=NetworkConsent.GIVEN
                    if rng.random() < 0.7
                    else NetworkConsent.NOT_ASKED,
                    is_synthetic=True,
                )
            )
