"""The network map and the network on an intervention in the access matrix
(trappen/core/tests/test_access_matrix.py).

Only the case's own team (alice, bob and their team leader) reach the caseworkers' routes: the
map, a person's form, the intervention's section and the POSTs (an empty POST answers the form
again with its Danish errors, 200; a removal redirects, also the second time, when the person or
the role is already gone). Charlie (team B, no break-the-glass), the providers, the
professionals, the parents and everyone else get 404 or 403 and never see Anna. The provider's
view of the network on its intervention is provider P1's alone (P1 delivers Anna's
intervention).
"""

from trappen.core.tests.matrix import CASE_A, Route
from trappen.voice.models import InterventionNetworkRole
from trappen.voice.tests.factories import NetworkPersonFactory

CASE = {"case_id": "anna_case"}
PERSON = {**CASE, "person_id": "anna_network_person"}
INTERVENTION = {**CASE, "intervention_id": "anna_intervention"}

ROUTES = {
    "voice:network": Route(CASE_A, kwargs=CASE),
    "voice:network_add": Route(CASE_A, method="post", kwargs=CASE),
    "voice:network_edit": Route(CASE_A, kwargs=PERSON),
    "voice:network_remove": Route(CASE_A, method="post", status=302, kwargs=PERSON),
    "voice:intervention_network": Route(CASE_A, kwargs=INTERVENTION),
    "voice:intervention_network_add": Route(CASE_A, method="post", kwargs=INTERVENTION),
    "voice:intervention_network_remove": Route(
        CASE_A,
        method="post",
        status=302,
        kwargs={**INTERVENTION, "role_id": "anna_network_role"},
    ),
    "voice:provider_network": Route(
        frozenset({"provider"}), kwargs={"intervention_id": "anna_intervention"}
    ),
}


def objects(world) -> dict:
    person = NetworkPersonFactory(child=world.anna, name="Mormor Anna-Grethe")
    role = InterventionNetworkRole.objects.create(
        intervention=world.anna_intervention, person=person, part="Henter om tirsdagen"
    )
    return {
        "anna_case": world.anna_case.pk,
        "anna_network_person": person.pk,
        "anna_intervention": world.anna_intervention.pk,
        "anna_network_role": role.pk,
    }
