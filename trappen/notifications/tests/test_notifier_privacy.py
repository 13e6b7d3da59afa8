"""A notifier learns nothing from Trappen about the child they wrote about."""

from django.urls import reverse

from trappen.core.tests.factories import NotificationFactory


def test_start_page_shows_the_name_the_notifier_typed_not_the_matched_child(world, client):
    notifier = world.personas["professional_other_school"]  # cannot see Anna
    NotificationFactory(
        child=world.anna, reporter_user=notifier, child_name="Lille Ven", reporter_kind="school"
    )
    client.force_login(notifier)
    page = client.get(reverse("core:home")).content.decode()
    assert "Lille Ven" in page
    assert world.anna.first_name not in page
