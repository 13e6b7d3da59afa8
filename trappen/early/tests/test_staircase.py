"""The staircase with early help (trappen/early/staircase.py), on hand-built children."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from trappen.core import home_services
from trappen.core.models import Role
from trappen.core.tests.factories import (
    CaseFactory,
    ChildFactory,
    InterventionFactory,
    MunicipalityFactory,
    UnitFactory,
    user_with_role,
)
from trappen.early.staircase import child_step_on, steps_on
from trappen.early.tests.factories import EarlyHelpFactory

DAY = datetime.timedelta(days=1)


@pytest.fixture
def town(db):
    today = timezone.localdate()
    m = MunicipalityFactory()
    school = UnitFactory(municipality=m)
    team = UnitFactory(municipality=m, kind="caseworker_team")

    def child():
        return ChildFactory(municipality=m, unit=school)

    def help(c, step, start, end=None):
        return EarlyHelpFactory(
            child=c, unit=school, step=step, started_on=start, consent_on=start, ended_on=end
        )

    kids = {}
    # A: a § 32 measure (step 2) and early help (step 1): counts once, at step 2.
    kids["a"] = child()
    InterventionFactory(
        case=CaseFactory(child=kids["a"], team=team), step=2, start_on=today - 40 * DAY
    )
    help(kids["a"], 1, today - 20 * DAY)
    # B: early help at step 0 only: step 0.
    kids["b"] = child()
    help(kids["b"], 0, today - 5 * DAY)
    # C: early help at step 1 that ended yesterday: nowhere today, step 1 yesterday.
    kids["c"] = child()
    help(kids["c"], 1, today - 30 * DAY, today - DAY)
    # D: a foster family (step 4) in a case closed 3 days ago, the intervention never ended:
    #    counts until the day before the closing day.
    kids["d"] = child()
    closed = CaseFactory(child=kids["d"], team=team, closed_on=today - 3 * DAY)
    InterventionFactory(case=closed, step=4, start_on=today - 100 * DAY)
    # E: early help starting tomorrow.
    kids["e"] = child()
    help(kids["e"], 1, today + DAY)
    # G: two early helps, steps 0 and 1, both running: step 1.
    kids["g"] = child()
    help(kids["g"], 0, today - 10 * DAY)
    help(kids["g"], 1, today - 8 * DAY)
    # F: early help in another municipality: never counted here.
    other = MunicipalityFactory()
    f = ChildFactory(municipality=other, unit=UnitFactory(municipality=other))
    EarlyHelpFactory(child=f, step=1, started_on=today - 5 * DAY)
    return m, today, kids


def test_steps_on_counts_each_child_once_at_its_highest_step(town, django_assert_num_queries):
    m, today, kids = town
    with django_assert_num_queries(2):
        counts = steps_on(m.pk, today)
    # today: A step 2; B step 0; G step 1; C ended, D's case closed, E not started: none.
    assert counts == {2: 1, 0: 1, 1: 1}
    # yesterday: A 2, B 0, G 1, C 1 (its last day); D's case still closed (3 days ago).
    assert steps_on(m.pk, today - DAY) == {2: 1, 0: 1, 1: 2}
    # 4 days ago: A 2, B 0, C 1, G 1, D 4 (the case closed the day after).
    assert steps_on(m.pk, today - 4 * DAY) == {2: 1, 0: 1, 1: 2, 4: 1}
    # tomorrow: A 2, B 0, G 1, E 1.
    assert steps_on(m.pk, today + DAY) == {2: 1, 0: 1, 1: 2}


def test_child_step_on_agrees_with_steps_on(town):
    m, today, kids = town
    expected = {"a": 2, "b": 0, "c": None, "d": None, "e": None, "g": 1}
    assert {k: child_step_on(c, today) for k, c in kids.items()} == expected
    assert child_step_on(kids["c"], today - DAY) == 1
    assert child_step_on(kids["d"], today - 4 * DAY) == 4
    assert child_step_on(kids["e"], today + DAY) == 1


def test_the_analysts_start_page_counts_early_help_on_the_staircase(town):
    m, today, kids = town
    # Four more children in early help at step 1: G and these four make 5, shown (not "<5").
    for _ in range(4):
        EarlyHelpFactory(
            child=ChildFactory(municipality=m), step=1, started_on=today - DAY, unit=kids["a"].unit
        )
    analyst = user_with_role(Role.ANALYST, None, municipality=m)
    data = home_services.analyst_start(analyst, timezone.now()).data
    assert [f.value for f in data.steps] == [None, 5, None, None, None, None]
