"""The start page: one section per role, only the user's own work, every child shown logged."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from trappen.core import home_services
from trappen.core.models import AuditEvent, BreakGlassGrant, Role, RoleAssignment, UnitKind
from trappen.core.navigation import navigation_for
from trappen.core.tests.factories import (
    CaseFactory,
    ChildFactory,
    FollowUpFactory,
    InterventionFactory,
    InvestigationFactory,
    NotificationFactory,
    UnitFactory,
    WellbeingAssessmentFactory,
    user_with_role,
)
from trappen.notifications.deadlines import check_deadlines
from trappen.notifications.models import DeadlineAlert

pytestmark = pytest.mark.django_db

# The h2 each role's section opens with; a page shows exactly its roles' headings.
SECTION_HEADINGS = {
    "alice": {"Mine frister", "Mine sager"},
    "team_leader": {"Teamoverblik"},
    "professional": {"Mine underretninger", "Børn i min enhed"},
    "outreach": {"Mine enheder"},
    "unit_leader": {"Trivsel i min enhed"},
    "provider": {"Mine indsatser"},
    "analyst": {"Nøgletal for kommunen"},
    "administrator": {"Administration"},
    "parent": {"Mine børn"},
}
ALL_HEADINGS = set().union(*SECTION_HEADINGS.values())


def page(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    return response.content.decode()


def h2(text: str) -> str:
    return f">{text}</h2>"


@pytest.mark.parametrize("persona", sorted(SECTION_HEADINGS))
def test_it_shows_the_roles_section_and_no_other(world, client, persona):
    html = page(client, world.personas[persona])
    for heading in SECTION_HEADINGS[persona]:
        assert h2(heading) in html, heading
    for heading in ALL_HEADINGS - SECTION_HEADINGS[persona]:
        assert h2(heading) not in html, heading


def test_it_sends_anonymous_users_to_login(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


def test_it_shows_a_section_per_role_for_a_user_with_two_roles(world, client):
    alice = world.personas["alice"]
    RoleAssignment.objects.create(user=alice, role=Role.TEAM_LEADER, unit=world.team_a)
    html = page(client, alice)
    assert h2("Mine frister") in html and h2("Teamoverblik") in html
    assert h2("Mine underretninger") not in html


def test_it_tells_a_user_without_roles_to_ask_the_administrator(world, client):
    user = world.personas["analyst"]
    user.role_assignments.all().delete()
    assert "Du har endnu ingen rolle i Trappen" in page(client, user)


# --- caseworker ---


def test_caseworker_sees_own_deadlines_in_order(world, client):
    alice, now, today = world.personas["alice"], timezone.now(), timezone.localdate()
    NotificationFactory(
        child=world.anna,
        assigned_to=alice,
        received_at=now - datetime.timedelta(hours=19),
        assessment_due_at=now + datetime.timedelta(hours=5, minutes=10, seconds=30),
    )
    InvestigationFactory(case=world.anna_case, due_on=today + datetime.timedelta(days=10))
    InvestigationFactory(case=world.anna_case, due_on=today + datetime.timedelta(days=60))
    FollowUpFactory(intervention=world.anna_intervention, due_on=today - datetime.timedelta(days=3))
    FollowUpFactory(
        intervention=world.anna_intervention,
        due_on=today - datetime.timedelta(days=9),
        held_on=today - datetime.timedelta(days=9),
    )
    html = page(client, alice)
    assert html.count("Vurdering af underretning (24 timer)") == 1
    assert "om 5 t 10 min" in html
    assert html.count('<td data-title="Opgave">Børnefaglig undersøgelse</td>') == 1  # not the 60
    assert "om 10 dage" in html
    assert html.count("Opfølgning: Familiebehandling") == 1  # the held one is gone
    assert "overskredet med 3 dage" in html
    # the overdue follow-up first, then the notification (today), then the investigation
    assert html.index("overskredet med 3 dage") < html.index("om 5 t") < html.index("om 10 dage")


def test_caseworker_sees_an_overdue_notification_as_overdue(world, client):
    alice = world.personas["alice"]
    NotificationFactory(
        child=world.anna,
        assigned_to=alice,
        assessment_due_at=timezone.now() - datetime.timedelta(hours=2, minutes=1),
    )
    html = page(client, alice)
    assert '<span class="trappen-overdue">overskredet med 2 t 1 min</span>' in html


def test_caseworker_does_not_see_another_teams_cases(world, client):
    alice, charlie = world.personas["alice"], world.personas["charlie"]
    other = ChildFactory(municipality=world.municipality, first_name="Ottilie")
    # A case in team B that names alice: still not hers to see from team A.
    CaseFactory(child=other, team=world.team_b, caseworker=alice)
    InvestigationFactory(case=world.bertram.cases.get(), due_on=timezone.localdate())
    html = page(client, alice)
    assert "Anna" in html
    assert "Bertram" not in html and "Ottilie" not in html
    html = page(client, charlie)
    assert "Bertram" in html and "Anna" not in html


def test_caseworker_sees_own_cases_with_current_step(world, client):
    today = timezone.localdate()
    InterventionFactory(case=world.anna_case, step=4, start_on=today + datetime.timedelta(days=5))
    InterventionFactory(case=world.anna_case, step=1, start_on=today - datetime.timedelta(days=99))
    html = page(client, world.personas["alice"])
    assert reverse("core:child_detail", args=[world.anna.pk]) in html
    assert "2: Hjemmebaserede indsatser" in html  # the planned step 4 has not started
    assert "Du har 1 åben sag." in html


def test_caseworker_page_logs_each_child_shown_once(world, client):
    alice = world.personas["alice"]
    NotificationFactory(child=world.anna, assigned_to=alice)
    InvestigationFactory(case=world.anna_case, due_on=timezone.localdate())
    page(client, alice)
    events = AuditEvent.objects.filter(purpose="Forside")
    assert [(e.child_id, e.actor_id, e.role, e.action) for e in events] == [
        (world.anna.pk, alice.pk, Role.CASEWORKER, "view")
    ]


# --- deadline alerts (trappen.notifications.deadlines) ---

ALERTS = "Påmindelser og overskredne frister"


def test_caseworker_sees_a_reminder_with_its_countdown_until_marked_seen(world, client):
    alice, now = world.personas["alice"], timezone.now()
    n = NotificationFactory(
        child=world.anna,
        team=world.team_a,
        assigned_to=alice,
        assessment_due_at=now + datetime.timedelta(hours=2, minutes=30),
    )
    check_deadlines(now=now)
    alert = DeadlineAlert.objects.get(recipient=alice)
    html = page(client, alice)
    assert h2(ALERTS) in html
    assert "Påmindelse" in html and "Vurdering inden for 24 timer" in html
    assert "om 2 t 2" in html  # 2 t 29 min or 2 t 30 min, by the test's speed
    assert reverse("notifications:detail", kwargs={"notification_id": n.pk}) in html
    seen_url = reverse("notifications:alert_seen", kwargs={"alert_id": alert.pk})
    assert f'action="{seen_url}"' in html
    assert h2(ALERTS) not in page(client, world.personas["bob"])
    assert client.post(seen_url).status_code == 404  # bob's session: not his to mark
    client.force_login(alice)
    assert client.post(seen_url).status_code == 302
    assert h2(ALERTS) not in page(client, alice)


def test_an_alert_on_a_met_deadline_is_not_shown(world, client):
    alice, now = world.personas["alice"], timezone.now()
    n = NotificationFactory(
        child=world.anna,
        team=world.team_a,
        assigned_to=alice,
        assessment_due_at=now + datetime.timedelta(hours=1),
    )
    check_deadlines(now=now)
    assert h2(ALERTS) in page(client, alice)
    n.assessed_at = now
    n.save(update_fields=["assessed_at"])
    assert h2(ALERTS) not in page(client, alice)


def test_team_leader_sees_the_breached_deadline_and_the_caseworker_does_not(world, client):
    leader, alice, now = world.personas["team_leader"], world.personas["alice"], timezone.now()
    NotificationFactory(
        child=world.anna,
        team=world.team_a,
        assigned_to=alice,
        received_at=now - datetime.timedelta(hours=27),
        assessment_due_at=now - datetime.timedelta(hours=3, minutes=1),
    )
    check_deadlines(now=now)
    html = page(client, leader)
    assert html.index(h2(ALERTS)) < html.index(h2("Teamoverblik"))
    assert '<strong class="trappen-overdue">Overskredet frist</strong>' in html
    assert '<span class="trappen-overdue">overskredet med 3 t 1 min</span>' in html
    assert f'<td data-title="Rådgiver">{alice}</td>' in html
    assert "Anna" not in html  # the alert names no child
    assert h2(ALERTS) not in page(client, alice)  # an escalation is the leader's alone


def test_a_caseworker_who_also_leads_the_team_sees_each_alert_once(world, client):
    alice, now = world.personas["alice"], timezone.now()
    RoleAssignment.objects.create(user=alice, role=Role.TEAM_LEADER, unit=world.team_a)
    NotificationFactory(
        child=world.anna,
        team=world.team_a,
        assigned_to=alice,
        assessment_due_at=now + datetime.timedelta(hours=1),
    )
    check_deadlines(now=now)
    assert page(client, alice).count(h2(ALERTS)) == 1


# --- team leader ---


def test_team_leader_sees_caseworkers_deadlines_and_waiting_work(world, client):
    leader, alice, now = world.personas["team_leader"], world.personas["alice"], timezone.now()
    today = timezone.localdate()
    InvestigationFactory(case=world.anna_case, due_on=today - datetime.timedelta(days=1))
    FollowUpFactory(intervention=world.anna_intervention, due_on=today - datetime.timedelta(days=2))
    FollowUpFactory(intervention=world.anna_intervention, due_on=today + datetime.timedelta(days=2))
    NotificationFactory(child=world.anna, team=world.team_a, acute=True)  # waiting, in time
    NotificationFactory(  # waiting and breached
        child=world.anna, team=world.team_a, assessment_due_at=now - datetime.timedelta(hours=1)
    )
    NotificationFactory(  # assessed late: breached, but not waiting
        child=world.anna,
        team=world.team_a,
        assigned_to=alice,
        assessment_due_at=now - datetime.timedelta(days=2),
        assessed_at=now - datetime.timedelta(days=1),
    )
    NotificationFactory(child=world.bertram, team=world.team_b)  # another team
    BreakGlassGrant.objects.create(user=world.personas["charlie"], child=world.anna, reason="Test")

    html = page(client, leader)
    data = home_services.team_leader_start(leader, now).data
    rows = {row.name: row for row in data.caseworkers}
    assert rows[str(alice)] == home_services.CaseworkerLoad(str(alice), 1, 1, 1)
    assert rows[str(world.personas["bob"])].open_cases == 0
    assert str(world.personas["charlie"]) not in rows
    assert (data.unassigned_count, data.breached_recent, data.breached_open) == (2, 2, 1)
    assert data.break_glass_pending == 1
    assert "Team A" in html and str(alice) in html
    assert reverse("core:break_glass_review") in html
    assert "Anna" not in html  # counts and caseworkers only


def test_team_leader_sees_unassigned_cases_as_not_distributed(world, client):
    CaseFactory(child=world.anna_sibling, team=world.team_a, caseworker=None)
    data = home_services.team_leader_start(world.personas["team_leader"], timezone.now()).data
    assert data.caseworkers[-1] == home_services.CaseworkerLoad("Ikke fordelt", 1, 0, 0)


# --- professional ---


def test_professional_sees_own_submissions_without_case_content(world, client):
    pro = world.personas["professional"]
    NotificationFactory(
        child=world.anna,
        child_name="Anna T.",
        reporter_user=pro,
        concern="Hemmelig bekymringstekst",
        receipt_due_on=datetime.date(2031, 3, 4),
    )
    NotificationFactory(
        child=world.anna_sibling,
        child_name="Asger T.",
        reporter_user=pro,
        status="assessed",
        receipt_sent_at=datetime.datetime(2030, 1, 15, 11, 0, tzinfo=datetime.UTC),
    )
    NotificationFactory(
        child=world.bertram, reporter_user=world.personas["professional_other_school"]
    )
    html = page(client, pro)
    assert "Modtaget – venter på kommunens vurdering" in html
    assert "Ikke sendt endnu (senest 4. mar 2031)" in html
    assert "Vurderet af kommunen" in html and "Sendt 15. jan 2030" in html
    assert "Anna T." in html and "Asger T." in html
    assert "Testesen" not in html and "Bertram" not in html
    assert "Hemmelig bekymringstekst" not in html
    assert "<strong>Nordskolen</strong>: 2 børn" in html


# --- outreach ---


def test_outreach_sees_aggregates_for_own_units(world, client):
    outreach, today = world.personas["outreach"], timezone.localdate()
    WellbeingAssessmentFactory(child=world.anna, level=3)
    WellbeingAssessmentFactory(child=world.anna_sibling, level=5)
    WellbeingAssessmentFactory(child=world.anna, level=2)  # below 3
    WellbeingAssessmentFactory(
        child=world.anna, level=4, assessed_on=today - datetime.timedelta(days=91)
    )  # too old
    WellbeingAssessmentFactory(child=world.bertram, level=4)  # another unit
    data = home_services.outreach_start(outreach, timezone.now()).data
    assert data == [home_services.UnitCount("Nordskolen", 2, 2)]
    html = page(client, outreach)
    assert "Nordskolen" in html and "Anna" not in html


# --- provider ---


def test_provider_sees_active_interventions_with_next_follow_up(world, client):
    provider, today = world.personas["provider"], timezone.localdate()
    FollowUpFactory(intervention=world.anna_intervention, due_on=datetime.date(2031, 5, 1))
    FollowUpFactory(intervention=world.anna_intervention, due_on=datetime.date(2031, 2, 1))
    FollowUpFactory(
        intervention=world.anna_intervention, due_on=today, held_on=today
    )  # held: not next
    ended = InterventionFactory(
        case=world.anna_case,
        provider=world.provider_a,
        title="Afsluttet kontaktperson",
        end_on=today - datetime.timedelta(days=1),
    )
    InterventionFactory(
        case=world.bertram.cases.get(), provider=world.provider_b, title="Ungehusets forløb"
    )
    html = page(client, provider)
    assert "Anna T." in html and "Testesen" not in html
    assert "Familiebehandling" in html and "1. feb 2031" in html
    assert ended.title not in html and "Ungehusets forløb" not in html


# --- analyst ---


def test_analyst_sees_aggregates_with_small_counts_suppressed(world, client):
    analyst = world.personas["analyst"]
    html = page(client, analyst)
    # 3 children and 1 child on step 2 in the municipality: both below 5.
    assert html.count("&lt;5") >= 2
    assert "Anna" not in html and "Bertram" not in html


def test_analyst_figures_count_children_0_to_17_and_recent_notifications(world):
    today, now = timezone.localdate(), timezone.now()
    m = world.municipality
    ChildFactory(municipality=m, birth_date=today - datetime.timedelta(days=10))
    ChildFactory(municipality=m, birth_date=home_services.years_before(today, 18))  # 18 today
    ChildFactory(
        municipality=m,
        birth_date=home_services.years_before(today, 18) + datetime.timedelta(days=1),
    )
    for _ in range(5):
        NotificationFactory(child=world.anna, received_at=now - datetime.timedelta(days=300))
    NotificationFactory(child=world.anna, received_at=now - datetime.timedelta(days=400))
    NotificationFactory(child=world.xena, received_at=now)  # another municipality
    # Anna is on step 2 (and step 1): she counts once, at her highest step.
    InterventionFactory(case=world.anna_case, step=1)
    for _ in range(4):
        child = ChildFactory(municipality=m)
        InterventionFactory(case=CaseFactory(child=child, team=world.team_a), step=2)
    InterventionFactory(
        case=world.bertram.cases.get(), step=4, end_on=today - datetime.timedelta(1)
    )
    data = home_services.analyst_start(world.personas["analyst"], now).data
    # anna, sibling, bertram, 4 on step 2, the newborn and the one turning 18 tomorrow: 9
    assert data.figures == [
        home_services.Figure("Børn og unge 0–17 år", 9),
        home_services.Figure("Underretninger de seneste 12 måneder", 5),
    ]
    assert [f.value for f in data.steps] == [None, None, 5, None, None, None]
    assert data.steps[2].label == "2 Hjemmebaserede indsatser"


def test_suppression_and_time_helpers():
    assert home_services.suppress_small(0) is None
    assert home_services.suppress_small(4) is None
    assert home_services.suppress_small(5) == 5
    now = timezone.now()
    assert home_services.remaining_time(now + datetime.timedelta(minutes=59, seconds=59), now) == (
        "om 59 min"
    )
    assert home_services.remaining_time(now + datetime.timedelta(hours=26), now) == "om 26 t 0 min"
    assert home_services.remaining_time(now + datetime.timedelta(days=3, hours=1), now) == (
        "om 3 dage"
    )
    assert home_services.remaining_time(now - datetime.timedelta(minutes=90), now) == (
        "overskredet med 1 t 30 min"
    )
    day = datetime.date(2030, 6, 10)
    assert home_services.remaining_days(day, day) == "i dag"
    assert home_services.remaining_days(datetime.date(2030, 6, 11), day) == "i morgen"
    assert home_services.remaining_days(datetime.date(2030, 6, 9), day) == "overskredet med 1 dag"
    assert home_services.years_before(datetime.date(2028, 2, 29), 18) == datetime.date(2010, 2, 28)


# --- administrator ---


def test_administrator_sees_counts_and_the_way_to_admin(world, client):
    html = page(client, world.personas["administrator"])
    data = home_services.administrator_start(world.personas["administrator"], timezone.now()).data
    # 14 personas live in the municipality (the outsider does not); 6 units do.
    assert (data.users, data.units) == (14, 6)
    assert reverse("admin:index") in html


# --- citizen ---


def test_custody_holder_sees_own_children_case_status_and_caseworker(world, client):
    alice = world.personas["alice"]
    alice.phone, alice.email = "12 34 56 78", "alice@kommune.example"
    alice.save(update_fields=["phone", "email"])
    html = page(client, world.personas["parent"])
    assert h2("Mine børn") in html
    assert "Anna Testesen" in html and "Asger Testesen" in html and "Bertram" not in html
    assert "Dit barn får hjælp fra kommunen: 1 indsats i gang." in html
    assert "Der er ingen åben sag hos kommunen." in html
    assert str(alice) in html and "tel:12345678" in html and "alice@kommune.example" in html
    assert reverse("core:outbox") in html
    events = AuditEvent.objects.filter(purpose="Forside", role=Role.CITIZEN)
    assert sorted(e.child_id for e in events) == sorted([world.anna.pk, world.anna_sibling.pk])


def test_custody_holder_sees_an_investigation_in_plain_danish(world, client):
    InvestigationFactory(case=world.bertram.cases.get())
    html = page(client, world.personas["other_parent"])
    assert h2("Mit barn") in html and "Anna" not in html
    assert "Kommunen er ved at undersøge, hvordan dit barn har det" in html


def test_custody_holder_without_custody_sees_no_child(world, client):
    world.anna.guardian_links.update(has_custody=False)
    world.anna_sibling.guardian_links.update(has_custody=False)
    html = page(client, world.personas["parent"])
    assert "Anna" not in html and "Vi kan ikke finde et barn" in html


def test_child_with_login_sees_own_case(world, client):
    user = user_with_role(Role.CITIZEN, None, municipality=world.municipality)
    world.bertram.user = user
    world.bertram.save(update_fields=["user"])
    html = page(client, user)
    assert h2("Min sag") in html and "Dig" in html
    assert "Kommunen har en åben sag" in html and str(world.personas["charlie"]) in html


# --- query counts ---


@pytest.mark.parametrize("persona", sorted(SECTION_HEADINGS))
def test_it_keeps_the_query_count_pinned(world, client, persona, django_assert_max_num_queries):
    user, today = world.personas[persona], timezone.localdate()
    for _ in range(3):  # more rows must not mean more queries
        child = ChildFactory(municipality=world.municipality, unit=world.school_a)
        case = CaseFactory(child=child, team=world.team_a, caseworker=world.personas["alice"])
        intervention = InterventionFactory(case=case, provider=world.provider_a)
        FollowUpFactory(intervention=intervention, due_on=today)
        InvestigationFactory(case=case, due_on=today)
        NotificationFactory(
            child=child,
            team=world.team_a,
            assigned_to=world.personas["alice"],
            reporter_user=world.personas["professional"],
        )
        WellbeingAssessmentFactory(child=child, level=4)
        NotificationFactory(  # breached: an escalation for the team leader
            child=child, team=world.team_a, assessment_due_at=timezone.now()
        )
    check_deadlines()  # reminders for alice, escalations for the team leader
    client.force_login(user)
    client.get(reverse("core:home"))  # warm up: the audit chain head exists from now on
    with django_assert_max_num_queries(15):
        response = client.get(reverse("core:home"))
    assert response.status_code == 200


# --- navigation and the page frame ---


@pytest.mark.parametrize(
    ("persona", "labels"),
    [
        ("alice", ["Forside", "Underretninger", "Sager", "Økonomi", "Søg barn", "Breve"]),
        (
            "team_leader",
            [
                "Forside",
                "Underretninger",
                "Sager",
                "Økonomi",
                "Søg barn",
                "Breve",
                "Særlig adgang",
                "Uden børnesamtale",
                "Tal for tidlig opsporing",
            ],
        ),
        (
            "professional",
            ["Forside", "Underret", "Mine underretninger", "Sparring", "Min enhed"],
        ),
        ("provider", ["Forside", "Mine indsatser"]),
        ("analyst", ["Forside", "Tal for tidlig opsporing"]),
        ("administrator", ["Forside", "Administration"]),
        ("parent", ["Forside", "Breve"]),
    ],
)
def test_navigation_follows_roles(world, persona, labels):
    assert [item.label for item in navigation_for(world.personas[persona])] == labels


def test_navigation_marks_the_current_page(world):
    items = navigation_for(world.personas["team_leader"], reverse("core:break_glass_review"))
    assert [i.label for i in items if i.current] == ["Særlig adgang"]


def test_page_frame_is_danish_and_keyboard_friendly(world, client):
    html = page(client, world.personas["alice"])
    assert '<html lang="da">' in html
    assert html.index('class="skipnav" href="#main-content">Gå til indhold') < html.index("<header")
    assert '<main id="main-content"' in html
    assert f'<form method="post" action="{reverse("core:logout")}"' in html
    assert "Testkommune" in html and "Rådgiver" in html
    assert "<script>" not in html and "style=" not in html  # the CSP forbids inline code
    assert "Demo – alle personer er fiktive" not in html


@override_settings(DEMO=True)
def test_demo_mode_shows_the_banner(world, client):
    assert "Demo – alle personer er fiktive" in page(client, world.personas["alice"])


def test_a_team_with_a_second_unit_kind_does_not_leak_into_caseworker_teams(world):
    """unit_ids are per role: a caseworker who is also a professional at a school keeps apart."""
    alice = world.personas["alice"]
    RoleAssignment.objects.create(
        user=alice,
        role=Role.PROFESSIONAL,
        unit=UnitFactory(municipality=world.municipality, kind=UnitKind.SCHOOL, name="Vestskolen"),
    )
    sections = home_services.sections_for(alice)
    assert [s.role for s in sections] == [Role.CASEWORKER, Role.PROFESSIONAL]
    assert sections[1].data.units == [home_services.UnitCount("Vestskolen", 0)]
