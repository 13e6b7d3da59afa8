"""Conversations with the child (Lundy, barnets lov §§ 5–6): the service's rules and Danish
errors, the bisidder recorded, the audit rows of every read and write (and the history of edits),
the pages' access, query counts and answers to bad input, and the case page's list."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trappen.cases.plans import PlanError
from trappen.core.models import AuditAction, AuditEvent
from trappen.core.tests.factories import CaseFactory, InvestigationFactory
from trappen.voice import conversations as rules
from trappen.voice.conversations import (
    latest_conversation,
    lundy_completeness,
    record_conversation,
    support_person_told,
    update_conversation,
)
from trappen.voice.models import ChildConversation
from trappen.voice.tests.factories import (
    CaseDecisionFactory,
    ChildConversationFactory,
    days_ago,
)

pytestmark = pytest.mark.django_db
D = datetime.date
MAX_QUERIES = 15
OBJECT = "voice.childconversation"
NOT_EXPLAINED = {"explained_back_on": None}


def _valid(**overrides) -> dict:
    """A conversation with every part answered."""
    fields = {
        "held_on": days_ago(3),
        "place": "I bilen på vej til svømning",
        "method": "activity",
        "present": "Rådgiver og Anna",
        "made_safe": "Anna valgte selv, at vi skulle køre en tur.",
        "information_given": "At mor og far har bedt om hjælp, og hvad en familiebehandler gør.",
        "information_form": "oral",
        "childs_views": "Jeg kan ikke lide, når de råber. Så går jeg ind til mig selv.",
        "hopes_and_dreams": "At vi spiser aftensmad sammen igen.",
        "listeners": "Rådgiveren, som træffer afgørelsen.",
        "decision_maker_listened": True,
        "views_used": "Familiebehandlingen arbejder med konflikterne ved aftensmaden.",
        "explained_back": "Rådgiveren fortalte Anna om indsatsen på næste besøg.",
        "explained_back_on": days_ago(1),
        "told_of_support_person": True,
        "support_person": "Moster Lene",
    }
    return {**fields, **overrides}


def _audit(action: str, obj) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk)
        ).order_by("seq")
    )


def _url(name: str, case, conversation=None) -> str:
    kwargs = {"case_id": case.pk}
    if conversation is not None:
        kwargs["conversation_id"] = conversation.pk
    return reverse(f"voice:{name}", kwargs=kwargs)


@pytest.fixture
def alice(world, client):
    client.force_login(world.personas["alice"])
    return client


# --- the service ------------------------------------------------------------------------------


def test_it_records_a_conversation_in_four_parts_with_the_bisidder(world):
    alice = world.personas["alice"]
    c = record_conversation(world.anna_case, alice, **_valid())
    c.refresh_from_db()
    assert c.held_by == alice and c.case == world.anna_case
    assert c.method == "activity" and c.decision_maker_listened is True
    assert c.childs_views.startswith("Jeg kan ikke lide")
    assert c.told_of_support_person is True and c.support_person == "Moster Lene"
    assert support_person_told(world.anna_case) == days_ago(3)
    [created] = _audit(AuditAction.CREATE, c)
    assert created.actor == alice and created.child_id == world.anna.pk
    assert created.purpose == "Børnesamtale (barnets lov § 5)"


def test_only_date_views_and_bisidder_are_required(world):
    c = record_conversation(
        world.anna_case,
        world.personas["bob"],
        held_on=days_ago(0),
        childs_views="  Det ved jeg ikke.  ",
        told_of_support_person=True,
    )
    c.refresh_from_db()
    assert c.childs_views == "Det ved jeg ikke."  # trimmed
    assert c.place == "" and c.method == "" and c.decision_maker_listened is None


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"held_on": None}, "held_on", "Skriv datoen for samtalen."),
        ({"held_on": "2026-01-01"}, "held_on", "Skriv datoen for samtalen."),
        (
            {"held_on": timezone.localdate() + datetime.timedelta(days=1), **NOT_EXPLAINED},
            "held_on",
            "Samtalen kan ikke være holdt i fremtiden.",
        ),
        (
            {"held_on": D(2015, 3, 13)},
            "held_on",
            "Samtalen kan ikke være holdt, før barnet blev født.",
        ),
        ({"held_on": D(1989, 12, 31)}, "held_on", "Datoen skal ligge mellem 1990 og 2199."),
        ({"childs_views": ""}, "childs_views", rules.VIEWS_MISSING),
        ({"childs_views": "   \n "}, "childs_views", rules.VIEWS_MISSING),
        ({"childs_views": None}, "childs_views", rules.VIEWS_MISSING),
        ({"childs_views": 42}, "childs_views", "Teksten kunne ikke læses."),
        ({"childs_views": "x" * 5001}, "childs_views", "Teksten må højst være på 5000 tegn."),
        ({"place": "x" * 201}, "place", "Teksten må højst være på 200 tegn."),
        ({"support_person": "x" * 201}, "support_person", "Teksten må højst være på 200 tegn."),
        ({"method": "telepathy"}, "method", "Vælg en af mulighederne."),
        ({"information_form": ["oral"]}, "information_form", "Vælg en af mulighederne."),
        ({"decision_maker_listened": "ja"}, "decision_maker_listened", rules.YES_NO),
        ({"told_of_support_person": False}, "told_of_support_person", rules.SUPPORT_PERSON_MISSING),
        ({"told_of_support_person": "on"}, "told_of_support_person", rules.SUPPORT_PERSON_MISSING),
        (
            {"explained_back_on": days_ago(4)},
            "explained_back_on",
            "Det kan ikke være forklaret for barnet før samtalen.",
        ),
        (
            {"explained_back_on": timezone.localdate() + datetime.timedelta(days=2)},
            "explained_back_on",
            "Datoen kan ikke ligge i fremtiden.",
        ),
        (
            {"explained_back_on": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)},
            "explained_back_on",
            rules.EXPLAINED_BACK_BAD,
        ),
    ],
)
def test_each_rule_refuses_in_danish(world, overrides, field, message):
    with pytest.raises(PlanError) as error:
        record_conversation(world.anna_case, world.personas["alice"], **_valid(**overrides))
    assert error.value.errors == {field: [message]}
    assert not ChildConversation.objects.exists()
    assert not AuditEvent.objects.filter(object_type=OBJECT).exists()


def test_a_missing_bisidder_answer_is_refused_with_the_paragraph(world):
    fields = _valid()
    del fields["told_of_support_person"]
    with pytest.raises(PlanError) as error:
        record_conversation(world.anna_case, world.personas["alice"], **fields)
    assert "barnets lov § 6" in error.value.errors["told_of_support_person"][0]


def test_a_closed_case_and_an_outsider_are_refused(world):
    case = world.anna_case
    with pytest.raises(PlanError) as error:
        record_conversation(case, world.personas["charlie"], **_valid())
    assert error.value.errors == {None: ["Du har ikke adgang til at arbejde på denne sag."]}
    case.closed_on = timezone.localdate()
    case.save(update_fields=["closed_on"])
    with pytest.raises(PlanError) as error:
        record_conversation(case, world.personas["alice"], **_valid())
    assert error.value.errors == {None: ["Sagen er lukket."]}


def test_an_unknown_field_is_a_programming_error(world):
    with pytest.raises(TypeError, match="held_by"):
        record_conversation(world.anna_case, world.personas["alice"], **_valid(held_by=None))


def test_an_edit_keeps_its_history_in_the_audit_log(world):
    alice, bob = world.personas["alice"], world.personas["bob"]
    c = record_conversation(world.anna_case, alice, **_valid())
    update_conversation(c, bob, childs_views="Nu råber de mindre.", place="Skolen")
    update_conversation(c, alice, held_on=days_ago(2), support_person="")
    update_conversation(c, alice, childs_views="Nu råber de mindre.")  # no change: no row
    c.refresh_from_db()
    assert (c.childs_views, c.place, c.held_on, c.support_person) == (
        "Nu råber de mindre.",
        "Skolen",
        days_ago(2),
        "",
    )
    assert c.held_by == alice  # the one who held it, not the one who edited
    assert len(_audit(AuditAction.CREATE, c)) == 1
    updates = _audit(AuditAction.UPDATE, c)
    assert [(e.actor, e.purpose) for e in updates] == [
        (bob, "Børnesamtale rettet (barnets lov § 5): Rum, Stemme"),
        (alice, "Børnesamtale rettet (barnets lov § 5): dato, bisidder (§ 6)"),
    ]
    assert all(e.child_id == world.anna.pk for e in updates)


def test_an_edit_is_checked_as_a_whole_and_saves_nothing_when_refused(world):
    c = record_conversation(world.anna_case, world.personas["alice"], **_valid())
    with pytest.raises(PlanError) as error:
        update_conversation(
            c, world.personas["alice"], childs_views="", explained_back_on=days_ago(5)
        )
    assert error.value.errors == {
        "childs_views": [rules.VIEWS_MISSING],
        "explained_back_on": ["Det kan ikke være forklaret for barnet før samtalen."],
    }
    c.refresh_from_db()
    assert c.childs_views.startswith("Jeg kan ikke lide")
    assert not _audit(AuditAction.UPDATE, c)
    with pytest.raises(PlanError):
        update_conversation(c, world.personas["charlie"], place="Hjemme")


def test_support_person_told_is_the_last_conversation_where_the_child_was_told(world):
    case = world.anna_case
    assert support_person_told(case) is None
    ChildConversationFactory(case=case, held_on=days_ago(40), told_of_support_person=True)
    ChildConversationFactory(case=case, held_on=days_ago(20), told_of_support_person=True)
    latest = ChildConversationFactory(case=case, held_on=days_ago(5), told_of_support_person=False)
    ChildConversationFactory(held_on=days_ago(1))  # another child's case
    assert support_person_told(case) == days_ago(20)
    assert latest_conversation(case) == latest


def test_latest_conversation_breaks_a_tie_on_the_day_by_the_last_recorded(world):
    case = world.anna_case
    assert latest_conversation(case) is None
    ChildConversationFactory(case=case, held_on=days_ago(2))
    second = ChildConversationFactory(case=case, held_on=days_ago(2))
    ChildConversationFactory(case=case, held_on=days_ago(9))
    assert latest_conversation(case) == second


def test_lundy_completeness_names_what_each_part_misses(world):
    c = ChildConversation(
        case=world.anna_case,
        held_on=days_ago(1),
        place="Hjemme",
        method="in_person",
        made_safe="Hendes bamse var med.",
        information_given="",
        childs_views="Jeg vil gerne blive boende.",
        listeners="Rådgiveren",
        decision_maker_listened=False,  # answered: "no" is an answer
        views_used="  ",
    )
    parts = lundy_completeness(c)
    assert [(p.name, p.filled, p.missing) for p in parts] == [
        ("Rum", True, ()),
        ("Stemme", False, ("information til barnet",)),
        ("Tilhørsforhold", True, ()),
        (
            "Indflydelse",
            False,
            (
                "hvad blev der gjort med barnets synspunkter",
                "hvordan blev det forklaret for barnet",
            ),
        ),
    ]
    assert all(p.filled for p in lundy_completeness(ChildConversation(**_valid())))


# --- the pages --------------------------------------------------------------------------------


def _form_data(**overrides) -> dict:
    data = {
        "held_on": "03-02-2026",
        "place": "Skolen",
        "method": "in_person",
        "present": "Rådgiver og Anna",
        "made_safe": "Anna valgte lokalet.",
        "information_given": "Hvad en undersøgelse er.",
        "information_form": "written",
        "childs_views": "Jeg vil gerne have, at mor får det bedre.",
        "hopes_and_dreams": "En hund.",
        "listeners": "Rådgiveren",
        "decision_maker_listened": "ja",
        "views_used": "Indgår i undersøgelsen.",
        "explained_back": "Forklaret ved næste samtale.",
        "explained_back_on": "",
        "told_of_support_person": "on",
        "support_person": "",
    }
    return {**data, **overrides}


def test_a_new_conversation_is_saved_and_lands_on_its_page(world, alice):
    response = alice.post(_url("conversation_new", world.anna_case), _form_data(), follow=True)
    c = ChildConversation.objects.get()
    assert response.redirect_chain == [(_url("conversation", world.anna_case, c), 302)]
    page = response.content.decode()
    assert "Samtalen med barnet er gemt." in page
    assert c.held_on == D(2026, 2, 3) and c.held_by == world.personas["alice"]
    assert c.decision_maker_listened is True and c.information_form == "written"
    assert "Orienteret om retten til en bisidder (§ 6)" in page


def test_the_new_form_groups_the_questions_under_the_four_parts(world, alice):
    page = alice.get(_url("conversation_new", world.anna_case)).content.decode()
    rum, stemme, tilhoer, indflydelse = (
        page.index(f'<legend class="h3">{name}</legend>')
        for name in ("Rum", "Stemme", "Tilhørsforhold", "Indflydelse")
    )
    assert rum < page.index('name="made_safe"') < stemme < page.index('name="childs_views"')
    assert tilhoer < page.index('name="decision_maker_listened"') < indflydelse
    assert (
        indflydelse < page.index('name="views_used"') < page.index('name="told_of_support_person"')
    )
    assert "Barnet er orienteret om retten til en bisidder (§ 6)" in page


def test_an_empty_form_answers_with_every_required_error(world, alice):
    response = alice.post(_url("conversation_new", world.anna_case), {})
    page = response.content.decode()
    assert response.status_code == 200
    for message in (rules.HELD_ON_MISSING, "Skriv barnets synspunkter", "barnets lov § 6"):
        assert message in page
    assert not ChildConversation.objects.exists()


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"held_on": "31-02-2026"}, "Skriv en gyldig dato"),
        ({"held_on": "99999-01-01"}, "Skriv en gyldig dato"),
        ({"held_on": "1900-01-01"}, "Datoen skal ligge mellem 1990 og 2199."),
        ({"held_on": "13-03-2015"}, "Samtalen kan ikke være holdt, før barnet blev født."),
        ({"held_on": "01-01-2199"}, "Samtalen kan ikke være holdt i fremtiden."),
        (
            {"explained_back_on": "01-02-2026"},
            "Det kan ikke være forklaret for barnet før samtalen.",
        ),
        ({"childs_views": "x" * 100_000}, "Teksten må højst være på 5000 tegn."),
        ({"place": "ø" * 201}, "Teksten må højst være på 200 tegn."),
        ({"method": "'; DROP TABLE x; --"}, "Vælg en af mulighederne."),
        ({"decision_maker_listened": "måske"}, "Vælg en af mulighederne."),
        ({"information_form": "\x00"}, "Vælg en af mulighederne."),
        ({"childs_views": "<script>alert(1)</script>", "told_of_support_person": ""}, "§ 6"),
    ],
)
def test_bad_input_is_answered_in_danish_never_a_500(world, alice, overrides, message):
    response = alice.post(_url("conversation_new", world.anna_case), _form_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert not ChildConversation.objects.exists()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.dictionaries(
        st.sampled_from(sorted(_form_data())),
        st.one_of(st.text(max_size=300), st.lists(st.text(max_size=20), max_size=3)),
        max_size=8,
    )
)
def test_any_posted_values_give_a_page_not_a_500(world, alice, data):
    response = alice.post(_url("conversation_new", world.anna_case), _form_data(**data))
    assert response.status_code in (200, 302)


def test_the_list_shows_each_conversation_and_logs_every_read(
    world, alice, django_assert_max_num_queries
):
    case = world.anna_case
    told = ChildConversationFactory(case=case, held_on=days_ago(30), held_by=world.personas["bob"])
    for n in range(5):
        ChildConversationFactory(case=case, held_on=days_ago(40 + n), told_of_support_person=False)
    other = ChildConversationFactory(held_on=days_ago(2), place="Bertrams skole")
    with django_assert_max_num_queries(MAX_QUERIES):
        response = alice.get(_url("conversations", case))
    page = response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert page.count('data-title="Dato"') == 6
    assert "Bertrams skole" not in page
    assert _url("conversation", case, told) in page
    assert "senest orienteret om retten til en bisidder (§ 6) den" in page
    assert "0 af 4 dele udfyldt (mangler: Rum, Stemme, Tilhørsforhold, Indflydelse)" in page
    read = AuditEvent.objects.filter(action=AuditAction.VIEW, actor=world.personas["alice"])
    assert read.filter(object_type="cases.case", object_id=str(case.pk)).count() == 1
    assert read.filter(object_type=OBJECT).count() == 6
    assert not read.filter(object_type=OBJECT, object_id=str(other.pk)).exists()


def test_the_page_shows_the_parts_the_decisions_and_the_investigations(
    world, alice, django_assert_max_num_queries
):
    case = world.anna_case
    c = record_conversation(case, world.personas["alice"], **_valid(views_used=""))
    for n in range(3):
        CaseDecisionFactory(
            case=case,
            conversation=c,
            summary=f"Bevilget: Familiebehandling {n}",
            decided_by=world.personas["bob"],
            intervention=world.anna_intervention,
        )
    CaseDecisionFactory(case=case, summary="Afgørelse uden denne samtale")
    investigation = InvestigationFactory(case=case, child_conversation=c)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = alice.get(_url("conversation", case, c))
    page = response.content.decode()
    for n in range(3):
        assert f"Bevilget: Familiebehandling {n}" in page
    assert "Afgørelse uden denne samtale" not in page
    intervention_url = reverse(
        "cases:intervention",
        kwargs={"case_id": case.pk, "intervention_id": world.anna_intervention.pk},
    )
    assert intervention_url in page
    assert (
        reverse(
            "cases:investigation_detail",
            kwargs={"case_id": case.pk, "investigation_id": investigation.pk},
        )
        in page
    )
    assert "Mangler</span> Indflydelse: hvad blev der gjort med barnets synspunkter" in page
    assert "Udfyldt</span> Rum" in page
    assert "Moster Lene" in page
    assert [e.object_type for e in _audit(AuditAction.VIEW, c)] == [OBJECT]


def test_an_edit_on_the_page_is_saved_and_logged(world, alice):
    case = world.anna_case
    c = record_conversation(case, world.personas["alice"], **_valid())
    url = _url("conversation", case, c)
    response = alice.post(url, _form_data(views_used="Indgik i afgørelsen om familiebehandling."))
    assert response.status_code == 302 and response["Location"] == url
    c.refresh_from_db()
    assert c.views_used == "Indgik i afgørelsen om familiebehandling."
    assert c.held_on == D(2026, 2, 3)
    [update] = _audit(AuditAction.UPDATE, c)
    assert update.purpose.startswith("Børnesamtale rettet (barnets lov § 5): dato, Rum")


def test_a_refused_edit_answers_with_the_form_open_and_errors(world, alice):
    case = world.anna_case
    c = record_conversation(case, world.personas["alice"], **_valid())
    response = alice.post(_url("conversation", case, c), _form_data(childs_views=""))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<details class="details" open>' in page
    assert rules.VIEWS_MISSING.split(".")[0] in page
    c.refresh_from_db()
    assert c.childs_views.startswith("Jeg kan ikke lide")


def test_an_edit_on_a_closed_case_is_refused_on_the_page(world, alice):
    case = world.anna_case
    c = record_conversation(case, world.personas["alice"], **_valid())
    case.closed_on = timezone.localdate()
    case.save(update_fields=["closed_on"])
    assert "Ret samtalen" not in alice.get(_url("conversation", case, c)).content.decode()
    response = alice.post(_url("conversation", case, c), _form_data())
    assert response.status_code == 200
    assert "Sagen er lukket." in response.content.decode()


@pytest.mark.parametrize("persona", ["charlie", "provider", "parent", "outsider"])
def test_others_get_404_and_nothing_is_logged_or_saved(world, client, persona):
    case = world.anna_case
    c = ChildConversationFactory(case=case)
    client.force_login(world.personas[persona])
    for url in (
        _url("conversations", case),
        _url("conversation_new", case),
        _url("conversation", case, c),
    ):
        assert client.get(url).status_code == 404
    assert client.post(_url("conversation", case, c), _form_data()).status_code == 404
    assert client.post(_url("conversation_new", case), _form_data()).status_code == 404
    assert ChildConversation.objects.count() == 1
    assert not AuditEvent.objects.filter(actor=world.personas[persona], child_id=world.anna.pk)


def test_a_conversation_of_another_case_is_404_under_this_case(world, alice):
    other = ChildConversationFactory()  # another child's case
    response = alice.get(_url("conversation", world.anna_case, other))
    assert response.status_code == 404


def test_the_team_leader_reads_and_writes(world, client):
    client.force_login(world.personas["team_leader"])
    response = client.post(_url("conversation_new", world.anna_case), _form_data())
    assert response.status_code == 302
    assert ChildConversation.objects.get().held_by == world.personas["team_leader"]


# --- the case page ----------------------------------------------------------------------------


def test_the_case_page_links_each_conversation_and_shows_the_bisidder_answer(world, alice):
    case = world.anna_case
    told = ChildConversationFactory(case=case, held_on=D(2026, 1, 5), place="Skolen")
    not_told = ChildConversationFactory(
        case=case, held_on=D(2026, 1, 4), told_of_support_person=False
    )
    page = alice.get(reverse("cases:detail", kwargs={"case_id": case.pk})).content.decode()
    section = page.split('id="samtaler-heading"')[1].split("</section>")[0]
    assert (
        f'<li><a href="{_url("conversation", case, told)}">5. januar 2026</a>, Skolen '
        '<span class="form-hint">(§ 6: orienteret om retten til en bisidder)</span></li>'
    ) in section
    assert f'href="{_url("conversation", case, not_told)}"' in section
    assert "(§ 6: ikke orienteret om retten til en bisidder)" in section
    new = _url("conversation_new", case)
    assert f'href="{new}"' in page.split('id="samtaler-heading"')[0]  # the page's actions


def test_the_case_page_does_not_link_a_conversation_of_another_teams_case(world, alice):
    case = world.anna_case
    case.closed_on = days_ago(1)
    case.save(update_fields=["closed_on"])
    team_b_case = CaseFactory(child=world.anna, team=world.team_b)
    ChildConversationFactory(case=team_b_case, held_on=D(2026, 1, 7), place="Ungehuset")
    page = alice.get(reverse("cases:detail", kwargs={"case_id": case.pk})).content.decode()
    section = page.split('id="samtaler-heading"')[1].split("</section>")[0]
    assert "<li>7. januar 2026, Ungehuset" in section
    assert "boernesamtaler" not in section


def test_a_conversation_that_informed_decisions_keeps_preceding_them(world):
    alice = world.personas["alice"]
    c = record_conversation(world.anna_case, alice, **_valid(held_on=days_ago(30)))
    CaseDecisionFactory(
        case=world.anna_case, conversation=c, decided_on=days_ago(20), summary="Bevilget: Kontakt"
    )
    CaseDecisionFactory(
        case=world.anna_case, conversation=c, decided_on=days_ago(10), summary="Afsluttet: Kontakt"
    )
    with pytest.raises(PlanError) as error:
        update_conversation(c, alice, held_on=days_ago(19))  # after the first decision
    assert error.value.errors == {
        "held_on": [
            f"Samtalen gik forud for afgørelsen »Bevilget: Kontakt« den {days_ago(20):%d.%m.%Y}. "
            "Datoen kan ikke flyttes til efter afgørelsen (barnets lov § 5)."
        ]
    }
    with pytest.raises(PlanError) as error:  # 91 days before the latest decision
        update_conversation(c, alice, held_on=days_ago(101), explained_back_on=None)
    assert error.value.errors == {
        "held_on": [
            f"Samtalen gik forud for afgørelsen »Afsluttet: Kontakt« den {days_ago(10):%d.%m.%Y}. "
            "Datoen kan ikke flyttes til mere end 90 dage før afgørelsen (barnets lov § 5)."
        ]
    }
    c.refresh_from_db()
    assert c.held_on == days_ago(30)
    assert not _audit(AuditAction.UPDATE, c)
    update_conversation(c, alice, held_on=days_ago(100))  # the window's first day
    update_conversation(c, alice, held_on=days_ago(20))  # the first decision's day
    update_conversation(c, alice, childs_views="Jeg vil gerne blive boende hos mor.")
    c.refresh_from_db()
    assert (c.held_on, c.childs_views) == (days_ago(20), "Jeg vil gerne blive boende hos mor.")
    assert [e.purpose for e in _audit(AuditAction.UPDATE, c)] == [
        "Børnesamtale rettet (barnets lov § 5): dato",
        "Børnesamtale rettet (barnets lov § 5): dato",
        "Børnesamtale rettet (barnets lov § 5): Stemme",
    ]


def test_a_conversation_without_decisions_can_move_freely(world):
    alice = world.personas["alice"]
    c = record_conversation(world.anna_case, alice, **_valid(held_on=days_ago(3)))
    CaseDecisionFactory(case=world.anna_case, decided_on=days_ago(200))  # its own conversation
    update_conversation(c, alice, held_on=days_ago(2))
    c.refresh_from_db()
    assert c.held_on == days_ago(2)
