"""Routes of early detection: anonymous consultations, the professional's pages (booking, own
consultations) and the outreach social worker's (overview, slots, outcomes);
trappen/early/views/consultations.py."""

from django.urls import path

from trappen.early.views import consultations as views

SPARRING = "tidlig-opsporing/sparring/"
OUTREACH = "tidlig-opsporing/fremskudt/"

urlpatterns = [
    path(SPARRING, views.consultation_book, name="consultation_book"),
    path(f"{SPARRING}ny/", views.consultation_new, name="consultation_new"),
    path(f"{SPARRING}mine/", views.consultation_list, name="consultation_list"),
    path(
        f"{SPARRING}<int:consultation_id>/",
        views.consultation_detail,
        name="consultation_detail",
    ),
    path(
        f"{SPARRING}<int:consultation_id>/aflys/",
        views.consultation_cancel,
        name="consultation_cancel",
    ),
    path(OUTREACH, views.outreach, name="outreach"),
    path(f"{OUTREACH}tider/ny/", views.slot_new, name="slot_new"),
    path(f"{OUTREACH}tider/<int:slot_id>/aflys/", views.slot_cancel, name="slot_cancel"),
    path(
        f"{OUTREACH}sparring/<int:consultation_id>/",
        views.consultation_outcome,
        name="consultation_outcome",
    ),
]
