"""The figures of early detection in the access matrix: analysts, team leaders and outreach
social workers see the aggregates; everyone else is refused (403)."""

from trappen.core.tests.matrix import Route

ROUTES = {
    "early:figures": Route(frozenset({"analyst", "team_leader", "outreach"})),
}


def objects(world) -> dict:
    return {}
