"""The per-object rule (`work_role`) and the list rule (`visible_notifications`) agree."""

import pytest

from trappen.conftest import PERSONAS
from trappen.core.tests.factories import ChildFactory, NotificationFactory
from trappen.notifications.access import visible_notifications, work_role

pytestmark = pytest.mark.django_db


def test_every_persona_sees_in_lists_exactly_what_it_may_open(world):
    def make(**kwargs):
        child = ChildFactory(municipality=kwargs.pop("municipality", world.municipality))
        return NotificationFactory(child=child, municipality=child.municipality, **kwargs)

    notifications = [
        make(team=world.team_a),
        make(team=world.team_b),
        make(team=None),
        make(team=world.team_b, assigned_to=world.personas["alice"]),
        make(municipality=world.other_municipality, team=None),
    ]
    for persona in PERSONAS:
        user = world.personas[persona]
        listed = set(visible_notifications(user).values_list("pk", flat=True))
        may_open = {n.pk for n in notifications if work_role(user, n) is not None}
        assert listed == may_open, persona
