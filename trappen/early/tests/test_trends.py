"""The trend maths on hand-built sequences; every expected slope is computed by hand below.

For n points at x = 0..n-1: slope = Σ (x - x̄)(y - ȳ) / Σ (x - x̄)².
Two points (x̄ = 0.5): Σ (x - x̄)² = 0.25 + 0.25 = 0.5, numerator = (-0.5)(y0 - ȳ) + 0.5(y1 - ȳ)
  = 0.5 (y1 - y0), so slope = y1 - y0.
Three points (x̄ = 1): Σ (x - x̄)² = 1 + 0 + 1 = 2, numerator = -(y0 - ȳ) + 0 + (y2 - ȳ) = y2 - y0,
  so slope = (y2 - y0) / 2.
"""

from fractions import Fraction

import pytest

from trappen.early.trends import Trend, rose_recently, slope, trend


@pytest.mark.parametrize(
    "levels, expected_slope, expected_trend",
    [
        # [1, 2]: two points, slope = 2 - 1 = 1 ≥ 0.5 → rising
        ([1, 2], Fraction(1), Trend.RISING),
        # [2, 1]: slope = 1 - 2 = -1 ≤ -0.5 → falling
        ([2, 1], Fraction(-1), Trend.FALLING),
        # [3, 3]: slope = 0 → stable
        ([3, 3], Fraction(0), Trend.STABLE),
        # [1, 2, 1]: ȳ = 4/3; numerator = (0-1)(1-4/3) + (1-1)(2-4/3) + (2-1)(1-4/3)
        #   = 1/3 + 0 - 1/3 = 0; slope = 0 / 2 = 0 → stable
        ([1, 2, 1], Fraction(0), Trend.STABLE),
        # [1, 1, 2]: ȳ = 4/3; numerator = (-1)(1-4/3) + 0 + (1)(2-4/3) = 1/3 + 2/3 = 1;
        #   slope = 1/2 = 0.5 → rising (the threshold is inclusive)
        ([1, 1, 2], Fraction(1, 2), Trend.RISING),
        # [3, 2, 2]: ȳ = 7/3; numerator = (-1)(3-7/3) + 0 + (1)(2-7/3) = -2/3 - 1/3 = -1;
        #   slope = -1/2 → falling (inclusive)
        ([3, 2, 2], Fraction(-1, 2), Trend.FALLING),
        # [1, 3, 2]: ȳ = 2; numerator = (-1)(1-2) + (0)(3-2) + (1)(2-2) = 1 + 0 + 0 = 1;
        #   slope = 1/2 → rising
        ([1, 3, 2], Fraction(1, 2), Trend.RISING),
        # [2, 4, 2]: ȳ = 8/3; numerator = (-1)(2-8/3) + 0 + (1)(2-8/3) = 2/3 - 2/3 = 0 → stable
        #   (a single high point that came back down is not a trend)
        ([2, 4, 2], Fraction(0), Trend.STABLE),
        # [1, 3, 5]: ȳ = 3; numerator = (-1)(-2) + 0 + (1)(2) = 4; slope = 2 → rising
        ([1, 3, 5], Fraction(2), Trend.RISING),
        # [5, 4, 1]: ȳ = 10/3; numerator = (-1)(5-10/3) + 0 + (1)(1-10/3) = -5/3 - 7/3 = -4;
        #   slope = -2 → falling
        ([5, 4, 1], Fraction(-2), Trend.FALLING),
    ],
)
def test_slope_and_trend_on_hand_computed_sequences(levels, expected_slope, expected_trend):
    assert slope(levels) == expected_slope
    assert trend(levels) == expected_trend


def test_only_the_last_three_assessments_count():
    # The whole sequence [5, 5, 5, 1, 1, 2] falls steeply overall, but the last three are
    # [1, 1, 2]: slope = (2 - 1) / 2 = 0.5 → rising.
    assert slope([5, 5, 5, 1, 1, 2]) == Fraction(1, 2)
    assert trend([5, 5, 5, 1, 1, 2]) == Trend.RISING
    # [1, 1, 1, 4, 4, 4]: the last three are [4, 4, 4], slope 0 → stable, although the
    # level rose from 1 to 4 earlier.
    assert trend([1, 1, 1, 4, 4, 4]) == Trend.STABLE
    # [1, 5, 3, 3]: last three [5, 3, 3], slope = (3 - 5) / 2 = -1 → falling; with the first
    # assessment included the line would be flatter, so this proves it is left out.
    assert slope([1, 5, 3, 3]) == Fraction(-1)
    assert trend([1, 5, 3, 3]) == Trend.FALLING


def test_one_assessment_is_the_first_and_none_is_an_error():
    assert trend([3]) == Trend.FIRST
    assert not rose_recently([3])
    with pytest.raises(ValueError):
        trend([])
    with pytest.raises(ValueError):
        slope([2])


def test_rose_recently_is_the_rising_trend():
    assert rose_recently([1, 2])
    assert rose_recently([1, 1, 2])
    assert not rose_recently([1, 2, 1])
    assert not rose_recently([3, 2, 2])
    assert not rose_recently([])


def test_labels_are_danish():
    assert Trend.RISING.label == "Stigende bekymring"
    assert Trend.FALLING.label == "Faldende bekymring"
    assert Trend.STABLE.label == "Uændret"
    assert Trend.FIRST.label == "Første vurdering"
