from django import forms
from django.core.exceptions import ValidationError

from trappen.core import cpr
from trappen.core.cpr import CprNumber


class NoEchoTextInput(forms.TextInput):
    """A text input that never writes the submitted value back into the page."""

    def format_value(self, value):
        return None


class ChildSearchForm(forms.Form):
    cpr = forms.CharField(
        label="CPR-nummer",
        max_length=20,
        help_text="10 cifre, fx 610190-1234. Søgningen logges.",
        widget=NoEchoTextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
        error_messages={"required": "Skriv barnets CPR-nummer."},
    )

    def clean_cpr(self) -> CprNumber:
        return cpr.parse(self.cleaned_data["cpr"])


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label="Begrundelse",
        min_length=10,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Hvorfor skal du se dette barns oplysninger? Din leder ser begrundelsen.",
        error_messages={
            "required": "Skriv en begrundelse.",
            "min_length": "Begrundelsen skal være på mindst %(limit_value)d tegn.",
        },
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if cpr.CPR_PATTERN.search(reason):
            raise ValidationError("Skriv ikke CPR-numre i begrundelsen.")
        return reason
