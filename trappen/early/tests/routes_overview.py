"""The unit's overview in the access matrix (trappen/core/tests/test_access_matrix.py).

The list of units opens for the professionals of both schools and the leader of Nordskolen;
Nordskolen's page for its professional (the children) and its leader (counts only, so no
"Anna"). The professional of Sydskolen gets 404 for Nordskolen; the outreach worker, the
caseworkers, the providers, the parents and everyone else get 403 on both.
"""

from trappen.core.tests.matrix import Route

ROUTES = {
    "early:units": Route(frozenset({"professional", "professional_other_school", "unit_leader"})),
    "early:unit_overview": Route(
        frozenset({"professional", "unit_leader"}), kwargs={"unit_id": "school_a"}
    ),
}


def objects(world) -> dict:
    return {"school_a": world.school_a.pk}
