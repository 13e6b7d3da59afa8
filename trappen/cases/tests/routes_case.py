"""The case page in the access matrix: Anna's case (team A) for team A's caseworkers and their
team leader; everyone else, charlie of team B (no break-the-glass grant) and the providers
included, gets 404. Break-the-glass is tested in test_case_page.py."""

from trappen.core.tests.matrix import CASE_A, Route

ROUTES = {
    "cases:detail": Route(CASE_A, kwargs={"case_id": "casepage_case"}),
}


def objects(world) -> dict:
    return {"casepage_case": world.anna_case.pk}
