"""Open a case from the child's page: a caseworker of the team or a team leader chooses the team,
where the case comes from (the caseworker's own judgement, or early detection with a wellbeing
assessment) and the first caseworker. The rules live in `case_services.open_case`."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from trappen.cases import caseload as caseload_services
from trappen.cases.case_services import CaseError, open_case_of
from trappen.cases.case_services import open_case as open_case_service
from trappen.cases.models import CaseSource
from trappen.core.access import get_child_for_user
from trappen.core.models import OrganisationalUnit, UnitKind

SOURCES = [
    (CaseSource.CASEWORKER, "Rådgiverens egen vurdering"),
    (
        CaseSource.EARLY_DETECTION,
        "Tidlig opsporing (fx en trivselsvurdering fra skole eller dagtilbud)",
    ),
]
CHOICE_MESSAGE = "Vælg en af mulighederne på listen."


class OpenCaseForm(forms.Form):
    team = forms.TypedChoiceField(
        label="Team",
        coerce=int,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"required": "Vælg et team.", "invalid_choice": CHOICE_MESSAGE},
    )
    source = forms.ChoiceField(
        label="Hvor kommer sagen fra?",
        choices=SOURCES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Vælg, hvor sagen kommer fra.",
            "invalid_choice": CHOICE_MESSAGE,
        },
    )
    assessment = forms.TypedChoiceField(
        label="Trivselsvurdering (valgfri)",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="Den trivselsvurdering, sagen bygger på, hvis den kommer fra tidlig opsporing.",
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": CHOICE_MESSAGE},
    )
    caseworker = forms.TypedChoiceField(
        label="Rådgiver",
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": CHOICE_MESSAGE},
    )

    def __init__(self, *args, teams, assessments, caseworkers, **kwargs):
        super().__init__(*args, **kwargs)
        self.teams = {t.pk: t for t in teams}
        self.assessments = {a.pk: a for a in assessments}
        self.caseworkers = {u.pk: u for u in caseworkers}
        self.fields["team"].choices = [(t.pk, t.name) for t in teams]
        self.fields["assessment"].choices = [("", "Ingen")] + [
            (a.pk, f"{a.assessed_on:%d.%m.%Y}: {a.get_level_display()} ({a.unit.name})")
            for a in assessments
        ]
        self.fields["caseworker"].choices = [("", "Ingen endnu")] + [
            (u.pk, str(u)) for u in caseworkers
        ]

    def clean(self):
        data = super().clean()
        if data.get("assessment") and data.get("source") != CaseSource.EARLY_DETECTION:
            self.add_error(
                "assessment",
                "En trivselsvurdering kan kun knyttes til en sag fra tidlig opsporing.",
            )
        return data


def _require_may_open(user) -> None:
    if not caseload_services.may_view(user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def open_case(request, child_id: int):
    user = request.user
    _require_may_open(user)
    child, _ = get_child_for_user(user, child_id, purpose="Opret sag")
    teams = list(
        OrganisationalUnit.objects.filter(
            pk__in=caseload_services.caseload_team_ids(user),
            municipality_id=child.municipality_id,
            kind=UnitKind.CASEWORKER_TEAM,
        ).order_by("name")
    )
    existing = open_case_of(child.municipality_id, child.pk)
    assessments = list(child.assessments.select_related("unit").order_by("-assessed_on", "-pk"))
    caseworkers = list(caseload_services.caseworker_choices(user))
    initial = {"source": CaseSource.CASEWORKER}
    if user.pk in {u.pk for u in caseworkers}:
        initial["caseworker"] = user.pk
    form = OpenCaseForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        teams=teams,
        assessments=assessments,
        caseworkers=caseworkers,
    )
    if request.method == "POST" and existing is None and form.is_valid():
        data = form.cleaned_data
        try:
            case = open_case_service(
                child=child,
                team=form.teams[data["team"]],
                source=data["source"],
                acting_user=user,
                caseworker=form.caseworkers.get(data["caseworker"]),
                source_assessment=form.assessments.get(data["assessment"]),
            )
        except CaseError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"Sagen om {child.full_name} er oprettet.")
            return redirect("cases:detail", case_id=case.pk)
    return render(
        request,
        "cases/open_case.html",
        {"child": child, "form": form, "existing": existing, "teams": teams},
    )
