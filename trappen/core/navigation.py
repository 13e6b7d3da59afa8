"""The main navigation: which pages a user's roles open, in the order they are shown.

Later issues add their pages to NAVIGATION; a page shows for a user holding any of its roles.
The server still checks access on every page: the menu only hides what would be refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from trappen.core.models import Role, User

EVERYONE = frozenset(Role)


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    roles: frozenset[Role]


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool = False


NAVIGATION: tuple[NavEntry, ...] = (
    NavEntry("Forside", "core:home", EVERYONE),
    NavEntry(
        "Underretninger", "notifications:inbox", frozenset({Role.CASEWORKER, Role.TEAM_LEADER})
    ),
    NavEntry("Sager", "cases:caseload", frozenset({Role.CASEWORKER, Role.TEAM_LEADER})),
    NavEntry("Økonomi", "cases:economy", frozenset({Role.CASEWORKER, Role.TEAM_LEADER})),
    NavEntry("Mine indsatser", "cases:provider_list", frozenset({Role.PROVIDER})),
    NavEntry("Underret", "notifications:new", frozenset({Role.PROFESSIONAL})),
    NavEntry("Mine underretninger", "notifications:submitted", frozenset({Role.PROFESSIONAL})),
    NavEntry("Sparring", "early:consultation_book", frozenset({Role.PROFESSIONAL})),
    NavEntry("Fremskudt rådgivning", "early:outreach", frozenset({Role.OUTREACH})),
    NavEntry("Min enhed", "early:units", frozenset({Role.PROFESSIONAL, Role.UNIT_LEADER})),
    NavEntry("Søg barn", "core:child_search", frozenset({Role.CASEWORKER, Role.TEAM_LEADER})),
    NavEntry("Breve", "core:outbox", frozenset({Role.CASEWORKER, Role.TEAM_LEADER, Role.CITIZEN})),
    NavEntry("Særlig adgang", "core:break_glass_review", frozenset({Role.TEAM_LEADER})),
    NavEntry("Uden børnesamtale", "voice:decision_review", frozenset({Role.TEAM_LEADER})),
    NavEntry("Tidlige indsatser", "early:early_help_list", frozenset({Role.OUTREACH})),
    NavEntry(
        "Tal for tidlig opsporing",
        "early:figures",
        frozenset({Role.ANALYST, Role.TEAM_LEADER, Role.OUTREACH}),
    ),
    NavEntry("Administration", "admin:index", frozenset({Role.ADMINISTRATOR})),
)


def navigation_for(user: User, current_path: str = "") -> list[NavItem]:
    """The menu items `user` may use; the one matching `current_path` is marked current."""
    if not user.is_authenticated:
        return []
    roles = user.role_set()
    items = []
    for entry in NAVIGATION:
        if entry.roles is not EVERYONE and not roles & entry.roles:
            continue
        url = reverse(entry.url_name)
        items.append(NavItem(entry.label, url, _is_current(url, current_path)))
    return items


def _is_current(url: str, path: str) -> bool:
    if url == "/":
        return path == "/"
    return path.startswith(url)
