"""Form fields that refuse impossible ids before they reach the database.

Django's model choice fields pass the posted value to the database as it is; a number beyond the
database's integer range then fails inside the driver (SQLite: OverflowError) instead of being a
form error. These fields accept only ids of up to 18 digits and answer anything else as an
invalid choice, in the field's own Danish message.
"""

from __future__ import annotations

import re

from django import forms
from django.core.validators import EMPTY_VALUES

PK_PATTERN = re.compile(r"\s*[0-9]{1,18}\s*")


def _check_pk(field: forms.Field, value) -> None:
    if value in EMPTY_VALUES or isinstance(value, int):
        return
    if not isinstance(value, str) or not PK_PATTERN.fullmatch(value):
        raise forms.ValidationError(
            field.error_messages["invalid_choice"],
            code="invalid_choice",
            params={"value": value},
        )


class PkModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if not isinstance(value, self.queryset.model if self.queryset is not None else ()):
            _check_pk(self, value)
        return super().to_python(value)


class PkModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def clean(self, value):
        if isinstance(value, list | tuple):
            for item in value:
                _check_pk(self, item)
        return super().clean(value)
