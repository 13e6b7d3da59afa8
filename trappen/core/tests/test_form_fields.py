"""Impossible ids in a posted choice are a form error in Danish, never a database error."""

import pytest
from django import forms

from trappen.core.form_fields import PkModelChoiceField, PkModelMultipleChoiceField
from trappen.core.models import OrganisationalUnit

MESSAGE = "Vælg en af mulighederne."


class UnitForm(forms.Form):
    unit = PkModelChoiceField(
        queryset=OrganisationalUnit.objects.all(), error_messages={"invalid_choice": MESSAGE}
    )
    units = PkModelMultipleChoiceField(
        queryset=OrganisationalUnit.objects.all(),
        required=False,
        error_messages={"invalid_choice": MESSAGE},
    )


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["9" * 19, "-1", "1e5", "١٢", "1; DROP TABLE x", "0x10"])
def test_impossible_ids_are_invalid_choices(world, bad):
    form = UnitForm({"unit": bad, "units": [str(world.team_a.pk), bad]})
    assert not form.is_valid()
    assert form.errors["unit"] == [MESSAGE]
    assert form.errors["units"] == [MESSAGE]


@pytest.mark.django_db
def test_real_ids_still_choose_the_row(world):
    form = UnitForm({"unit": str(world.team_a.pk), "units": [str(world.team_b.pk)]})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["unit"] == world.team_a
    assert list(form.cleaned_data["units"]) == [world.team_b]
