"""The assessment pages (trappen/early/views/assessments.py): who sees them, the history with
its trend, chart and sharings, the new-assessment form and what follows a save (4–5: the
notification form pre-filled; 3: the consultation suggestion; 1–2: back to the history), the
sharing form, Danish errors, audit rows and pinned query counts."""

from __future__ import annotations

import datetime
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from trappen.core.models import AuditEvent, Role, RoleAssignment, UnitKind
from trappen.core.tests.factories import (
    UnitFactory,
    WellbeingAssessmentFactory,
    user_with_role,
)
from trappen.early import assessments as rules
from trappen.early import sharing as sharing_rules
from trappen.early.models import InformationSharing, WellbeingAssessment
from trappen.early.tests.factories import InformationSharingFactory
from trappen.early.views.assessments import consultation_url

TODAY = timezone.localdate()


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


def history_url(child) -> str:
    return reverse("early:child_assessments", kwargs={"child_id": child.pk})


def new_url(child) -> str:
    return reverse("early:assessment_new", kwargs={"child_id": child.pk})


def detail_url(a) -> str:
    return reverse(
        "early:assessment_detail", kwargs={"child_id": a.child_id, "assessment_id": a.pk}
    )


def share_url(a) -> str:
    return reverse("early:assessment_share", kwargs={"child_id": a.child_id, "assessment_id": a.pk})


