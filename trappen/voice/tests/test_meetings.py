"""Network meetings and stormøder: recording a meeting and its follow-up (Danish refusals), the
reminders about the follow-up, the pages (no 500 on garbage), access and query counts."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from trappen.cases.case_alerts import unseen_case_alerts
from trappen.cases.models import CaseAlert, CaseAlertKind, CaseAlertLevel
from trappen.cases.plans import PlanError
from trappen.core.home_services import case_alert_rows
from trappen.core.models import AuditEvent
from trappen.core.tests.factories import CaseFactory
from trappen.people.models import NetworkConsent
from trappen.voice.meetings import network_of, record_meeting, record_meeting_follow_up
from trappen.voice.models import FamilyGroupConference, NetworkMeeting, NetworkMeetingKind
from trappen.voice.reminders import raise_network_reminders
from trappen.voice.tests.factories import (
    FamilyGroupConferenceFactory,
    NetworkMeetingFactory,
    NetworkPersonFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date
HELD_ON, FOLLOW_UP_ON = D(2025, 3, 3), D(2025, 4, 1)
MAX_QUERIES = 15


@pytest.fixture
def alice(world):
    return world.personas["alice"]


@pytest.fixture
def mormor(world):
    return NetworkPersonFactory(child=world.anna, name="Mormor Inger", relation="Mormor")


def record(world, alice, **kwargs):
    values = {
        "kind": NetworkMeetingKind.LARGE,
        "held_on": HELD_ON,
        "agreements": "Mormor henter Anna om tirsdagen.",
        "acting_user": alice,
    }
    return record_meeting(world.anna_case, **{**values, **kwargs})


# --- the service ------------------------------------------------------------------------------


def test_a_meeting_is_recorded_with_participants_agreements_and_follow_up(world, alice, mormor):
    m = record(
        world,
        alice,
        participants=[mormor],
        professionals=" Klasselærer Hansen ",
        child_took_part=True,
        follow_up_on=FOLLOW_UP_ON,
    )
    m = NetworkMeeting.objects.get(pk=m.pk)
    assert (m.kind, m.held_on, m.professionals, m.child_took_part, m.follow_up_on) == (
        NetworkMeetingKind.LARGE,
        HELD_ON,
        "Klasselærer Hansen",
        True,
        FOLLOW_UP_ON,
    )
    assert list(m.participants.all()) == [mormor]
    assert m.recorded_by == alice
    event = AuditEvent.objects.get(object_type="voice.networkmeeting")
    assert (event.action, event.child_id, event.purpose) == (
        "create",
        world.anna.pk,
        "Netværksmøde",
    )


def test_the_network_is_the_childs_map_without_removed_persons(world, mormor):
    NetworkPersonFactory(child=world.anna, removed_on=D(2025, 1, 1))
    NetworkPersonFactory(child=world.bertram)
    assert list(network_of(world.anna_case)) == [mormor]


@pytest.mark.parametrize(
    "kwargs, field, expected",
    [
        ({"kind": "party"}, "kind", "Vælg, om det var et netværksmøde eller et stormøde."),
        ({"held_on": D(2199, 1, 1)}, "held_on", "Mødet kan ikke være holdt i fremtiden."),
        ({"held_on": "2025-03-03"}, "held_on", "Skriv datoen, mødet blev holdt."),
        ({"held_on": D(1900, 1, 1)}, "held_on", "Datoen skal ligge mellem 1990 og 2199."),
        ({"agreements": "   "}, "agreements", "Skriv, hvad der blev aftalt på mødet."),
        ({"agreements": "x" * 5001}, "agreements", "Teksten må højst være på 5000 tegn."),
        ({"follow_up_on": HELD_ON}, "follow_up_on", "Opfølgningen skal ligge efter mødet."),
        ({"follow_up_on": D(2025, 3, 2)}, "follow_up_on", "Opfølgningen skal ligge efter mødet."),
        ({"child_took_part": "ja"}, "child_took_part", "Svar på, om barnet deltog."),
    ],
)
def test_a_meeting_is_refused_with_a_danish_message(world, alice, kwargs, field, expected):
    with pytest.raises(PlanError) as error:
        record(world, alice, **kwargs)
    assert error.value.errors == {field: [expected]}
    assert not NetworkMeeting.objects.exists()


def test_participants_must_be_on_the_childs_map(world, alice):
    stranger = NetworkPersonFactory(child=world.bertram)
    removed = NetworkPersonFactory(child=world.anna, removed_on=D(2025, 1, 1))
    for person in (stranger, removed):
        with pytest.raises(PlanError) as error:
            record(world, alice, participants=[person])
        assert error.value.errors == {
            "participants": ["Vælg kun personer fra barnets netværkskort."]
        }


def test_a_participant_whose_consent_is_refused_is_refused_by_name(world, alice, mormor):
    """As on an intervention (voice.network.add_role): no involving a person whose consent is
    refused. A person not yet asked may take part (asking is part of the preparation)."""
    morfar = NetworkPersonFactory(
        child=world.anna, name="Morfar Erik", consent=NetworkConsent.REFUSED
    )
    with pytest.raises(PlanError) as error:
        record(world, alice, participants=[mormor, morfar])
    assert error.value.errors == {
        "participants": [
            "Der er ikke samtykke til at inddrage Morfar Erik: samtykket er nægtet. "
            "Ret samtykket på netværkskortet først."
        ]
    }
    assert not NetworkMeeting.objects.exists()
    nabo = NetworkPersonFactory(child=world.anna, consent=NetworkConsent.NOT_ASKED)
    m = record(world, alice, participants=[mormor, nabo])
    assert set(m.participants.all()) == {mormor, nabo}


def test_the_page_answers_a_refused_consent_on_the_form(world, mormor, client_alice):
    morfar = NetworkPersonFactory(
        child=world.anna, name="Morfar Erik", relation="Morfar", consent=NetworkConsent.REFUSED
    )
    page = client_alice.get(_list_url(world)).content.decode()
    assert "Morfar Erik (Morfar) – samtykke nægtet" in page
    data = {
        "kind": "network",
        "held_on": "03-03-2025",
        "agreements": "Aftalt.",
        "participants": [mormor.pk, morfar.pk],
    }
    response = client_alice.post(_list_url(world), data)
    assert response.status_code == 200
    assert "Der er ikke samtykke til at inddrage Morfar Erik" in response.content.decode()
    assert not NetworkMeeting.objects.exists()


def test_only_the_team_may_record_and_not_on_a_closed_case(world, alice):
    with pytest.raises(PlanError) as error:
        record(world, alice, acting_user=world.personas["charlie"])
    assert error.value.errors == {None: ["Du har ikke adgang til at arbejde på denne sag."]}
    world.anna_case.closed_on = D(2025, 3, 4)
    with pytest.raises(PlanError) as error:
        record(world, alice)
    assert error.value.errors == {None: ["Sagen er lukket."]}


def test_the_follow_up_is_recorded_once_and_not_before_the_meeting(world, alice):
    m = record(world, alice, follow_up_on=FOLLOW_UP_ON)
    with pytest.raises(PlanError) as error:
        record_meeting_follow_up(m, held_on=D(2025, 3, 2), note="", acting_user=alice)
    assert error.value.errors == {
        "held_on": ["Opfølgningen kan ikke ligge før mødet."],
        "note": ["Skriv, hvordan aftalerne er fulgt op."],
    }
    with pytest.raises(PlanError) as error:
        record_meeting_follow_up(m, held_on=D(2199, 1, 1), note="x", acting_user=alice)
    assert error.value.errors == {"held_on": ["Opfølgningen kan ikke være holdt i fremtiden."]}

    record_meeting_follow_up(m, held_on=D(2025, 3, 28), note="Det virker.", acting_user=alice)
    stale = NetworkMeeting.objects.select_related("case").get(pk=m.pk)
    stale.follow_up_held_on = None  # a second click from a page read before the first
    with pytest.raises(PlanError) as error:
        record_meeting_follow_up(stale, held_on=D(2025, 3, 29), note="Igen.", acting_user=alice)
    assert error.value.errors == {None: ["Opfølgningen på mødet er allerede registreret."]}
    m.refresh_from_db()
    assert (m.follow_up_held_on, m.follow_up_note) == (D(2025, 3, 28), "Det virker.")


# --- reminders --------------------------------------------------------------------------------


def test_the_follow_up_is_reminded_a_week_before_and_escalated_after(world, alice):
    m = record(world, alice, follow_up_on=FOLLOW_UP_ON)  # 1 April 2025
    NetworkMeetingFactory(case=world.anna_case)  # no follow-up agreed: never reminded
    assert raise_network_reminders(D(2025, 3, 24)).raised.total() == 0  # 8 days before
    summary = raise_network_reminders(D(2025, 3, 25))  # 7 days before
    assert (summary.reminders, summary.escalations) == (1, 0)
    assert raise_network_reminders(D(2025, 3, 25)).raised.total() == 0  # twice: nothing new
    summary = raise_network_reminders(D(2025, 4, 2))
    assert (summary.reminders, summary.escalations) == (0, 1)
    assert raise_network_reminders(D(2025, 4, 3)).raised.total() == 0
    rows = sorted(
        CaseAlert.objects.values_list("kind", "subject_id", "level", "recipient", "due_on")
    )
    leader = world.personas["team_leader"]
    assert rows == [
        (CaseAlertKind.NETWORK_MEETING, m.pk, CaseAlertLevel.ESCALATION, leader.pk, FOLLOW_UP_ON),
        (CaseAlertKind.NETWORK_MEETING, m.pk, CaseAlertLevel.REMINDER, alice.pk, FOLLOW_UP_ON),
    ]
    url = reverse("voice:meeting", kwargs={"case_id": world.anna_case.pk, "meeting_id": m.pk})
    now = datetime.datetime(2025, 4, 3, 12, tzinfo=datetime.UTC)
    assert [r.url for r in case_alert_rows(leader, now)] == [url]

    record_meeting_follow_up(m, held_on=D(2025, 4, 2), note="Fulgt op.", acting_user=alice)
    assert unseen_case_alerts(leader).count() == 0  # dealt with: off the start page
    assert unseen_case_alerts(alice).count() == 0


def test_a_held_follow_up_and_a_closed_case_are_not_reminded(world, alice):
    m = record(world, alice, follow_up_on=FOLLOW_UP_ON)
    record_meeting_follow_up(m, held_on=D(2025, 3, 20), note="Fulgt op.", acting_user=alice)
    other = CaseFactory(child=world.anna_sibling, team=world.team_a, closed_on=D(2025, 3, 5))
    NetworkMeetingFactory(case=other, held_on=HELD_ON, follow_up_on=FOLLOW_UP_ON)
    assert raise_network_reminders(D(2025, 4, 20)).raised.total() == 0


# --- the pages --------------------------------------------------------------------------------


@pytest.fixture
def client_alice(world, client):
    client.force_login(world.personas["alice"])
    return client


def _list_url(world) -> str:
    return reverse("voice:meetings", kwargs={"case_id": world.anna_case.pk})


def test_a_meeting_is_recorded_from_the_page(world, mormor, client_alice):
    response = client_alice.post(
        _list_url(world),
        {
            "kind": "large",
            "held_on": "03-03-2025",
            "participants": [mormor.pk],
            "professionals": "Klasselærer",
            "child_took_part": "on",
            "agreements": "Mormor henter om tirsdagen.",
            "follow_up_on": "01-04-2025",
        },
        follow=True,
    )
    m = NetworkMeeting.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "voice:meeting", kwargs={"case_id": world.anna_case.pk, "meeting_id": m.pk}
    )
    page = response.content.decode()
    assert "Stormøde er registreret." in page
    assert "Mormor Inger (Mormor)" in page and "1. april 2025" in page
    assert (m.child_took_part, list(m.participants.all())) == (True, [mormor])


def test_the_list_shows_meetings_and_conferences(world, mormor, client_alice):
    m = NetworkMeetingFactory(case=world.anna_case, follow_up_on=D(2025, 1, 1))
    m.participants.set([mormor])
    FamilyGroupConferenceFactory(case=world.anna_case)
    page = client_alice.get(_list_url(world)).content.decode()
    assert '<td data-title="Deltagere fra netværket">1</td>' in page
    assert "(overskredet)" in page
    assert "– Henvisning og koordinator</li>" in page
    # One audit write: the case, the meeting, the conference and the network person offered as
    # a participant (mormor, shown by name in the form).
    events = AuditEvent.objects.filter(purpose="Netværksmøder og familierådslagninger")
    assert sorted(events.values_list("object_type", "object_id")) == [
        ("cases.case", str(world.anna_case.pk)),
        ("people.networkperson", str(mormor.pk)),
        ("voice.familygroupconference", str(FamilyGroupConference.objects.get().pk)),
        ("voice.networkmeeting", str(m.pk)),
    ]
    assert len({e.at for e in events}) == 1  # one write: one moment
    assert {e.child_id for e in events} == {world.anna.pk}


def test_the_meeting_page_logs_the_participants_shown(world, mormor, client_alice):
    nabo = NetworkPersonFactory(child=world.anna, name="Nabo Jens", relation="Nabo")
    NetworkPersonFactory(child=world.anna, name="Ikke med")
    m = NetworkMeetingFactory(case=world.anna_case)
    m.participants.set([mormor, nabo])
    url = reverse("voice:meeting", kwargs={"case_id": world.anna_case.pk, "meeting_id": m.pk})
    before = AuditEvent.objects.count()
    page = client_alice.get(url).content.decode()
    assert "Mormor Inger (Mormor)" in page and "Nabo Jens (Nabo)" in page
    assert "Ikke med" not in page
    events = AuditEvent.objects.order_by("seq")[before:]
    assert sorted((e.object_type, e.object_id) for e in events) == sorted(
        [
            ("cases.case", str(world.anna_case.pk)),
            ("voice.networkmeeting", str(m.pk)),
            ("people.networkperson", str(mormor.pk)),
            ("people.networkperson", str(nabo.pk)),
        ]
    )
    assert {(e.action, e.purpose, e.child_id) for e in events} == {
        ("view", "Netværksmøde", world.anna.pk)
    }
    assert len({e.at for e in events}) == 1  # one write: one moment


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"kind": "x", "held_on": "31-02-2025", "agreements": ""},
        {"kind": "network", "held_on": "03-03-2025", "agreements": "A", "participants": "-1"},
        {"kind": "network", "held_on": "03-03-2025", "agreements": "A", "participants": "9" * 40},
        {"kind": "network", "held_on": "03-03-2025", "agreements": "A", "follow_up_on": "1-1-1"},
        {"kind": ["network", "large"], "held_on": "99999-12-31", "agreements": "x" * 6000},
        {
            "kind": "network",
            "held_on": "03-03-2025",
            "agreements": "A",
            "follow_up_on": "01-03-2025",
        },
    ],
)
def test_garbage_meetings_answer_the_form_with_errors(world, client_alice, mormor, data):
    response = client_alice.post(_list_url(world), data)
    assert response.status_code == 200
    assert "Fejl:" in response.content.decode()
    assert not NetworkMeeting.objects.exists()


def test_a_participant_of_another_child_is_refused_on_the_form(world, client_alice):
    stranger = NetworkPersonFactory(child=world.bertram)
    data = {"kind": "network", "held_on": "03-03-2025", "agreements": "A"}
    response = client_alice.post(_list_url(world), {**data, "participants": [stranger.pk]})
    assert "Vælg kun personer fra barnets netværkskort." in response.content.decode()
    assert not NetworkMeeting.objects.exists()


def test_the_follow_up_is_recorded_on_the_meeting_page(world, alice, client_alice):
    m = record(world, alice, follow_up_on=FOLLOW_UP_ON)
    url = reverse("voice:meeting", kwargs={"case_id": world.anna_case.pk, "meeting_id": m.pk})
    assert client_alice.post(url, {"held_on": "x"}).status_code == 200
    response = client_alice.post(url, {"held_on": "28-03-2025", "note": "Det virker."})
    assert response.status_code == 302
    page = client_alice.get(url).content.decode()
    assert "Det virker." in page and "<form" not in page.split("opf-heading")[1]
    again = client_alice.post(url, {"held_on": "29-03-2025", "note": "Igen."})
    assert "Opfølgningen på mødet er allerede registreret." in again.content.decode()
    m.refresh_from_db()
    assert m.follow_up_note == "Det virker."


def test_a_meeting_of_another_case_is_not_found(world, client_alice):
    other = NetworkMeetingFactory(case=world.bertram.cases.get())
    url = reverse("voice:meeting", kwargs={"case_id": world.anna_case.pk, "meeting_id": other.pk})
    assert client_alice.get(url).status_code == 404


def test_charlie_of_another_team_gets_404_everywhere(world, client):
    client.force_login(world.personas["charlie"])
    m = NetworkMeetingFactory(case=world.anna_case)
    urls = [
        _list_url(world),
        reverse("voice:meeting", kwargs={"case_id": world.anna_case.pk, "meeting_id": m.pk}),
    ]
    for url in urls:
        assert client.get(url).status_code == 404
        assert client.post(url, {"note": "x"}).status_code == 404


def test_the_pages_pin_their_queries(world, client_alice, mormor, django_assert_max_num_queries):
    for _ in range(5):
        m = NetworkMeetingFactory(case=world.anna_case, follow_up_on=FOLLOW_UP_ON)
        m.participants.set([mormor, NetworkPersonFactory(child=world.anna)])
        FamilyGroupConferenceFactory(case=world.anna_case)
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client_alice.get(_list_url(world)).status_code == 200
    url = reverse("voice:meeting", kwargs={"case_id": world.anna_case.pk, "meeting_id": m.pk})
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client_alice.get(url).status_code == 200


def test_a_meeting_on_a_closed_case_is_refused_on_the_page(world, client_alice):
    world.anna_case.closed_on = D(2025, 3, 4)
    world.anna_case.save()
    data = {"kind": "network", "held_on": "03-03-2025", "agreements": "A"}
    response = client_alice.post(_list_url(world), data)
    assert response.status_code == 200 and "Sagen er lukket." in response.content.decode()
    assert not NetworkMeeting.objects.exists()
