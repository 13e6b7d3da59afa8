"""Early help in the access matrix (trappen/core/tests/test_access_matrix.py).

Only the outreach social worker of Nordskolen reaches early help: the list, the form (GET; an
empty POST answers the CPR look-up's Danish errors, 200), Anna's earlier early help there, and
its end (Anna's help has ended already, so the POST answers the page with the error, 200).
Everyone else gets 403 (no outreach role) or 404 and never sees Anna.
"""

from trappen.core.tests.matrix import Route

OUTREACH = frozenset({"outreach"})
HELP = {"help_id": "anna_early_help"}

ROUTES = {
    "early:early_help_list": Route(OUTREACH),
    "early:early_help_new": Route(OUTREACH),
    "early:early_help_detail": Route(OUTREACH, kwargs=HELP),
    "early:early_help_end": Route(OUTREACH, method="post", kwargs=HELP),
}


def objects(world) -> dict:
    return {"anna_early_help": world.anna.early_help.get().pk}