def post_data(world, **overrides) -> dict:
    data = {
        "unit": str(world.school_a.pk),
        "assessed_on": TODAY.isoformat(),
        "level": "2",
        "areas": ["school"],
        "observations": "Trækker sig fra de andre.",
        "parents_informed": "ja",
        "agreed": "Samtale med forældrene",
        "agreed_with": "Mor",
        "follow_up_by": "Klasselærer",
        "look_again_on": (TODAY + datetime.timedelta(days=90)).isoformat(),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def login(client, world, persona="professional"):
    client.force_login(world.personas[persona])


def events_since(seq: int):
    return list(AuditEvent.objects.filter(seq__gt=seq).order_by("seq"))


def last_seq() -> int:
    last = AuditEvent.objects.order_by("-seq").first()
    return last.seq if last else 0


@pytest.fixture
def history(world):
    """Anna's three assessments at Nordskolen (2 → 3 → 4: rising) and one sharing; and one by a
    health visitor, which Nordskolen's professional must not see."""
    school = world.school_a
    a1 = WellbeingAssessmentFactory(
        child=world.anna, unit=school, level=2, areas=["school"], assessed_on=days_ago(200)
    )
    a2 = WellbeingAssessmentFactory(
        child=world.anna, unit=school, level=3, areas=["family"], assessed_on=days_ago(100)
    )
    a3 = WellbeingAssessmentFactory(
        child=world.anna, unit=school, level=4, areas=["family", "health"], assessed_on=days_ago(10)
    )
    shared = InformationSharingFactory(
        assessment=a2, recipient="ppr", purpose="Vurdering af skoletilbud", shared_on=days_ago(90)
    )
    health = UnitFactory(municipality=world.municipality, kind=UnitKind.HEALTH_SERVICE)
    foreign = WellbeingAssessmentFactory(
        child=world.anna, unit=health, level=5, areas=["other"], assessed_on=days_ago(5)
    )
    return a1, a2, a3, shared, foreign


# --- access ---------------------------------------------------------------------------------


def test_a_professional_of_another_school_sees_and_assesses_none_of_annas(world, client, history):
    login(client, world, "professional_other_school")
    for url in (history_url(world.anna), new_url(world.anna), detail_url(history[0])):
        response = client.get(url)
        assert response.status_code == 404
        assert b"Anna" not in response.content
    response = client.post(new_url(world.anna), post_data(world, unit=str(world.school_b.pk)))
    assert response.status_code == 404
    assert not WellbeingAssessment.objects.filter(unit=world.school_b).exists()


def test_a_professional_cannot_reach_another_schools_child(world, client):
    login(client, world)
    assert client.get(history_url(world.bertram)).status_code == 404
    assert client.post(new_url(world.bertram), post_data(world)).status_code == 404
    assert client.get(history_url(world.xena)).status_code == 404
    assert not WellbeingAssessment.objects.exists()


def test_a_professional_bound_to_a_class_reaches_only_that_class(world, client):
    teacher = user_with_role(Role.PROFESSIONAL, world.school_a)
    RoleAssignment.objects.filter(user=teacher).update(group_name="3.b")
    world.anna.group_name = "3.b"
    world.anna.save(update_fields=["group_name"])
    world.anna_sibling.group_name = "5.a"
    world.anna_sibling.save(update_fields=["group_name"])
    other_class = WellbeingAssessmentFactory(child=world.anna_sibling, unit=world.school_a)
    client.force_login(teacher)

    assert client.get(history_url(world.anna)).status_code == 200
    assert client.get(history_url(world.anna_sibling)).status_code == 404
    assert client.get(new_url(world.anna_sibling)).status_code == 404
    assert client.get(detail_url(other_class)).status_code == 404
    response = client.post(new_url(world.anna_sibling), post_data(world))
    assert response.status_code == 404
    assert WellbeingAssessment.objects.filter(child=world.anna_sibling).count() == 1


def test_an_assessment_of_another_unit_is_not_shown_nor_reachable(world, client, history):
    *_, foreign = history
    login(client, world)
    page = client.get(history_url(world.anna)).content.decode()
    assert "5 Truet" not in page.split("<table")[1]  # not among the rows (the scale is in the SVG)
    assert client.get(detail_url(foreign)).status_code == 404
    assert client.post(share_url(foreign), {}).status_code == 404


def test_an_assessment_id_of_another_child_answers_404(world, client, history):
    login(client, world)
    url = reverse(
        "early:assessment_detail",
        kwargs={"child_id": world.anna_sibling.pk, "assessment_id": history[0].pk},
    )
    assert client.get(url).status_code == 404


# --- the history ------------------------------------------------------------------------------


def test_the_history_shows_newest_first_with_trend_chart_table_and_sharings(
    world, client, history, django_assert_max_num_queries
):
    a1, a2, a3, shared, foreign = history
    login(client, world)
    before = last_seq()
    with django_assert_max_num_queries(14):
        response = client.get(history_url(world.anna))
    assert response.status_code == 200
    assert [a.pk for a in response.context["assessments"]] == [a3.pk, a2.pk, a1.pk]
    assert response.context["trend"].value == "rising"  # 2, 3, 4: slope 1
    page = response.content.decode()
    assert "Stigende bekymring" in page
    assert page.count("<circle") == 3
    assert 'role="img"' in page and "<title" in page
    assert "Pligt til at underrette" in page  # the latest is 4 Udsat
    assert f"{reverse('notifications:new')}?vurdering={a3.pk}" in page
    assert "Pædagogisk Psykologisk Rådgivning (PPR)" in page
    assert "Vurdering af skoletilbud" in page
    # one audit write: the child, the three assessments and the sharing
    events = events_since(before)
    assert {e.request_id for e in events} and len({e.at for e in events}) == 1
    assert sorted((e.object_type, e.object_id) for e in events) == sorted(
        [
            ("people.child", str(world.anna.pk)),
            ("early.wellbeingassessment", str(a1.pk)),
            ("early.wellbeingassessment", str(a2.pk)),
            ("early.wellbeingassessment", str(a3.pk)),
            ("early.informationsharing", str(shared.pk)),
        ]
    )
    assert {(e.action, e.role) for e in events} == {("view", "professional")}


def test_the_history_query_count_does_not_grow_with_the_assessments(
    world, client, history, django_assert_max_num_queries
):
    for n in range(10):
        a = WellbeingAssessmentFactory(
            child=world.anna, unit=world.school_a, assessed_on=days_ago(300 + n)
        )
        InformationSharingFactory(assessment=a, shared_on=days_ago(299 + n))
    login(client, world)
    with django_assert_max_num_queries(14):
        assert client.get(history_url(world.anna)).status_code == 200


def test_an_unassessed_child_has_an_empty_history_with_the_new_button(world, client):
    login(client, world)
    response = client.get(history_url(world.anna))
    page = response.content.decode()
    assert "Barnet er ikke vurderet i din enhed endnu." in page
    assert new_url(world.anna) in page
    assert response.context["trend"] is None


def test_the_child_page_links_professionals_to_the_assessments(world, client):
    login(client, world)
    page = client.get(reverse("core:child_detail", args=[world.anna.pk])).content.decode()
    assert history_url(world.anna) in page
    login(client, world, "alice")
    page = client.get(reverse("core:child_detail", args=[world.anna.pk])).content.decode()
    assert history_url(world.anna) not in page


# --- a new assessment -------------------------------------------------------------------------


def test_the_form_shows_the_scale_with_colours_and_meanings(
    world, client, django_assert_max_num_queries
):
    login(client, world)
    before = last_seq()
    with django_assert_max_num_queries(14):
        response = client.get(new_url(world.anna))
    page = response.content.decode()
    for value in range(1, 6):
        assert f'name="level" id="niveau-{value}" value="{value}"' in page
    for colour in ("(grøn)", "(gul)", "(orange)", "(rød)", "(mørkerød)"):
        assert colour in page
    assert "Du har pligt til at underrette kommunen (barnets lov § 133, stk. 1)" in page
    assert "Søg råd hos den fremskudte socialrådgiver" in page
    assert 'name="areas" value="family"' in page
    assert f'name="unit" value="{world.school_a.pk}"' in page  # one unit: hidden
    assert [(e.object_type, e.object_id) for e in events_since(before)] == [
        ("people.child", str(world.anna.pk))
    ]


@pytest.mark.parametrize("level", [4, 5])
def test_level_4_and_5_open_the_notification_prefilled_from_the_assessment(world, client, level):
    login(client, world)
    response = client.post(
        new_url(world.anna), post_data(world, level=str(level), areas=["family", "health"])
    )
    assessment = WellbeingAssessment.objects.get()
    assert assessment.level == level
    target = urlsplit(response["Location"])
    assert response.status_code == 302
    assert target.path == reverse("notifications:new")
    assert parse_qs(target.query) == {"vurdering": [str(assessment.pk)]}

    form_page = client.get(response["Location"])
    assert form_page.status_code == 200
    form = form_page.context["form"]
    assert form.initial["level"] == level
    assert form.initial["areas"] == ["family", "health"]
    assert form.initial["reporter_unit"] == world.school_a.pk
    page = form_page.content.decode()
    assert re.search(rf'name="level" value="{level}"[^>]* checked>', page)
    assert re.search(r'name="areas" value="family"[^>]* checked>', page)
    assert re.search(r'name="areas" value="health"[^>]* checked>', page)
    assert not re.search(r'name="areas" value="school"[^>]* checked>', page)
    assert re.search(rf'<option value="{world.school_a.pk}" selected>', page)
    assert "Du har pligt til at underrette (barnets lov § 133, stk. 1)" in page
    assert "barnets lov § 133" in " ".join(str(m) for m in form_page.context["messages"])


def test_the_duty_banner_is_not_shown_for_an_assessment_below_4(world, client):
    a = WellbeingAssessmentFactory(child=world.anna, unit=world.school_a, level=3)
    login(client, world)
    page = client.get(f"{reverse('notifications:new')}?vurdering={a.pk}").content.decode()
    assert "Du har pligt til at underrette (barnets lov § 133, stk. 1)" not in page


def test_level_3_shows_the_consultation_suggestion_with_an_anonymous_link(
    world, client, django_assert_max_num_queries
):
    login(client, world)
    response = client.post(
        new_url(world.anna), post_data(world, level="3", areas=["school", "family"])
    )
    assessment = WellbeingAssessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(assessment)
    with django_assert_max_num_queries(14):
        page = client.get(response["Location"])
    content = page.content.decode()
    assert "Forslag: anonym sparring med den fremskudte socialrådgiver" in content
    link = page.context["consultation_url"]
    assert link  # the booking page exists (early:consultation_book)
    target = urlsplit(link)
    assert target.path == reverse("early:consultation_book")
    # Anna was born 14.03.2015: the age band only, never a name, a birth date or an id
    age = world.anna.age_on(TODAY)
    band = "6_9" if age <= 9 else "10_13" if age <= 13 else "14_17"
    assert parse_qs(target.query) == {
        "alder": [band],
        "niveau": ["3"],
        "omraade": ["family", "school"],
    }
    assert link.replace("&", "&amp;") in content


def test_consultation_url_is_empty_while_the_booking_page_does_not_exist(world, monkeypatch):
    from django.urls import NoReverseMatch

    import trappen.early.views.assessments as views

    def missing(name, *args, **kwargs):
        raise NoReverseMatch(name)

    monkeypatch.setattr(views, "reverse", missing)
    a = WellbeingAssessmentFactory(child=world.anna, unit=world.school_a, level=3)
    assert consultation_url(a) == ""


@pytest.mark.parametrize("level", ["1", "2"])
def test_level_1_and_2_go_back_to_the_history_with_a_message(world, client, level):
    login(client, world)
    response = client.post(new_url(world.anna), post_data(world, level=level), follow=True)
    assert response.redirect_chain == [(history_url(world.anna), 302)]
    assert "Vurderingen er gemt." in response.content.decode()
    a = WellbeingAssessment.objects.get()
    assert (a.level, a.areas, a.agreed_with, a.follow_up_by) == (
        int(level),
        ["school"],
        "Mor",
        "Klasselærer",
    )
    created = AuditEvent.objects.filter(action="create", object_type="early.wellbeingassessment")
    assert [e.object_id for e in created] == [str(a.pk)]


def test_an_empty_form_answers_in_danish_and_saves_nothing(world, client):
    login(client, world)
    response = client.post(new_url(world.anna), {"unit": str(world.school_a.pk)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Vurderingen er ikke gemt endnu – ret disse fejl" in page
    assert rules.LEVEL_MISSING in page
    assert rules.DATE_MISSING in page
    assert "Svar ja eller nej: er forældrene informeret?" in page
    assert not WellbeingAssessment.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"parents_informed": "nej"}, rules.REASON_MISSING),
        ({"assessed_on": (TODAY + datetime.timedelta(days=1)).isoformat()}, rules.DATE_FUTURE),
        ({"assessed_on": "2015-03-13"}, rules.DATE_BEFORE_BIRTH),
        ({"assessed_on": "31-02-2024"}, "Skriv en gyldig dato, fx 31-12-2026."),
        ({"look_again_on": TODAY.isoformat()}, rules.LOOK_AGAIN_NOT_AFTER),
        ({"areas": None}, rules.AREAS_MISSING),
        ({"areas": ["moon"]}, rules.AREAS_BAD),
        ({"level": "7"}, rules.LEVEL_MISSING),
        ({"unit": str(9_999_999)}, "Vælg en af mulighederne."),
        ({"unit": "abc"}, "Vælg en af mulighederne."),
    ],
)
def test_invalid_input_is_answered_in_danish_on_the_form(world, client, overrides, message):
    login(client, world)
    response = client.post(new_url(world.anna), post_data(world, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not WellbeingAssessment.objects.exists()


def test_a_professional_of_the_school_and_the_health_service_picks_the_unit(world, client):
    health = UnitFactory(municipality=world.municipality, kind=UnitKind.HEALTH_SERVICE)
    RoleAssignment.objects.create(
        user=world.personas["professional"], role=Role.PROFESSIONAL, unit=health
    )
    world.anna.health_unit = health
    world.anna.save(update_fields=["health_unit"])
    login(client, world)
    page = client.get(new_url(world.anna)).content.decode()
    assert '<select name="unit"' in page
    response = client.post(new_url(world.anna), post_data(world, unit=str(health.pk)))
    assert response.status_code == 302
    assert WellbeingAssessment.objects.get().unit == health


# --- one assessment and its sharings --------------------------------------------------------


def test_the_detail_page_shows_the_assessment_and_logs_it_with_its_sharings(
    world, client, history, django_assert_max_num_queries
):
    a1, a2, a3, shared, foreign = history
    login(client, world)
    before = last_seq()
    with django_assert_max_num_queries(14):
        response = client.get(detail_url(a2))
    page = response.content.decode()
    assert "Vurdering af skoletilbud" in page
    assert sharing_rules.early_cooperation_rule() in page.replace("&#x27;", "'")
    assert sorted((e.object_type, e.object_id) for e in events_since(before)) == sorted(
        [
            ("people.child", str(world.anna.pk)),
            ("early.wellbeingassessment", str(a2.pk)),
            ("early.informationsharing", str(shared.pk)),
        ]
    )
    notify_page = client.get(detail_url(a3)).content.decode()
    assert "Du har pligt til at underrette kommunen" in notify_page
    assert f"?vurdering={a3.pk}" in notify_page


def test_a_sharing_with_the_outreach_worker_is_recorded_and_opens_the_child_to_them(world, client):
    a = WellbeingAssessmentFactory(
        child=world.anna_sibling, unit=world.school_a, level=3, assessed_on=days_ago(2)
    )
    outreach = world.personas["outreach"]
    client.force_login(outreach)
    child_page = reverse("core:child_detail", args=[world.anna_sibling.pk])
    assert client.get(child_page).status_code == 404

    login(client, world)
    data = {
        "recipient": "outreach",
        "recipient_detail": "Fremskudt socialrådgiver",
        "basis": "consent",
        "consent_from": "Mor",
        "purpose": "Sparring om tidlig indsats",
        "shared_on": TODAY.isoformat(),
    }
    response = client.post(share_url(a), data)
    assert response.status_code == 302
    assert response["Location"] == detail_url(a)
    s = InformationSharing.objects.get()
    assert (s.recipient, s.basis, s.consent_from, s.child) == (
        "outreach",
        "consent",
        "Mor",
        world.anna_sibling,
    )
    assert AuditEvent.objects.filter(
        action="create", object_type="early.informationsharing", object_id=str(s.pk)
    ).exists()

    client.force_login(outreach)
    assert client.get(child_page).status_code == 200


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"consent_from": ""}, sharing_rules.CONSENT_FROM_MISSING),
        (
            {"basis": "early_cooperation", "purpose": ""},
            "forebyggende samarbejde om udsatte børn, når det er nødvendigt",
        ),
        ({"recipient": ""}, sharing_rules.RECIPIENT_MISSING),
        ({"basis": "rumour"}, sharing_rules.BASIS_MISSING),
        (
            {"shared_on": (TODAY + datetime.timedelta(days=1)).isoformat()},
            sharing_rules.DATE_FUTURE,
        ),
        ({"shared_on": "i går"}, "Skriv en gyldig dato, fx 31-12-2026."),
    ],
)
def test_an_invalid_sharing_is_answered_in_danish(world, client, overrides, message):
    a = WellbeingAssessmentFactory(child=world.anna, unit=world.school_a, assessed_on=days_ago(2))
    login(client, world)
    data = {
        "recipient": "ppr",
        "basis": "consent",
        "consent_from": "Far",
        "purpose": "Udredning",
        "shared_on": TODAY.isoformat(),
        **overrides,
    }
    response = client.post(share_url(a), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not InformationSharing.objects.exists()


def test_the_share_route_takes_only_post(world, client):
    a = WellbeingAssessmentFactory(child=world.anna, unit=world.school_a)
    login(client, world)
    assert client.get(share_url(a)).status_code == 405
