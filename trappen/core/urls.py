from django.urls import path

from trappen.core.views import auth, children, errors, health, home, letters

app_name = "core"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("demo/login/", auth.demo_login, name="demo_login"),
    path("", home.home, name="home"),
    path("born/soeg/", children.search, name="child_search"),
    path("born/<int:child_id>/", children.detail, name="child_detail"),
    path("born/<int:child_id>/indsyn/", children.audit_log, name="child_audit"),
    path("born/<int:child_id>/saerlig-adgang/", children.break_glass, name="break_glass"),
    path("saerlig-adgang/", children.break_glass_review, name="break_glass_review"),
    path("breve/", letters.outbox, name="outbox"),
    path("breve/<int:letter_id>/", letters.letter_detail, name="letter_detail"),
    path("breve/<int:letter_id>/pdf/", letters.letter_pdf, name="letter_pdf"),
]

__all__ = ["errors"]
