"""What each role's start page shows first, for the browser tests."""

import re

from trappen.core.models import Role

# The heading each role's start page shows first.
START_HEADINGS = {
    Role.CASEWORKER: "Mine frister",
    Role.TEAM_LEADER: "Teamoverblik",
    Role.PROFESSIONAL: "Mine underretninger",
    Role.UNIT_LEADER: "Trivsel i min enhed",
    Role.OUTREACH: "Mine enheder",
    Role.PROVIDER: "Mine indsatser",
    Role.ANALYST: "Nøgletal for kommunen",
    Role.ADMINISTRATOR: "Administration",
    Role.CITIZEN: re.compile("^(Mit barn|Mine børn|Min sag)$"),
}
