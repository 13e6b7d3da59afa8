"""Case-work URLs (plan): the child's plan and its goals, interventions granted from the offer
catalogue and ended, and follow-ups (trappen/cases/views/plan.py, interventions.py,
follow_ups.py)."""

from django.urls import path

from trappen.cases.views import follow_ups, interventions, plan

PLAN = "sager/<int:case_id>/plan/<int:plan_id>/"
INTERVENTION = "sager/<int:case_id>/indsatser/<int:intervention_id>/"

urlpatterns = [
    path("sager/<int:case_id>/plan/ny/", plan.plan_new, name="plan_new"),
    path(PLAN, plan.plan_detail, name="plan"),
    path(f"{PLAN}maal/", plan.plan_goal, name="plan_goal"),
    path(f"{PLAN}udarbejdet/", plan.plan_complete, name="plan_complete"),
    path(
        "sager/<int:case_id>/indsatser/ny/",
        interventions.intervention_new,
        name="intervention_new",
    ),
    path(INTERVENTION, interventions.intervention_detail, name="intervention"),
    path(f"{INTERVENTION}afslut/", interventions.intervention_end, name="intervention_end"),
    path("sager/opfoelgninger/<int:follow_up_id>/", follow_ups.follow_up, name="follow_up"),
]
