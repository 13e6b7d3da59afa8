"""The figures of early detection (trappen/early/figures.py) on hand-built data, and the page.

The period is the calendar year 2025 (both days included). Expected values are computed by hand
in the comments next to the data.
"""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.urls import reverse

from trappen.cases.models import CaseSource
from trappen.core.models import UnitKind
from trappen.core.tests.factories import (
    CaseFactory,
    ChildFactory,
    InterventionFactory,
    MunicipalityFactory,
    UnitFactory,
    WellbeingAssessmentFactory,
)
from trappen.early import figures
from trappen.early.models import ConsultationStatus
from trappen.early.tests.factories import ConsultationFactory, EarlyHelpFactory
from trappen.early.views.figures import _median, _share, default_period

D = datetime.date
START, END = D(2025, 1, 1), D(2025, 12, 31)
CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=CPH)


@pytest.fixture
def town(db):
    m = MunicipalityFactory()
    school = UnitFactory(municipality=m, name="A-skolen", kind=UnitKind.SCHOOL)
    daycare = UnitFactory(municipality=m, name="Bøgebo", kind=UnitKind.DAYCARE)
    health = UnitFactory(municipality=m, name="Sundhedsplejen", kind=UnitKind.HEALTH_SERVICE)
    UnitFactory(municipality=m, name="Z-børnehave", kind=UnitKind.DAYCARE)  # nothing at all
    team = UnitFactory(municipality=m, name="Team", kind=UnitKind.CASEWORKER_TEAM)
    other = MunicipalityFactory()
    other_school = UnitFactory(municipality=other, name="Fremmed skole")

    def child(born, unit=school, municipality=m):
        return ChildFactory(municipality=municipality, birth_date=born, unit=unit)

    def help(c, start, unit=school):
        return EarlyHelpFactory(child=c, unit=unit, started_on=start, consent_on=start)

    def intervention(c, start, source=CaseSource.NOTIFICATION):
        case = CaseFactory(child=c, team=team, source=source, opened_on=start)
        return InterventionFactory(case=case, start_on=start)

    def assess(c, day, level, unit=school):
        return WellbeingAssessmentFactory(child=c, unit=unit, assessed_on=day, level=level)

    # c1: first help = early help 2025-03-01 → early detection. Age 5 (born 2019-06-15).
    #     Concern: level 3 on 2025-01-10 → 50 days (Jan 10→Feb 10: 31, Feb 10→Mar 1: 19).
    #     The level 2 of 2024-12-01 is no concern; the level 1 of 2025-12-31 is after the help.
    c1 = child(D(2019, 6, 15))
    help(c1, D(2025, 3, 1))
    assess(c1, D(2024, 12, 1), 2)
    assess(c1, D(2025, 1, 10), 3)
    assess(c1, D(2025, 12, 31), 1)
    # c2: first help = an intervention in a notification case 2025-05-10 → not early. Age 10.
    #     Concern: level 4 on 2024-03-01 is 435 days before (> 365, left out); level 3 on the
    #     day of the help itself → 0 days.
    c2 = child(D(2015, 2, 1))
    intervention(c2, D(2025, 5, 10))
    assess(c2, D(2024, 3, 1), 4)
    assess(c2, D(2025, 5, 10), 3)
    # c3: first help = an intervention in an early-detection case 2025-08-01 → early. Age 4
    #     (born 2020-09-30). Concerns at Bøgebo: level 3 on 2025-06-01 (61 days) and level 5 on
    #     2025-07-02 (30 days): the first concern counts → 61.
    c3 = child(D(2020, 9, 30), unit=daycare)
    intervention(c3, D(2025, 8, 1), source=CaseSource.EARLY_DETECTION)
    assess(c3, D(2025, 6, 1), 3, unit=daycare)
    assess(c3, D(2025, 7, 2), 5, unit=daycare)
    # c4: first help = early help 2024-11-01, before the period → not in the cohort.
    c4 = child(D(2012, 12, 31))
    help(c4, D(2024, 11, 1))
    intervention(c4, D(2025, 2, 1))
    # c5: early help and a notification case's intervention on the same day 2025-04-01 → early
    #     (a tie counts as early detection). Age 7. Its assessment (health visitor, level 3) came
    #     the day after the help → no concern before the help: left out of the days.
    c5 = child(D(2018, 1, 1))
    help(c5, D(2025, 4, 1))
    intervention(c5, D(2025, 4, 1))
    assess(c5, D(2025, 4, 2), 3, unit=health)
    # c6: notification intervention on the period's last day 2025-12-31 → in, not early. Age 9
    #     (born 2016-07-01). No assessment.
    c6 = child(D(2016, 7, 1))
    intervention(c6, D(2025, 12, 31))
    assess(c6, D(2026, 1, 1), 4)  # after the period: not counted anywhere
    # c7: first help 2026-01-01, after the period → out.
    c7 = child(D(2017, 3, 3))
    intervention(c7, D(2026, 1, 1))
    help(c7, D(2026, 2, 1))
    # c8: first help 2024-12-31 (a day before) → out, though its early help is in the period.
    c8 = child(D(2014, 5, 5))
    intervention(c8, D(2024, 12, 31))
    help(c8, D(2025, 6, 1))
    # c9: another municipality → out.
    c9 = child(D(2018, 1, 1), unit=other_school, municipality=other)
    EarlyHelpFactory(child=c9, unit=other_school, started_on=D(2025, 3, 3))
    # c10: early help on the period's first day 2025-01-01 → early. Age 11 (born 2013-10-10).
    #      Concern level 3 on 2024-01-02: 365 days before (2024 is a leap year) → counts: 365.
    c10 = child(D(2013, 10, 10))
    help(c10, D(2025, 1, 1))
    assess(c10, D(2024, 1, 2), 3)

    # Consultations (created_at, status, held_on, outcome).
    def consult(unit, created, **kw):
        return ConsultationFactory(unit=unit, created_at=created, **kw)

    held = ConsultationStatus.HELD
    consult(school, at(2025, 3, 1, 10))  # k1: requested
    consult(school, at(2025, 2, 1, 9), status=held, held_on=D(2025, 2, 10), outcome="advice")
    consult(  # k3: booked before the period, held in it: held, not requested
        school, at(2024, 12, 20, 9), status=held, held_on=D(2025, 1, 5), outcome="early_help"
    )
    consult(school, at(2025, 6, 1, 9), status=ConsultationStatus.CANCELLED)  # k4: nothing
    consult(school, at(2025, 12, 31, 23, 30), requester_kind="parent")  # k5: requested, parent
    consult(school, at(2026, 1, 1, 0, 10))  # k6: after the period (local time)
    consult(  # k7: requested in 2025, held in 2026
        daycare, at(2025, 5, 5, 9), status=held, held_on=D(2026, 1, 3), outcome="should_notify"
    )
    consult(other_school, at(2025, 5, 5, 9))  # another municipality
    return m


