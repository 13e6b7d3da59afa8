"""The network on an intervention, as sections other apps' pages include:

- `{% intervention_network i %}` on the caseworker's intervention page (cases/intervention.html):
  the network persons who carry part of the intervention, with a small htmx form to name one and
  to remove one (`voice:intervention_network_add` and `_remove`).
- `{% provider_network page.intervention %}` on the provider's intervention page: names,
  relation and part only (no map, no contact details), so the provider can coordinate.

Both check the request user on the server (`case_role`; the provider's own units) and render
nothing to anyone else. The section itself is loaded by htmx from its own URL
(`voice:intervention_network`, `voice:provider_network`), which checks access again and logs
the read: the two pages stay within their pinned query budget (15), which the section's read
and its audit row (6 queries) would break. Without JavaScript the section is a link to the same
content on a page of its own.
"""

from django import template
from django.urls import reverse

from trappen.cases.access import case_role
from trappen.core.models import Role

register = template.Library()


@register.inclusion_tag("voice/network_section_loader.html", takes_context=True)
def intervention_network(context, intervention):
    case = intervention.case
    if case_role(context["request"].user, case) is None:
        return {"hidden": True}
    kwargs = {"case_id": case.pk, "intervention_id": intervention.pk}
    return {
        "url": reverse("voice:intervention_network", kwargs=kwargs),
        "anchor": "indsats-netvaerk",
    }


@register.inclusion_tag("voice/network_section_loader.html", takes_context=True)
def provider_network(context, intervention):
    user = context["request"].user
    own = (
        user.is_authenticated
        and intervention.provider_id in user.unit_ids(Role.PROVIDER)
        and intervention.case.municipality_id == user.municipality_id
    )
    if not own:
        return {"hidden": True}
    url = reverse("voice:provider_network", kwargs={"intervention_id": intervention.pk})
    return {"url": url, "anchor": "udfoerer-netvaerk"}
