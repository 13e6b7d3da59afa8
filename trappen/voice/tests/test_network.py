"""The network map: the services' rules (voice.network), who sees it, the htmx and the plain
answers, the network on an intervention, the child page, and the pages' query counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from trappen.cases.plans import PlanError
from trappen.core.models import AuditAction, AuditEvent, BreakGlassGrant, Role
from trappen.core.tests.factories import ChildFactory
from trappen.people.models import NetworkConsent, NetworkPerson
from trappen.voice import network
from trappen.voice.models import InterventionNetworkRole
from trappen.voice.tests.factories import NetworkPersonFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
TODAY = timezone.localdate


def _valid(**extra) -> dict:
    data = {
        "name": "Mormor Grethe",
        "relation": "Mormor",
        "closeness": 1,
        "can_offer": "Henter i skole om tirsdagen",
        "phone": "+45 86 12 34 56",
        "email": "grethe@eksempel.dk",
        "consent": NetworkConsent.GIVEN,
        "consent_on": TODAY() - datetime.timedelta(days=3),
    }
    data.update(extra)
    return data


def _post(**extra) -> dict:
    data = {f"person-{k}": v for k, v in _valid(**extra).items()}
    data["person-consent_on"] = (
        data["person-consent_on"].isoformat() if data.get("person-consent_on") else ""
    )
    return data


def _errors(call) -> dict:
    with pytest.raises(PlanError) as caught:
        call()
    return caught.value.errors


# --- the services -----------------------------------------------------------------------------


def test_a_person_is_added_to_the_childs_map_and_the_write_is_logged(world):
    alice = world.personas["alice"]
    person = network.add_person(world.anna_case, acting_user=alice, **_valid())
    assert (person.child_id, person.added_by, person.added_on) == (world.anna.pk, alice, TODAY())
    assert (person.closeness, person.consent) == (1, "given")
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.object_type, event.object_id, event.child_id, event.role) == (
        AuditAction.CREATE,
        "people.networkperson",
        str(person.pk),
        world.anna.pk,
        Role.CASEWORKER,
    )


def test_bad_input_is_refused_in_danish_per_field(world):
    errors = _errors(
        lambda: network.add_person(
            world.anna_case,
            acting_user=world.personas["alice"],
            **_valid(
                name="  ",
                relation="",
                closeness=4,
                phone="12ab",
                email="ikke-en-mail",
                consent_on=None,
            ),
        )
    )
    assert errors == {
        "name": ["Skriv personens navn."],
        "relation": ["Skriv personens relation til barnet, fx mormor, nabo eller træner."],
        "phone": ["Skriv et telefonnummer med mindst 8 cifre, fx 86 12 34 56."],
        "email": ["Skriv en gyldig e-mailadresse, fx navn@eksempel.dk."],
        "closeness": ["Vælg, hvor tæt personen er på barnet (1, 2 eller 3)."],
        "consent_on": ["Skriv datoen, samtykket blev givet eller nægtet."],
    }
    assert not NetworkPerson.objects.exists()


@pytest.mark.parametrize(
    "extra, field, message",
    [
        ({"closeness": True}, "closeness", "Vælg, hvor tæt personen er på barnet (1, 2 eller 3)."),
        ({"closeness": "2"}, "closeness", "Vælg, hvor tæt personen er på barnet (1, 2 eller 3)."),
        (
            {"phone": "1234 567"},
            "phone",
            "Skriv et telefonnummer med mindst 8 cifre, fx 86 12 34 56.",
        ),
        (
            {"consent": NetworkConsent.REFUSED, "consent_on": None},
            "consent_on",
            "Skriv datoen, samtykket blev givet eller nægtet.",
        ),
        (
            {"consent_on": timezone.localdate() + datetime.timedelta(days=2)},
            "consent_on",
            "Datoen for samtykket kan ikke ligge i fremtiden.",
        ),
        (
            {"consent": NetworkConsent.NOT_ASKED},
            "consent_on",
            "Der kan kun stå en dato, når samtykket er givet eller nægtet.",
        ),
        (
            {"consent": "maybe"},
            "consent",
            "Vælg, om der er givet samtykke til at kontakte personen.",
        ),
        ({"name": "x" * 201}, "name", "Teksten må højst være på 200 tegn."),
    ],
)
def test_each_rule_of_a_person(world, extra, field, message):
    errors = _errors(
        lambda: network.add_person(
            world.anna_case, acting_user=world.personas["alice"], **_valid(**extra)
        )
    )
    assert errors == {field: [message]}


def test_not_asked_needs_no_date_and_refused_with_a_date_is_kept(world):
    alice = world.personas["alice"]
    asked = network.add_person(
        world.anna_case,
        acting_user=alice,
        **_valid(consent=NetworkConsent.NOT_ASKED, consent_on=None),
    )
    assert (asked.consent, asked.consent_on) == ("not_asked", None)
    refused = network.add_person(
        world.anna_case, acting_user=alice, **_valid(consent=NetworkConsent.REFUSED, phone="")
    )
    assert refused.consent == "refused" and refused.consent_on == TODAY() - datetime.timedelta(3)


def test_update_and_soft_removal(world):
    alice = world.personas["alice"]
    person = network.add_person(world.anna_case, acting_user=alice, **_valid())
    network.update_person(person, world.anna_case, acting_user=alice, **_valid(closeness=3))
    person.refresh_from_db()
    assert person.closeness == 3
    network.remove_person(person, world.anna_case, acting_user=alice)
    person.refresh_from_db()
    assert person.removed_on == TODAY()
    assert list(network.active_network(world.anna.pk)) == []
    assert _errors(lambda: network.remove_person(person, world.anna_case, acting_user=alice)) == {
        None: ["Personen er allerede fjernet fra netværkskortet."]
    }
    actions = list(
        AuditEvent.objects.filter(object_type="people.networkperson").values_list(
            "action", flat=True
        )
    )
    assert actions == ["create", "update", "delete"]


def test_only_the_case_team_writes_and_a_closed_case_is_read_only(world):
    errors = _errors(
        lambda: network.add_person(
            world.anna_case, acting_user=world.personas["charlie"], **_valid()
        )
    )
    assert errors == {None: ["Du har ikke adgang til at arbejde på denne sag."]}
    world.anna_case.closed_on = TODAY()
    world.anna_case.save()
    errors = _errors(
        lambda: network.add_person(world.anna_case, acting_user=world.personas["alice"], **_valid())
    )
    assert errors == {None: ["Sagen er lukket."]}


def test_a_person_of_another_child_is_not_on_this_map(world):
    other = NetworkPersonFactory(child=world.bertram)
    errors = _errors(
        lambda: network.update_person(
            other, world.anna_case, acting_user=world.personas["alice"], **_valid()
        )
    )
    assert errors == {None: ["Personen hører ikke til barnets netværk."]}


# --- the network on an intervention -----------------------------------------------------------


def test_intervention_roles_refuse_another_childs_person_and_other_wrong_choices(world):
    alice, item, case = world.personas["alice"], world.anna_intervention, world.anna_case

    def add(person, part="Henter om tirsdagen"):
        return network.add_role(item, case, person=person, part=part, acting_user=alice)

    assert _errors(lambda: add(NetworkPersonFactory(child=world.bertram))) == {
        "person": ["Vælg en person fra barnets eget netværk."]
    }
    refused = NetworkPersonFactory(child=world.anna, consent=NetworkConsent.REFUSED)
    assert "samtykke" in _errors(lambda: add(refused))["person"][0]
    gone = NetworkPersonFactory(child=world.anna, removed_on=TODAY())
    assert _errors(lambda: add(gone)) == {"person": ["Personen er fjernet fra netværkskortet."]}
    mormor = NetworkPersonFactory(child=world.anna)
    assert _errors(lambda: add(mormor, part=" ")) == {
        "part": ["Skriv, hvad personen står for i indsatsen."]
    }
    role = add(mormor)
    assert (role.person, role.part, role.added_by) == (mormor, "Henter om tirsdagen", alice)
    assert _errors(lambda: add(mormor)) == {
        "person": ["Personen er allerede knyttet til indsatsen."]
    }
    item.end_on = TODAY() - datetime.timedelta(days=1)
    item.save()
    other = NetworkPersonFactory(child=world.anna)
    assert _errors(lambda: add(other)) == {None: ["Indsatsen er afsluttet."]}


# --- the pages --------------------------------------------------------------------------------


def _url(name, world, **kwargs):
    return reverse(f"voice:{name}", kwargs={"case_id": world.anna_case.pk, **kwargs})


def _login(client, world, persona):
    client.force_login(world.personas[persona])
    return client


@pytest.mark.parametrize("persona", ["alice", "bob", "team_leader"])
def test_the_case_team_sees_the_map_and_the_table(world, client, persona):
    NetworkPersonFactory(child=world.anna, name="Mormor Grethe", closeness=1, phone="86123456")
    NetworkPersonFactory(child=world.anna, name="Gammel nabo", removed_on=TODAY())
    body = _login(client, world, persona).get(_url("network", world)).content.decode()
    assert 'role="img"' in body and "Netværkskort for Anna" in body
    assert '<th scope="row">Mormor Grethe</th>' in body and "Tlf. 86123456" in body
    assert "Gammel nabo" not in body


@pytest.mark.parametrize(
    "persona, child_page_status",
    [
        ("charlie", 404),  # a caseworker of another team (no break-the-glass)
        ("provider", 200),  # delivers Anna's intervention
        ("professional", 200),  # Anna's school
        ("parent", 200),  # Anna's custody holder
        ("outsider", 404),  # another municipality
        ("analyst", 404),  # no personal data
    ],
)
def test_no_one_else_sees_the_map_nor_the_network_on_the_child_page(
    world, client, persona, child_page_status
):
    NetworkPersonFactory(child=world.anna, name="Mormor Grethe")
    _login(client, world, persona)
    assert client.get(_url("network", world)).status_code == 404
    before = AuditEvent.objects.count()
    child_page = client.get(reverse("core:child_detail", args=[world.anna.pk]))
    assert child_page.status_code == child_page_status
    if child_page_status == 200:
        body = child_page.content.decode()
        assert "Anna" in body  # the overview itself is shown
        assert "Mormor Grethe" not in body and "Netværk" not in body
        events = AuditEvent.objects.order_by("seq")[before:]
        assert [e.object_type for e in events] == ["people.child"]  # no person was read


def test_the_child_page_logs_the_network_persons_shown_with_the_child(world, client):
    grethe = NetworkPersonFactory(child=world.anna, name="Mormor Grethe", relation="Mormor")
    jens = NetworkPersonFactory(child=world.anna, name="Nabo Jens", relation="Nabo", closeness=3)
    NetworkPersonFactory(child=world.anna, name="Gammel nabo", removed_on=TODAY())
    NetworkPersonFactory(child=world.bertram, name="Bertrams onkel")
    before = AuditEvent.objects.count()
    response = _login(client, world, "bob").get(reverse("core:child_detail", args=[world.anna.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Mormor Grethe" in body and "Nabo Jens" in body and "Gammel nabo" not in body
    events = list(AuditEvent.objects.order_by("seq")[before:])
    assert sorted((e.object_type, e.object_id) for e in events) == sorted(
        [
            ("people.child", str(world.anna.pk)),
            ("people.networkperson", str(grethe.pk)),
            ("people.networkperson", str(jens.pk)),
        ]
    )
    assert {(e.action, e.purpose, e.child_id, e.role) for e in events} == {
        (AuditAction.VIEW, "Barnets overblik", world.anna.pk, Role.CASEWORKER)
    }
    assert len({e.at for e in events}) == 1  # one audit write: one moment


def test_the_child_page_lists_the_network_and_links_the_map_for_the_case_team(world, client):
    NetworkPersonFactory(child=world.anna, name="Mormor Grethe", relation="Mormor")
    NetworkPersonFactory(child=world.anna, name="Gammel nabo", removed_on=TODAY())
    body = _login(client, world, "alice").get(reverse("core:child_detail", args=[world.anna.pk]))
    body = body.content.decode()
    assert "Mormor Grethe – Mormor" in body and "Gammel nabo" not in body
    assert _url("network", world) in body


def test_a_caseworker_with_break_the_glass_may_open_the_map(world, client):
    charlie = world.personas["charlie"]
    BreakGlassGrant.objects.create(user=charlie, child=world.anna, reason="Akut henvendelse")
    assert _login(client, world, "charlie").get(_url("network", world)).status_code == 200


def test_the_map_logs_a_read_of_each_person(world, client):
    persons = [NetworkPersonFactory(child=world.anna) for _ in range(3)]
    before = AuditEvent.objects.count()
    _login(client, world, "bob").get(_url("network", world))
    events = AuditEvent.objects.order_by("seq")[before:]
    shown = {e.object_id for e in events if e.object_type == "people.networkperson"}
    assert shown == {str(p.pk) for p in persons}
    assert {e.action for e in events} == {AuditAction.VIEW}


def test_adding_with_htmx_answers_the_map_and_the_table(world, client):
    response = _login(client, world, "alice").post(_url("network_add", world), _post(), **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.startswith('<div id="netvaerk">') and "<html" not in body
    assert "Mormor Grethe" in body and "<svg" in body and 'data-closeness="1"' in body
    assert NetworkPerson.objects.get().child == world.anna


def test_an_htmx_error_answers_the_form_alone_in_danish(world, client):
    _login(client, world, "alice")
    for data, message in (
        (_post(name=""), "Skriv personens navn."),  # the form's own check
        (_post(email="ikke-en-mail"), "Skriv en gyldig e-mailadresse"),  # the service's
    ):
        response = client.post(_url("network_add", world), data, **HTMX)
        body = response.content.decode()
        assert response.status_code == 200
        assert response["HX-Retarget"] == "#netvaerk-form"
        assert response["HX-Reswap"] == "outerHTML"
        assert body.startswith('<div id="netvaerk-form"') and message in body
    assert not NetworkPerson.objects.exists()


def test_without_htmx_a_write_redirects_and_an_error_renders_the_page(world, client):
    _login(client, world, "alice")
    response = client.post(_url("network_add", world), _post())
    assert response.status_code == 302 and response["Location"] == _url("network", world)
    response = client.post(_url("network_add", world), _post(closeness="7"))
    assert response.status_code == 200 and "<html" in response.content.decode()
    assert "Vælg en af mulighederne." in response.content.decode()
    assert NetworkPerson.objects.count() == 1


def test_editing_and_removing_with_htmx_and_without(world, client):
    person = NetworkPersonFactory(child=world.anna, name="Mormor Grethe", closeness=1)
    _login(client, world, "alice")
    edit = _url("network_edit", world, person_id=person.pk)
    form = client.get(edit, **HTMX).content.decode()
    assert form.startswith('<div id="netvaerk-form"') and 'value="Mormor Grethe"' in form
    assert "<html" in client.get(edit).content.decode()
    body = client.post(edit, _post(name="Mormor Grethe Hansen", closeness=2), **HTMX)
    assert 'data-closeness="2"' in body.content.decode()
    person.refresh_from_db()
    assert (person.name, person.closeness) == ("Mormor Grethe Hansen", 2)
    remove = _url("network_remove", world, person_id=person.pk)
    body = client.post(remove, **HTMX).content.decode()
    assert body.startswith('<div id="netvaerk">') and "Mormor Grethe Hansen" not in body
    # a second click: not 404, but the map with the message
    again = client.post(remove)
    assert again.status_code == 302
    page = client.get(again["Location"]).content.decode()
    assert "Personen er allerede fjernet fra netværkskortet." in page


def test_the_intervention_section_with_htmx(world, client):
    mormor = NetworkPersonFactory(child=world.anna, name="Mormor Grethe", relation="Mormor")
    stranger = NetworkPersonFactory(child=world.bertram, name="Bertrams nabo")
    kwargs = {"intervention_id": world.anna_intervention.pk}
    _login(client, world, "alice")
    page = client.get(
        reverse("cases:intervention", kwargs={"case_id": world.anna_case.pk, **kwargs})
    ).content.decode()
    section = _url("intervention_network", world, **kwargs)
    assert f'hx-get="{section}"' in page and 'hx-trigger="load"' in page
    body = client.get(section, **HTMX).content.decode()
    assert body.startswith('<section class="trappen-section" id="indsats-netvaerk"')
    assert "Mormor Grethe (Mormor)" in body  # a choice in the form
    add = _url("intervention_network_add", world, **kwargs)
    refused = client.post(add, {"rolle-person": stranger.pk, "rolle-part": "Kører"}, **HTMX)
    assert "Vælg en person fra barnets eget netværk." in refused.content.decode()
    assert not InterventionNetworkRole.objects.exists()
    body = client.post(
        add, {"rolle-person": mormor.pk, "rolle-part": "Henter om tirsdagen"}, **HTMX
    ).content.decode()
    assert "Henter om tirsdagen" in body and "Bertrams nabo" not in body
    role = InterventionNetworkRole.objects.get()
    remove = _url("intervention_network_remove", world, role_id=role.pk, **kwargs)
    body = client.post(remove, **HTMX).content.decode()
    assert "Ingen personer fra netværket er knyttet til indsatsen." in body
    assert client.post(remove).status_code == 302  # already gone: a message, not 404


def test_the_provider_sees_name_relation_and_part_only(world, client):
    mormor = NetworkPersonFactory(
        child=world.anna,
        name="Mormor Grethe",
        relation="Mormor",
        phone="86123456",
        can_offer="Har en stor have",
    )
    gone = NetworkPersonFactory(child=world.anna, name="Gammel nabo")
    for person in (mormor, gone):
        InterventionNetworkRole.objects.create(
            intervention=world.anna_intervention, person=person, part="Henter om tirsdagen"
        )
    gone.removed_on = TODAY()
    gone.save()
    url = reverse("voice:provider_network", kwargs={"intervention_id": world.anna_intervention.pk})
    _login(client, world, "provider")
    page = client.get(
        reverse("cases:provider_intervention", args=[world.anna_intervention.pk])
    ).content.decode()
    assert f'hx-get="{url}"' in page
    before = AuditEvent.objects.count()
    body = client.get(url, **HTMX).content.decode()
    assert "Mormor Grethe" in body and "Mormor" in body and "Henter om tirsdagen" in body
    assert "86123456" not in body and "Har en stor have" not in body and "Gammel nabo" not in body
    events = AuditEvent.objects.order_by("seq")[before:]
    assert {(e.object_type, e.role, e.purpose) for e in events} >= {
        ("voice.interventionnetworkrole", Role.PROVIDER, network.PURPOSE_PROVIDER)
    }
    _login(client, world, "provider_other")
    assert client.get(url).status_code == 404


# --- query counts -----------------------------------------------------------------------------


def test_the_map_page_with_fifteen_persons_stays_within_fifteen_queries(
    world, client, django_assert_max_num_queries
):
    for n in range(15):
        NetworkPersonFactory(child=world.anna, closeness=n % 3 + 1)
    _login(client, world, "alice").get(_url("network", world))
    with django_assert_max_num_queries(15):
        body = client.get(_url("network", world)).content.decode()
    assert body.count('<g class="network-person"') == 15


def test_the_sections_stay_within_fifteen_queries(world, client, django_assert_max_num_queries):
    for n in range(6):
        person = NetworkPersonFactory(child=world.anna)
        InterventionNetworkRole.objects.create(
            intervention=world.anna_intervention, person=person, part=f"Del {n}"
        )
    NetworkPersonFactory(child=world.anna)
    kwargs = {"intervention_id": world.anna_intervention.pk}
    _login(client, world, "alice").get(_url("intervention_network", world, **kwargs), **HTMX)
    with django_assert_max_num_queries(15):
        client.get(_url("intervention_network", world, **kwargs), **HTMX)
    url = reverse("voice:provider_network", kwargs=kwargs)
    _login(client, world, "provider").get(url, **HTMX)
    with django_assert_max_num_queries(15):
        assert client.get(url, **HTMX).content.decode().count("Del ") == 6


def test_other_children_get_nothing_from_the_pages(world, client):
    """A person id of another child on Anna's case is 404, not Bertram's data."""
    other = NetworkPersonFactory(child=ChildFactory(municipality=world.municipality))
    _login(client, world, "alice")
    assert client.get(_url("network_edit", world, person_id=other.pk)).status_code == 404