def test_share_of_first_help_in_early_detection(town):
    # Cohort: c1, c2, c3, c5, c6, c10 (6). Early: c1, c3, c5, c10 (4).
    share = figures.share_first_help_in_early_detection(town.pk, START, END)
    assert (share.numerator, share.denominator) == (4, 6)
    assert share.value == pytest.approx(4 / 6)


def test_median_age_at_first_help(town):
    # Ages 5, 10, 4, 7, 9, 11 → sorted 4, 5, 7, 9, 10, 11 → (7 + 9) / 2 = 8.
    assert figures.median_age_at_first_help(town.pk, START, END) == figures.Median(8, 6)


def test_median_days_from_first_concern_to_first_help(town):
    # c1 50, c2 0, c3 61, c10 365 (c5, c6 have no concern before) → 0, 50, 61, 365 → 55.5.
    assert figures.median_days_first_concern_to_help(town.pk, START, END) == figures.Median(55.5, 4)


def test_the_three_first_help_figures_read_the_cohort_once(town, django_assert_num_queries):
    with django_assert_num_queries(3):
        result = figures.first_help_figures(town.pk, START, END)
    assert result.early_detection == figures.Share(4, 6)
    assert result.median_age == figures.Median(8, 6)
    assert result.median_days_from_concern == figures.Median(55.5, 4)


def test_a_shorter_period_changes_the_cohort(town):
    # March–May 2025: c1 (early, 03-01), c5 (early, 04-01), c2 (not early, 05-10).
    share = figures.share_first_help_in_early_detection(town.pk, D(2025, 3, 1), D(2025, 5, 31))
    assert share == figures.Share(2, 3)
    # Ages 5, 7, 10 → 7. Days: c1 50, c2 0 → 25.
    assert figures.median_age_at_first_help(town.pk, D(2025, 3, 1), D(2025, 5, 31)).value == 7
    days = figures.median_days_first_concern_to_help(town.pk, D(2025, 3, 1), D(2025, 5, 31))
    assert days == figures.Median(25, 2)


def test_empty_periods_give_no_median(town):
    empty = (town.pk, D(2023, 1, 1), D(2023, 12, 31))
    assert figures.share_first_help_in_early_detection(*empty) == figures.Share(0, 0)
    assert figures.share_first_help_in_early_detection(*empty).value is None
    assert figures.median_age_at_first_help(*empty) == figures.Median(None, 0)
    assert figures.median_days_first_concern_to_help(*empty) == figures.Median(None, 0)


