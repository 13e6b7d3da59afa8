"""The provider's two forms: a progress note, and scores for the intervention's goals.

They only parse; `provider` holds the rules and puts its Danish errors back on these fields.
"""

from __future__ import annotations

from django import forms

from trappen.cases.provider import NOTE_MAX

SCORE_MESSAGE = "Skriv et helt tal fra 0 til 10."


class ProgressNoteForm(forms.Form):
    prefix = "notat"

    text = forms.CharField(
        label="Statusnotat til rådgiveren",
        max_length=NOTE_MAX,
        help_text="Hvordan går det med indsatsen og målene? Rådgiveren læser notatet.",
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-input"}),
        error_messages={
            "required": "Skriv notatet.",
            "max_length": "Notatet må højst være på %(limit_value)d tegn.",
        },
    )


class GoalScoresForm(forms.Form):
    """One optional 0–10 field per goal the intervention serves; at least one must be given."""

    prefix = "score"

    def __init__(self, *args, goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.goal_fields: list[tuple[object, str]] = []
        for goal in goals:
            name = f"maal_{goal.id}"
            self.fields[name] = forms.IntegerField(
                label=goal.text,
                required=False,
                min_value=0,
                max_value=10,
                widget=forms.NumberInput(attrs={"class": "form-input input-width-xs"}),
                error_messages={
                    "invalid": SCORE_MESSAGE,
                    "min_value": SCORE_MESSAGE,
                    "max_value": SCORE_MESSAGE,
                },
            )
            self.goal_fields.append((goal, name))

    def clean(self):
        data = super().clean()
        if not self.errors and not any(data.get(name) is not None for _, name in self.goal_fields):
            raise forms.ValidationError("Giv mindst ét mål en score.")
        return data

    def scores(self) -> dict[int, int]:
        """{goal id: score} for the goals given a score."""
        data = self.cleaned_data
        return {
            goal.id: data[name] for goal, name in self.goal_fields if data.get(name) is not None
        }

    def bound_fields(self):
        return [(goal, self[name]) for goal, name in self.goal_fields]
