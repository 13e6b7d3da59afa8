"""The provider's pages in the access matrix.

The list is for providers (each sees their own units' interventions; everyone else 403). Anna's
intervention is delivered by provider_a: only `provider` reaches its page and may post a note or
scores (an empty form is answered with the page and its Danish errors, nothing saved);
`provider_other` and everyone else get 404. Cross-provider tests are in test_provider.py.
"""

from trappen.core.tests.matrix import Route

PROVIDER = frozenset({"provider"})
KWARGS = {"intervention_id": "casepage_provider_intervention"}

ROUTES = {
    "cases:provider_list": Route(frozenset({"provider", "provider_other"})),
    "cases:provider_intervention": Route(PROVIDER, kwargs=KWARGS),
    "cases:provider_note": Route(PROVIDER, method="post", kwargs=KWARGS),
    "cases:provider_scores": Route(PROVIDER, method="post", kwargs=KWARGS),
}


def objects(world) -> dict:
    return {"casepage_provider_intervention": world.anna_intervention.pk}
