"""The team leader's reassignment from the caseload: one set of letters per changed case."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trappen.cases.case_services import CaseError
from trappen.cases.caseload import reassign
from trappen.cases.models import Case, CaseworkerAssignment
from trappen.core.models import Letter
from trappen.core.tests.factories import CaseFactory, ChildFactory

URL = reverse("cases:reassign")


def _letters():
    return Letter.objects.filter(template="caseworker_changed")


@pytest.fixture
def young(world):
    """A case of team A for a child of 4 without custody holders: a change sends no letter."""
    child = ChildFactory(
        municipality=world.municipality, birth_date=world.anna.birth_date.replace(year=2022)
    )
    return CaseFactory(child=child, team=world.team_a, caseworker=world.personas["bob"])


def test_the_leader_reassigns_several_cases_and_each_changed_one_sends_its_letters(
    world, young, client
):
    bob = world.personas["bob"]
    client.force_login(world.personas["team_leader"])

    response = client.post(
        URL,
        {
            "ids": [world.anna_case.pk, young.pk],
            "caseworker": bob.pk,
            "sorter": "barn",
            "side": "2",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("cases:caseload") + "?visning=team&sorter=barn&side=2"
    world.anna_case.refresh_from_db()
    assert world.anna_case.caseworker == bob
    # Anna's case changed (to the parent and Anna); the young child's already had bob
    assert sorted(_letters().values_list("case_id", flat=True)) == [world.anna_case.pk] * 2
    assert not CaseworkerAssignment.objects.filter(case=young).exists()

    again = client.post(URL, {"ids": [world.anna_case.pk], "caseworker": bob.pk}, follow=True)
    assert "havde allerede" in again.content.decode()
    assert _letters().count() == 2


def test_all_or_nothing_when_one_case_is_not_the_leaders(world, young):
    bertram_case = Case.objects.get(child=world.bertram)  # team B
    with pytest.raises(CaseError, match="Intet er ændret"):
        reassign(
            [world.anna_case.pk, bertram_case.pk],
            world.personas["bob"],
            acting_user=world.personas["team_leader"],
        )
    world.anna_case.refresh_from_db()
    assert world.anna_case.caseworker == world.personas["alice"]
    assert not _letters().exists()


def test_the_htmx_answer_is_the_refreshed_table_with_the_message(world, client):
    client.force_login(world.personas["team_leader"])
    response = client.post(
        URL,
        {"ids": [world.anna_case.pk], "caseworker": world.personas["bob"].pk},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "1 sag har fået" in html and "Familierne får automatisk brev" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Vælg de sager"),
        ({"ids": ["abc"]}, "Vælg de sager"),
        ({"ids": ["1"], "caseworker": "x"}, "Vælg en rådgiver fra listen"),
        ({"ids": ["1"], "caseworker": "charlie"}, "Vælg en rådgiver fra listen"),  # team B
        ({"ids": ["999999999"], "caseworker": "bob"}, "findes ikke"),
        ({"ids": ["anna"], "caseworker": "bob", "reason": "x" * 301}, "højst være på 300"),
    ],
)
def test_refusals_are_messages_never_errors(world, client, data, message):
    data = dict(data)
    if data.get("caseworker") in world.personas:
        data["caseworker"] = world.personas[data["caseworker"]].pk
    data["ids"] = [world.anna_case.pk if i == "anna" else i for i in data.get("ids", [])]
    client.force_login(world.personas["team_leader"])
    response = client.post(URL, data, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not _letters().exists()


def test_a_caseworker_may_not_reassign(world, client):
    client.force_login(world.personas["alice"])
    response = client.post(
        URL, {"ids": [world.anna_case.pk], "caseworker": world.personas["bob"].pk}
    )
    assert response.status_code == 403
    world.anna_case.refresh_from_db()
    assert world.anna_case.caseworker == world.personas["alice"]
