import datetime

import pytest
from django.urls import reverse

from trappen.cases.models import Intervention
from trappen.cases.services import current_step

pytestmark = pytest.mark.django_db


def _page(client, user, child):
    client.force_login(user)
    response = client.get(reverse("core:child_detail", args=[child.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_caseworker_sees_the_case_file(world, client):
    page = _page(client, world.personas["alice"], world.anna)
    assert world.anna.cpr_display in page
    assert "Sager" in page and "Familiebehandling" in page
    assert "Asger" in page  # sibling in the household


def test_a_professional_sees_no_case_file_and_no_cpr(world, client):
    page = _page(client, world.personas["professional"], world.anna)
    assert world.anna.cpr_display not in page
    assert "Sager" not in page and "Familiebehandling" not in page


def test_a_provider_sees_only_its_own_interventions(world, client):
    Intervention.objects.create(
        case=world.anna_case,
        title="Kontaktperson",
        step=2,
        provider=world.provider_b,
        start_on=world.anna_intervention.start_on,
    )
    page = _page(client, world.personas["provider"], world.anna)
    assert "Familiebehandling" in page
    assert "Kontaktperson" not in page
    assert world.anna.cpr_display not in page


def test_the_parent_sees_the_caseworker_but_not_the_case_file(world, client):
    page = _page(client, world.personas["parent"], world.anna)
    assert str(world.personas["alice"]) in page
    assert "Familiebehandling" not in page
    assert world.anna.cpr_display not in page


def test_the_child_page_has_a_bounded_number_of_queries(
    world, client, django_assert_max_num_queries
):
    client.force_login(world.personas["alice"])
    url = reverse("core:child_detail", args=[world.anna.pk])
    # 7 are the frame (session read and save, user, roles, audit chain); 13 are the case file;
    # 1 the early help (docs/early-help.md).
    with django_assert_max_num_queries(21):
        assert client.get(url).status_code == 200


def test_pages_with_personal_data_are_not_cached(world, client):
    client.force_login(world.personas["alice"])
    response = client.get(reverse("core:child_detail", args=[world.anna.pk]))
    assert response["Cache-Control"] == "no-store"


def _i(step, start, end=None):
    return Intervention(step=step, start_on=start, end_on=end)


def test_current_step_is_the_highest_active_step():
    day = datetime.date(2026, 6, 1)
    earlier, later = datetime.date(2026, 1, 1), datetime.date(2026, 12, 1)
    assert current_step([], day) is None
    assert current_step([_i(1, earlier), _i(2, earlier)], day) == 2
    assert current_step([_i(4, earlier, end=datetime.date(2026, 5, 31)), _i(2, earlier)], day) == 2
    assert current_step([_i(4, earlier, end=day), _i(2, earlier)], day) == 4  # ends today
    assert current_step([_i(5, later), _i(1, earlier)], day) == 1  # not started yet
