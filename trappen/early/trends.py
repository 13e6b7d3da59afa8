"""The trend of a child's wellbeing assessments on the shared scale (1 I trivsel … 5 Truet).

The rule (docs/early-overview.md):

* Take the levels in chronological order (oldest first) and keep only the last three
  (at most); older assessments do not count.
* Fit a least-squares line through the points (index, level) with index 0, 1, 2, and read its
  slope: slope = Σ (x - x̄)(y - ȳ) / Σ (x - x̄)².
* slope ≥ 0.5  → RISING  ("Stigende bekymring": the level of concern went up),
  slope ≤ -0.5 → FALLING ("Faldende bekymring"),
  otherwise    → STABLE  ("Uændret").
* A single assessment → FIRST ("Første vurdering"); no assessment at all → ValueError.

With two points the slope is simply the difference of the two levels; with three points it is
(last - first) / 2, so any difference of one step between the first and the last of the three
counts as a change. The slope is computed with exact fractions, never floats, so the thresholds
hold exactly.
"""

from fractions import Fraction

from django.db import models

WINDOW = 3
THRESHOLD = Fraction(1, 2)


class Trend(models.TextChoices):
    RISING = "rising", "Stigende bekymring"
    FALLING = "falling", "Faldende bekymring"
    STABLE = "stable", "Uændret"
    FIRST = "first", "Første vurdering"

    @property
    def arrow(self) -> str:
        return {"rising": "↑", "falling": "↓", "stable": "→", "first": "•"}[self.value]


def slope(levels: list[int]) -> Fraction:
    """The least-squares slope of the last up to three levels over their index (0, 1, 2)."""
    points = list(levels)[-WINDOW:]
    n = len(points)
    if n < 2:
        raise ValueError("A slope needs at least two levels.")
    mean_x = Fraction(n - 1, 2)
    mean_y = Fraction(sum(points), n)
    numerator = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(points))
    denominator = sum((x - mean_x) ** 2 for x in range(n))
    return numerator / denominator


def trend(levels: list[int]) -> Trend:
    """The trend of the levels (chronological, oldest first), by the rule in the module
    docstring. Raises ValueError when there are no levels."""
    if not levels:
        raise ValueError("No assessments: no trend.")
    if len(levels) == 1:
        return Trend.FIRST
    value = slope(levels)
    if value >= THRESHOLD:
        return Trend.RISING
    if value <= -THRESHOLD:
        return Trend.FALLING
    return Trend.STABLE


def rose_recently(levels: list[int]) -> bool:
    """Whether the child's level of concern rose over the last assessments (highlighted)."""
    return bool(levels) and trend(levels) == Trend.RISING
