"""Seeded random streams: one per part of the run, and per municipality.

Each part (organisation, people, history, ...) draws from its own stream, so a change in one part
does not shift the draws of the others; the kommunekode is mixed in, so two municipalities seeded
with the same --seed still get different people.
"""

from __future__ import annotations

import random

import numpy as np
from faker import Faker

ORGANISATION, PEOPLE, HISTORY, NETWORK, DEMO, CASEWORK, VOICE, EARLY = 1, 2, 3, 4, 5, 6, 7, 8


def rng(seed: int, code: str, part: int) -> np.random.Generator:
    return np.random.default_rng([seed, int(code), part])


def faker(seed: int, code: str, part: int) -> Faker:
    fake = Faker("da_DK")
    fake.seed_instance(f"{seed}-{code}-{part}")
    return fake


def py_random(seed: int, code: str, part: int) -> random.Random:
    """A plain Python stream (cheaper than NumPy for the many single draws of the case work's
    details: plans, goals, scores, texts); seeded from a string, so the same on every run."""
    return random.Random(f"{seed}-{code}-{part}")
