"""Template helpers for the page frame: the main navigation, the header's municipality, alerts."""

from django import template

from trappen.core.models import Municipality
from trappen.core.navigation import navigation_for

register = template.Library()

ALERT_VARIANTS = {"success": "success", "warning": "warning", "error": "error"}


@register.simple_tag(takes_context=True)
def main_navigation(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return []
    return navigation_for(user, request.path)


@register.simple_tag(takes_context=True)
def header_municipality(context) -> str:
    """The logged-in user's municipality; before login, the installation's only municipality."""
    user = context.get("user")
    if user is not None and user.is_authenticated:
        return user.municipality.name if user.municipality_id else ""
    names = list(Municipality.objects.values_list("name", flat=True)[:2])
    return names[0] if len(names) == 1 else ""


@register.filter
def alert_variant(message) -> str:
    """The DKFDS alert variant for a Django message (info for anything else)."""
    return ALERT_VARIANTS.get(getattr(message, "level_tag", ""), "info")


@register.filter
def minutes(value, default: int = 15) -> int:
    """Whole minutes of a timedelta (the lock-out's cool-off), or `default` when unknown."""
    try:
        return max(1, int(value.total_seconds() // 60))
    except AttributeError:
        return default
