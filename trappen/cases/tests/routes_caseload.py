"""The caseload routes in the access matrix (trappen/core/tests/test_access_matrix.py).

Caseworkers and team leaders reach the caseload and the economy page (each sees the own teams
only; charlie and the outsider see their own, without Anna). Only a team leader may post a
reassignment (an empty one is answered with a message and a redirect). Opening a case for Anna
is reachable by those who work on her case (the page says she already has an open case);
charlie and the outsider get 404, everyone else 403 or 404.
"""

from trappen.core.tests.matrix import CASE_A, CASEWORKERS, Route

TEAMS = CASEWORKERS | {"team_leader"}

ROUTES = {
    "cases:caseload": Route(TEAMS),
    "cases:reassign": Route(frozenset({"team_leader"}), method="post", status=302),
    "cases:open": Route(CASE_A, kwargs={"child_id": "anna"}),
    "cases:economy": Route(TEAMS),
}


def objects(world) -> dict:
    return {}
