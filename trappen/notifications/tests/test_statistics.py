"""The yearly notification counts (DST reporting) and `manage.py export_notifications`.

Hand-built notifications with hand-computed counts. The year is the Copenhagen calendar year:
31 December 2024 23:30 UTC is 1 January 2025 00:30 in Copenhagen (CET, UTC+1), so it counts in
2025; 31 December 2025 23:00 UTC is already 2026.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError

from trappen.core.models import AuditAction, AuditEvent
from trappen.core.tests.factories import (
    ChildFactory,
    MunicipalityFactory,
    NotificationFactory,
    UserFactory,
)
from trappen.notifications.models import NotificationReason, ReporterKind
from trappen.notifications.statistics import yearly_counts

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def utc(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


@pytest.fixture
def town():
    """Two children in one municipality, one child in another; notifications around 2025."""
    m = MunicipalityFactory(slug="statby", name="Statby Kommune")
    other = MunicipalityFactory(slug="andenby", name="Andenby Kommune")
    a, b = ChildFactory(municipality=m), ChildFactory(municipality=m)
    x = ChildFactory(municipality=other)

    def note(child, at, kind, reasons, repeat=False, municipality=m):
        return NotificationFactory(
            municipality=municipality,
            child=child,
            received_at=at,
            reporter_kind=kind,
            reasons=reasons,
            is_repeat=repeat,
        )

    # 2025 in Copenhagen
    note(a, utc(2025, 3, 10, 9, 0), "school", ["school_absence", "child_behaviour"])
    note(a, utc(2025, 6, 1, 10, 0), "police", ["crime"], repeat=True)
    note(b, utc(2024, 12, 31, 23, 30), "health", ["neglect", "neglect"])  # 1 Jan 2025 00:30
    note(None, utc(2025, 12, 31, 22, 59), "anonymous", [])  # 23:59, not identified
    note(b, utc(2025, 8, 15, 7, 0), "school", ["violence", "no_such_reason"], repeat=True)
    # Not 2025: the last minute of 2024, the first of 2026, another municipality
    note(a, utc(2024, 12, 31, 22, 59), "school", ["neglect"])
    note(a, utc(2025, 12, 31, 23, 0), "police", ["crime"])
    note(x, utc(2025, 5, 5, 12, 0), "school", ["neglect"], municipality=other)
    return m


def test_counts_by_reporter_and_reason_in_the_copenhagen_year(town, django_assert_num_queries):
    with django_assert_num_queries(3):
        counts = yearly_counts(town, 2025)
    assert counts.total == 5
    assert counts.by_reporter == {
        **dict.fromkeys(ReporterKind.values, 0),
        "school": 2,
        "police": 1,
        "health": 1,
        "anonymous": 1,
    }
    assert list(counts.by_reporter) == ReporterKind.values
    assert counts.by_reason == {
        **dict.fromkeys(NotificationReason.values, 0),
        "school_absence": 1,
        "child_behaviour": 1,
        "crime": 1,
        "neglect": 1,  # given twice on one notification: counted once
        "violence": 1,  # the unknown code beside it is not counted
    }
    assert counts.without_reason == 1
    assert (counts.children, counts.without_child) == (2, 1)
    assert counts.per_child == 2.0  # 4 notifications about identified children / 2 children
    assert (counts.repeats, counts.repeat_share) == (2, 0.4)


def test_the_neighbouring_years_get_the_notifications_at_their_edges(town):
    last_year = yearly_counts(town, 2024)
    assert (last_year.total, last_year.by_reporter["school"]) == (1, 1)
    assert last_year.by_reason["neglect"] == 1
    next_year = yearly_counts(town, 2026)
    assert (next_year.total, next_year.by_reporter["police"]) == (1, 1)


def test_an_empty_year_has_every_category_at_zero_and_no_ratios(town):
    counts = yearly_counts(town, 2020)
    assert counts.total == 0
    assert set(counts.by_reporter.values()) == {0} and len(counts.by_reporter) == 14
    assert set(counts.by_reason.values()) == {0} and len(counts.by_reason) == 12
    assert counts.per_child is None and counts.repeat_share is None


EXPECTED_2024_CSV = (
    "\ufeffdimension;kode;betegnelse;antal\r\n"
    "underretter;school;Skole, SFO og fritidstilbud;1\r\n"
    "underretter;daycare;Dagtilbud;0\r\n"
    "underretter;health_visitor;Sundhedsplejen;0\r\n"
    "underretter;health;Sundhedsvæsen (læge, hospital, tandpleje);0\r\n"
    "underretter;police;Politi;0\r\n"
    "underretter;municipality;Kommunal forvaltning;0\r\n"
    "underretter;other_municipality;Anden kommune;0\r\n"
    "underretter;provider;Udfører, anbringelsessted eller tilbud;0\r\n"
    "underretter;parent;Forælder;0\r\n"
    "underretter;child;Barnet eller den unge selv;0\r\n"
    "underretter;family_network;Familie og netværk;0\r\n"
    "underretter;citizen;Anden borger;0\r\n"
    "underretter;anonymous;Anonym;0\r\n"
    "underretter;other;Andre;0\r\n"
    "årsag;violence;Vold mod barnet;0\r\n"
    "årsag;sexual_abuse;Seksuelle overgreb mod barnet;0\r\n"
    "årsag;neglect;Omsorgssvigt;1\r\n"
    "årsag;parent_substance;Forældres misbrug;0\r\n"
    "årsag;parent_mental_health;Forældres psykiske vanskeligheder;0\r\n"
    "årsag;domestic_conflict;Vold eller konflikter i hjemmet;0\r\n"
    "årsag;child_behaviour;Barnets adfærd eller trivsel;0\r\n"
    "årsag;child_substance;Barnets misbrug;0\r\n"
    "årsag;crime;Kriminalitet;0\r\n"
    "årsag;school_absence;Skolefravær;0\r\n"
    "årsag;unborn;Bekymring for et ufødt barn;0\r\n"
    "årsag;other;Andet;0\r\n"
    "årsag;uoplyst;Ingen årsag angivet;0\r\n"
    "i alt;underretninger;Underretninger i alt;1\r\n"
    "i alt;boern;Børn, der er underrettet om;1\r\n"
    "i alt;uden_barn;Underretninger uden identificeret barn;0\r\n"
    "i alt;pr_barn;Underretninger pr. barn;1,00\r\n"
    "i alt;gentagne;Gentagne underretninger;0\r\n"
    "i alt;andel_gentagne;Andel gentagne underretninger (pct.);0,0\r\n"
)


def export(**options) -> str:
    out = io.StringIO()
    call_command("export_notifications", stdout=out, **options)
    return out.getvalue()


def test_the_csv_for_a_small_year_is_exactly_this(town):
    assert export(municipality="statby", year=2024) == EXPECTED_2024_CSV


def test_the_csv_rows_carry_the_2025_totals_with_decimal_commas(town):
    lines = export(municipality="statby", year=2025).splitlines()
    assert "i alt;underretninger;Underretninger i alt;5" in lines
    assert "i alt;pr_barn;Underretninger pr. barn;2,00" in lines
    assert "i alt;andel_gentagne;Andel gentagne underretninger (pct.);40,0" in lines
    assert "årsag;uoplyst;Ingen årsag angivet;1" in lines


def test_the_export_to_a_file_is_utf8_with_a_bom_and_is_audit_logged(town, tmp_path):
    user = UserFactory(municipality=town, username="analytiker-stat")
    path = tmp_path / "underretninger.csv"
    assert export(municipality="statby", year=2024, output=str(path), user=user.username) == ""
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfdimension;kode;betegnelse;antal\r\n")
    assert data.decode("utf-8") == EXPECTED_2024_CSV
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert (event.actor, event.municipality, event.purpose) == (user, town, "Statistikudtræk")
    assert event.object_id == "statby:2024"


def test_an_export_without_user_is_logged_without_actor(town):
    export(municipality="statby", year=2025)
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.actor is None and event.purpose == "Statistikudtræk"


@pytest.mark.parametrize(
    "options, message",
    [
        ({"municipality": "atlantis", "year": 2025}, "Ukendt kommune 'atlantis'"),
        ({"municipality": "statby", "year": 1999}, "Året skal være mellem 2000 og"),
        ({"municipality": "statby", "year": 3000}, "Året skal være mellem 2000 og"),
        ({"municipality": "statby", "year": 2025, "user": "ukendt"}, "Ukendt bruger 'ukendt'"),
        ({"municipality": "statby", "year": 2025, "output": "/no/such/dir/x.csv"}, "Kan ikke"),
    ],
)
def test_bad_options_give_a_clear_error_and_nothing_is_logged(town, options, message):
    with pytest.raises(CommandError, match=message):
        export(**options)
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_a_user_of_another_municipality_is_refused(town):
    UserFactory(municipality=MunicipalityFactory(slug="fremmed"), username="fremmed-bruger")
    with pytest.raises(CommandError, match="Ukendt bruger"):
        export(municipality="statby", year=2025, user="fremmed-bruger")


def test_the_command_exits_non_zero_from_the_shell(town, capsys):
    argv = ["manage.py", "export_notifications", "--municipality", "atlantis", "--year", "2025"]
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(argv).execute()
    assert exit_info.value.code == 1
    assert "Ukendt kommune 'atlantis'" in capsys.readouterr().err
