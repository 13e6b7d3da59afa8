"""Case-work URLs (investigation): the børnefaglig undersøgelse, the siblings of a placed child
(§ 21) and marking a case alert seen."""

from django.urls import path

from trappen.cases.views import alerts, investigation

INVESTIGATION = "sager/<int:case_id>/undersoegelse/<int:investigation_id>/"

urlpatterns = [
    path(
        "sager/<int:case_id>/undersoegelse/ny/",
        investigation.investigation_new,
        name="investigation_new",
    ),
    path(INVESTIGATION, investigation.investigation_detail, name="investigation_detail"),
    path(f"{INVESTIGATION}omraade/", investigation.investigation_area, name="investigation_area"),
    path(
        f"{INVESTIGATION}boernesamtale/",
        investigation.investigation_conversation,
        name="investigation_conversation",
    ),
    path(
        f"{INVESTIGATION}foreloebig-vurdering/",
        investigation.investigation_preliminary,
        name="investigation_preliminary",
    ),
    path(
        f"{INVESTIGATION}afslut/",
        investigation.investigation_complete,
        name="investigation_complete",
    ),
    path(
        "sager/<int:case_id>/soeskende/<int:assessment_id>/",
        investigation.sibling_assessment,
        name="sibling_assessment",
    ),
    path(
        "sager/paamindelser/<int:alert_id>/set/",
        alerts.case_alert_seen,
        name="case_alert_seen",
    ),
]