def test_assessments_per_unit(town, django_assert_num_queries):
    with django_assert_num_queries(2):
        rows = figures.assessments_per_unit(town.pk, START, END)
    # A-skolen: c1 01-10 and 12-31, c2 05-10 → 3 assessments, 2 children (c1's 2024 one, c2's
    # 2024 one, c10's 2024 one and c6's 2026 one fall outside). Bøgebo: c3 twice → 2, 1.
    # Sundhedsplejen: c5 → 1, 1. Z-børnehave: none. The team is no universal unit.
    assert [(r.unit_name, r.assessments, r.children) for r in rows] == [
        ("A-skolen", 3, 2),
        ("Bøgebo", 2, 1),
        ("Sundhedsplejen", 1, 1),
        ("Z-børnehave", 0, 0),
    ]


def test_consultations_per_unit(town, django_assert_num_queries):
    with django_assert_num_queries(2):
        rows = figures.consultations_per_unit(town.pk, START, END)
    none = {"advice": 0, "parent_meeting": 0, "early_help": 0, "should_notify": 0}
    # A-skolen: requested k1, k2, k5 = 3 (k3 booked in 2024, k4 cancelled, k6 in 2026); from
    # parents: k5 = 1; held in 2025: k2 (advice), k3 (early help) = 2.
    # Bøgebo: k7 requested = 1, held in 2026 → 0.
    assert [(r.unit_name, r.requested, r.from_parents, r.held, r.outcomes) for r in rows] == [
        ("A-skolen", 3, 1, 2, {**none, "advice": 1, "early_help": 1}),
        ("Bøgebo", 1, 0, 0, none),
        ("Sundhedsplejen", 0, 0, 0, none),
        ("Z-børnehave", 0, 0, 0, none),
    ]


def test_publication_hides_shares_and_medians_resting_on_fewer_than_5():
    assert _share(figures.Share(5, 10)).text == "50 %"
    assert not _share(figures.Share(4, 10)).shown  # the numerator is a small cell
    assert not _share(figures.Share(6, 10)).shown  # so is its complement (4)
    assert not _share(figures.Share(0, 0)).shown
    assert _median(figures.Median(55.5, 5), "dage").text == "55,5 dage"
    assert not _median(figures.Median(8, 4), "år").shown


def test_default_period_is_the_last_12_months():
    assert default_period(D(2026, 3, 15)) == (D(2025, 3, 16), D(2026, 3, 15))
    assert default_period(D(2028, 2, 29)) == (D(2027, 3, 1), D(2028, 2, 29))


# --- the page -----------------------------------------------------------------------------


FIGURES = reverse("early:figures")


def test_the_page_shows_aggregates_with_small_cells_suppressed(
    world, client, django_assert_max_num_queries
):
    client.force_login(world.personas["analyst"])
    # session and roles; the cohort (3); units and assessments (2); units and consultations (2)
    with django_assert_max_num_queries(13):
        response = client.get(FIGURES)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nordskolen" in html and "Sydskolen" in html
    assert "&lt;5" in html and "Vises ikke (for få børn)" in html
    assert "Anna" not in html and "Bertram" not in html


def test_the_period_is_validated_in_danish(world, client):
    client.force_login(world.personas["team_leader"])
    for query, message in (
        ("fra=i-går", "Skriv en gyldig dato"),
        ("fra=2025-06-01&til=2025-01-01", "Fra-datoen skal ligge før til-datoen."),
        ("fra=1999-12-31&til=2000-06-01", "Perioden kan tidligst begynde"),
        ("fra=2000-01-01&til=2025-01-01", "Perioden må højst være 5 år."),
        ("til=2999-01-01", "Perioden kan ikke slutte efter i dag."),
        ("fra=99999-01-01", "Skriv en gyldig dato"),
    ):
        response = client.get(f"{FIGURES}?{query}")
        assert response.status_code == 200, query
        assert message in response.content.decode(), query
    response = client.get(f"{FIGURES}?fra=2025-01-01&til=2025-12-31")
    assert "1. januar 2025 til og med 31. december 2025" in response.content.decode()


def test_only_analysts_team_leaders_and_outreach_workers_see_the_figures(world, client):
    for persona, status in (
        ("outreach", 200),
        ("analyst", 200),
        ("team_leader", 200),
        ("professional", 403),
        ("unit_leader", 403),
        ("alice", 403),
        ("parent", 403),
    ):
        client.force_login(world.personas[persona])
        assert client.get(FIGURES).status_code == status, persona
