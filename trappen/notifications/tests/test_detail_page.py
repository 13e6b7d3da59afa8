"""The notification's detail page: content, child, countdowns, timeline, history, the forms."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trappen.core.models import AuditAction, AuditEvent, Letter
from trappen.core.tests.factories import ChildFactory, NotificationFactory
from trappen.notifications.models import Decision, EventKind, NotificationStatus
from trappen.notifications.tests.decision_factories import assessed, professional_notification

pytestmark = pytest.mark.django_db


def _url(name: str, n) -> str:
    return reverse(f"notifications:{name}", kwargs={"notification_id": n.pk})


def _page(client, user, n) -> str:
    client.force_login(user)
    response = client.get(_url("detail", n))
    assert response.status_code == 200
    return response.content.decode()


# --- what the page shows ----------------------------------------------------------------------


def test_the_content_is_escaped(world, client):
    n = professional_notification(world, concern="<script>alert(1)</script> Anna græder.")
    page = _page(client, world.personas["alice"], n)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Anna græder." in page


def test_a_matched_child_links_to_the_childs_page(world, client):
    page = _page(client, world.personas["alice"], professional_notification(world))
    assert reverse("core:child_detail", args=[world.anna.pk]) in page
    assert "Ukendt barn" not in page


def test_an_unknown_child_shows_what_the_notifier_gave(world, client):
    n = professional_notification(
        world, child=None, child_name="Ida Ukendtsen", child_birth_date=datetime.date(2016, 5, 4)
    )
    page = _page(client, world.personas["alice"], n)
    assert "Ukendt barn" in page
    assert "Ida Ukendtsen" in page and "4. maj 2016" in page
    assert "tidligere underretninger kan ikke findes" in page


def test_the_countdowns_show(world, client):
    n = professional_notification(world, received_at=timezone.now() - datetime.timedelta(hours=2))
    page = _page(client, world.personas["alice"], n)
    assert "Vurdering inden for 24 timer" in page
    assert "om 21 t" in page  # 22 hours less the minute the test takes
    assert "Kvittering til fagperson (6 hverdage)" in page
    assert "Sendes, når der er truffet en beslutning" in page


def test_an_overdue_assessment_is_marked(world, client):
    n = professional_notification(world, received_at=timezone.now() - datetime.timedelta(hours=30))
    page = _page(client, world.personas["alice"], n)
    assert 'class="trappen-overdue">overskredet med 6 t' in page


def test_the_timeline_is_shown_in_order(world, client):
    n = assessed(professional_notification(world), world.personas["alice"])
    n.events.create(
        occurred_at=n.received_at, kind=EventKind.RECEIVED, note="Modtaget via formular"
    )
    page = _page(client, world.personas["alice"], n)
    received, assessed_at = (
        page.index("Modtaget via formular"),
        page.index("Vurderet (24 timer)</strong>"),
    )
    assert received < assessed_at


def test_the_history_lists_earlier_notifications_of_the_child_and_siblings(world, client):
    now = timezone.now()
    n = professional_notification(world, received_at=now)
    own = NotificationFactory(child=world.anna, received_at=now - datetime.timedelta(days=40))
    sibling = NotificationFactory(
        child=world.anna_sibling, received_at=now - datetime.timedelta(days=10)
    )
    NotificationFactory(child=world.anna, received_at=now - datetime.timedelta(days=400))
    NotificationFactory(child=world.bertram, received_at=now - datetime.timedelta(days=5))
    NotificationFactory(child=world.anna, received_at=now + datetime.timedelta(minutes=5))

    page = _page(client, world.personas["alice"], n)

    history = page[page.index('id="historik"') :]
    links = [_url("detail", x) for x in (sibling, own)]
    assert all(link in history for link in links)
    assert history.index(links[0]) < history.index(links[1])  # newest first
    assert history.count("/underretninger/") == 2
    assert "søskende Asger" in history and "barnet selv" in history
    assert "Gentagen" in page


def test_the_history_counts_a_sibling_the_notifier_named(world, client):
    other = ChildFactory(municipality=world.municipality, first_name="Otto")
    earlier = NotificationFactory(
        child=other, received_at=timezone.now() - datetime.timedelta(days=3)
    )
    n = professional_notification(world)
    n.siblings.add(other)
    history = _page(client, world.personas["alice"], n).split('id="historik"')[1]
    assert _url("detail", earlier) in history and "søskende Otto" in history


def test_the_forms_follow_the_status(world, client):
    alice = world.personas["alice"]
    n = professional_notification(world)
    page = _page(client, alice, n)
    assert _url("assess", n) in page and _url("decide", n) not in page

    assessed(n, alice)
    page = _page(client, alice, n)
    assert _url("assess", n) not in page and _url("decide", n) in page
    assert 'class="form-radio"' in page
    assert "Indgår i den igangværende sag" in page  # Anna has an open case


def test_part_of_the_open_case_is_not_offered_without_one(world, client):
    child = ChildFactory(municipality=world.municipality)
    n = assessed(professional_notification(world, child=child), world.personas["alice"])
    assert "Indgår i den igangværende sag" not in _page(client, world.personas["alice"], n)


def test_the_page_is_not_cached_and_the_reads_are_logged(world, client):
    now = timezone.now()
    n = professional_notification(world, received_at=now)
    earlier = NotificationFactory(child=world.anna, received_at=now - datetime.timedelta(days=3))
    client.force_login(world.personas["alice"])
    start = AuditEvent.objects.count()
    response = client.get(_url("detail", n))
    assert response["Cache-Control"] == "no-store"
    rows = AuditEvent.objects.order_by("seq")[start:]
    viewed = {(r.action, r.object_type, r.object_id) for r in rows}
    assert (AuditAction.VIEW, "notifications.notification", str(n.pk)) in viewed
    assert (AuditAction.VIEW, "notifications.notification", str(earlier.pk)) in viewed
    assert {r.actor for r in rows} == {world.personas["alice"]}


@pytest.mark.parametrize("earlier", [0, 6])
def test_the_query_count_is_pinned(world, client, django_assert_max_num_queries, earlier):
    now = timezone.now()
    n = assessed(professional_notification(world, received_at=now), world.personas["alice"])
    for days in range(1, earlier + 1):
        NotificationFactory(
            child=world.anna_sibling, received_at=now - datetime.timedelta(days=days)
        )
    client.force_login(world.personas["alice"])
    with django_assert_max_num_queries(15):
        assert client.get(_url("detail", n)).status_code == 200


# --- access -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["charlie", "professional", "parent", "outsider", "provider", "analyst"]
)
def test_others_get_404_on_every_route(world, client, persona):
    n = assessed(professional_notification(world), world.personas["alice"])
    client.force_login(world.personas[persona])
    assert client.get(_url("detail", n)).status_code == 404
    for name in ("assess", "decide", "feedback"):
        assert client.post(_url(name, n), {"beslutning-reason": "x"}).status_code == 404
    n.refresh_from_db()
    assert n.status == NotificationStatus.ASSESSED


def test_the_assignee_from_another_team_and_the_team_leader_get_in(world, client):
    n = professional_notification(world, assigned_to=world.personas["charlie"])
    for persona in ("charlie", "team_leader", "bob"):
        _page(client, world.personas[persona], n)


def test_an_untriaged_notification_is_open_to_team_leaders_only(world, client):
    n = professional_notification(world, team=None, assigned_to=None)
    _page(client, world.personas["team_leader"], n)
    client.force_login(world.personas["alice"])
    assert client.get(_url("detail", n)).status_code == 404


# --- the forms --------------------------------------------------------------------------------


def test_assess_through_the_page(world, client):
    n = professional_notification(world)
    client.force_login(world.personas["bob"])
    data = {"vurdering-danger": "nej", "vurdering-acute_measures": "nej", "vurdering-note": ""}
    response = client.post(_url("assess", n), data)
    assert response.status_code == 302 and response["Location"] == _url("detail", n)
    n.refresh_from_db()
    assert n.status == NotificationStatus.ASSESSED and n.danger is False
    assert n.assessed_by == world.personas["bob"]


def test_assessment_errors_are_danish(world, client):
    n = professional_notification(world)
    client.force_login(world.personas["alice"])
    response = client.post(_url("assess", n), {"vurdering-danger": "ja"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Svar på, om der er sat akutte foranstaltninger i gang." in page
    assert "Beskriv faren, og hvad der er gjort for at beskytte barnet." not in page  # form first
    response = client.post(
        _url("assess", n), {"vurdering-danger": "ja", "vurdering-acute_measures": "nej"}
    )
    assert (
        "Beskriv faren, og hvad der er gjort for at beskytte barnet." in response.content.decode()
    )
    n.refresh_from_db()
    assert n.status == NotificationStatus.NEW


def test_decide_through_the_page_starts_the_investigation(world, client):
    n = assessed(professional_notification(world), world.personas["alice"])
    client.force_login(world.personas["alice"])
    data = {"beslutning-decision": "investigation", "beslutning-reason": "Alvorlig bekymring."}
    response = client.post(_url("decide", n), data)
    assert response.status_code == 302
    n.refresh_from_db()
    assert n.decision == Decision.INVESTIGATION and n.case == world.anna_case
    assert world.anna_case.investigations.exists()
    page = _page(client, world.personas["alice"], n)
    assert "Alvorlig bekymring." in page and "Beslutningen er gemt." in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"beslutning-reason": "x"}, "Vælg en beslutning."),
        ({"beslutning-decision": "no_action"}, "Skriv en begrundelse for beslutningen."),
        ({"beslutning-decision": "no_action", "beslutning-reason": "  "}, "Skriv en begrundelse"),
        ({"beslutning-decision": "bogus", "beslutning-reason": "x"}, "Vælg en af mulighederne."),
        (
            {"beslutning-decision": "forward", "beslutning-reason": "Flyttet."},
            "Skriv navnet på den kommune, underretningen sendes videre til.",
        ),
        (
            {
                "beslutning-decision": "no_action",
                "beslutning-reason": "x",
                "beslutning-immediate_measure": "on",
            },
            "En straksindsats efter § 32 kan kun",
        ),
    ],
)
def test_decision_errors_are_danish(world, client, data, message):
    n = assessed(professional_notification(world), world.personas["alice"])
    client.force_login(world.personas["alice"])
    response = client.post(_url("decide", n), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    n.refresh_from_db()
    assert n.status == NotificationStatus.ASSESSED


def test_deciding_before_the_assessment_says_why(world, client):
    n = professional_notification(world)
    client.force_login(world.personas["alice"])
    data = {"beslutning-decision": "no_action", "beslutning-reason": "Ingen bekymring."}
    response = client.post(_url("decide", n), data)
    assert response.status_code == 200
    assert "skal vurderes (24-timersvurderingen)" in response.content.decode()


def test_the_feedback_button_sends_once(world, client):
    n = assessed(professional_notification(world), world.personas["alice"])
    # a decision recorded without the automatic feedback (e.g. before the rule was built)
    n.status, n.decision, n.decision_reason = NotificationStatus.DECIDED, Decision.NO_ACTION, "x"
    n.decided_at = timezone.now()
    n.save()
    client.force_login(world.personas["alice"])
    assert "Send tilbagemelding nu" in _page(client, world.personas["alice"], n)
    assert client.post(_url("feedback", n)).status_code == 302
    assert client.post(_url("feedback", n)).status_code == 302
    assert Letter.objects.filter(template="notification_feedback", notification=n).count() == 1
    page = _page(client, world.personas["alice"], n)
    assert "Send tilbagemelding nu" not in page and "Tilbagemeldingen var allerede sendt." in page


# --- no input makes a 500 ---------------------------------------------------------------------

ANY_TEXT = st.one_of(
    st.text(max_size=200),
    st.sampled_from(["", " ", "\x00", "ja", "nej", "forward", "<script>alert(1)</script>"]),
)
FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(danger=ANY_TEXT, acute=ANY_TEXT, note=ANY_TEXT)
def test_bad_assessment_input_never_fails(world, client, danger, acute, note):
    n = professional_notification(world)
    client.force_login(world.personas["alice"])
    data = {"vurdering-danger": danger, "vurdering-acute_measures": acute, "vurdering-note": note}
    response = client.post(_url("assess", n), data)
    assert response.status_code in (200, 302)
    assert b"<script>alert(1)</script>" not in response.content


@FUZZ
@given(
    decision=st.one_of(ANY_TEXT, st.sampled_from(list(Decision.values))),
    reason=ANY_TEXT,
    forwarded_to=ANY_TEXT,
    flags=st.lists(st.sampled_from(["early_support", "immediate_measure", "hold_guardian_letter"])),
)
def test_bad_decision_input_never_fails(world, client, decision, reason, forwarded_to, flags):
    n = assessed(professional_notification(world), world.personas["alice"])
    client.force_login(world.personas["alice"])
    data = {
        "beslutning-decision": decision,
        "beslutning-reason": reason,
        "beslutning-forwarded_to": forwarded_to,
        **{f"beslutning-{flag}": "on" for flag in flags},
    }
    response = client.post(_url("decide", n), data)
    assert response.status_code in (200, 302)
    assert b"<script>alert(1)</script>" not in response.content
