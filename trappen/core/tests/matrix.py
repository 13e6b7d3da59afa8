"""The access matrix's vocabulary: who may reach a route, and what the others get.

Apps list their routes in `trappen/<app>/tests/routes*.py` (a `ROUTES` dict of route name to
`Route`, and `objects(world)` returning the ids the routes' kwargs name); the matrix in
`test_access_matrix.py` walks them all as every persona.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from trappen.conftest import PERSONAS

ALL = frozenset(PERSONAS)
CASE_A = frozenset({"alice", "bob", "team_leader"})
SEES_ANNA = CASE_A | {"professional", "outreach", "provider", "parent"}
CASEWORKERS = frozenset({"alice", "bob", "charlie", "outsider"})


@dataclass(frozen=True)
class Route:
    allowed: frozenset
    method: str = "get"
    status: int = 200
    anonymous: int = 302  # to the login page
    kwargs: dict = field(default_factory=dict)
    denied: frozenset = frozenset({403, 404})
    redirected: frozenset = frozenset()  # personas sent on elsewhere (302), e.g. already allowed
