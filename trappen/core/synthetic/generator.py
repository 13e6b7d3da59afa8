"""One generation run: check the options, (re)build the municipality, write it, add demo users."""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass, field

from django.db import transaction

from trappen.cases import next_deadline
from trappen.cases.models import Case
from trappen.core.models import Municipality, OrganisationalUnit
from trappen.core.synthetic import streams
from trappen.core.synthetic.demo_users import ensure_demo_users
from trappen.core.synthetic.early import build_early
from trappen.core.synthetic.history import build_history
from trappen.core.synthetic.municipalities import MUNICIPALITIES
from trappen.core.synthetic.organisation import build_organisation
from trappen.core.synthetic.people import build_network, build_people
from trappen.core.synthetic.purge import purge
from trappen.core.synthetic.sim import Sim
from trappen.core.synthetic.voice import build_voice
from trappen.core.synthetic.writer import plan, write
from trappen.people.models import Child

MAX_CHILDREN = 500_000
MAX_YEARS = 18


class SeedError(ValueError):
    """Bad options or a municipality that may not be (re)generated; the text is Danish/English."""


@dataclass(frozen=True)
class SeedOptions:
    municipality: str
    children: int = 8000
    years: int = 5
    seed: int = 1
    today: datetime.date = field(default_factory=datetime.date.today)
    replace: bool = False
    demo_users: bool = True


@dataclass
class SeedResult:
    municipality: Municipality
    counts: dict[str, int]
    seconds: float

    def summary(self) -> str:
        parts = ", ".join(f"{n} {label}" for label, n in self.counts.items())
        rate = self.counts.get("børn", 0) / self.seconds if self.seconds else 0
        return f"{self.municipality.name}: {parts} på {self.seconds:.1f} s ({rate:.0f} børn/s)."


class Progress:
    """What the generator reports; the command shows it as a progress bar."""

    def stage(self, name: str, total: int) -> None:
        pass

    def tick(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def validate(options: SeedOptions) -> None:
    if options.municipality not in MUNICIPALITIES:
        known = ", ".join(MUNICIPALITIES)
        raise SeedError(
            f"Ukendt kommune '{options.municipality}'. Vælg en af: {known}. "
            f"(Unknown municipality; choose one of: {known}.)"
        )
    _in_range(options.children, 1, MAX_CHILDREN, "Antal børn (--children)")
    _in_range(options.years, 1, MAX_YEARS, "Antal år (--years)")
    _in_range(options.seed, 0, 2**63 - 1, "Frøet (--seed)")


def _in_range(value, low: int, high: int, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise SeedError(
            f"{what} skal være et helt tal fra {low} til {high}, ikke {value!r}. "
            f"(Must be a whole number from {low} to {high}.)"
        )


def generate(options: SeedOptions, progress: Progress | None = None) -> SeedResult:
    """Build the municipality's synthetic history in one transaction."""
    validate(options)
    progress = progress or Progress()
    began = time.perf_counter()
    spec = MUNICIPALITIES[options.municipality]
    n = options.children
    with transaction.atomic():
        municipality = _municipality(spec, options.replace)
        org = build_organisation(municipality, spec, n, options.seed)
        progress.stage("Personer", n)
        people = build_people(org, n, options.today, options.seed, progress.tick)
        history_rng = streams.rng(options.seed, spec.code, streams.HISTORY)
        detail = streams.py_random(options.seed, spec.code, streams.CASEWORK)
        sim = Sim(org, people, options.today, options.years, history_rng, detail)
        progress.stage("Historik", n)
        with_case = build_history(sim, progress.tick)
        build_network(people, org, with_case, options.seed)
        build_early(sim, streams.py_random(options.seed, spec.code, streams.EARLY))
        build_voice(
            sim,
            people,
            streams.py_random(options.seed, spec.code, streams.VOICE),
            streams.faker(options.seed, spec.code, streams.VOICE),
        )
        steps = plan(people, sim.rows)
        progress.stage("Gemmer", sum(len(rows) for _, _, rows in steps))
        counts = write(steps, progress.tick)
        if options.demo_users:
            progress.stage("Demobrugere", 1)
            demo_rng = streams.rng(options.seed, spec.code, streams.DEMO)
            ensure_demo_users(municipality, options.today, demo_rng)
            progress.tick(1)
        # Bulk inserts send no signals: store the cases' deadlines (cases/next_deadline.py).
        next_deadline.refresh(Case.objects.filter(municipality=municipality))
    progress.close()
    counts = {"enheder": len(org.units), **counts}
    return SeedResult(municipality, counts, time.perf_counter() - began)


def _municipality(spec, replace: bool) -> Municipality:
    municipality = Municipality.objects.filter(slug=spec.slug).first()
    if municipality is None:
        return Municipality.objects.create(
            slug=spec.slug, name=spec.name, code=spec.code, is_synthetic=True
        )
    if not municipality.is_synthetic:
        raise SeedError(
            f"{municipality.name} er ikke markeret som syntetisk; seed rører aldrig rigtige data. "
            "(The municipality is not synthetic; seed never touches real data.)"
        )
    seeded = (
        OrganisationalUnit.objects.filter(municipality=municipality).exists()
        or Child.objects.filter(municipality=municipality).exists()
    )
    if seeded and not replace:
        raise SeedError(
            f"{municipality.name} har allerede syntetiske data. Brug --replace for at slette "
            "og generere dem igen. (Already seeded; use --replace to delete and regenerate.)"
        )
    if seeded:
        purge(municipality)
    municipality.name, municipality.code = spec.name, spec.code
    municipality.save(update_fields=["name", "code"])
    return municipality
