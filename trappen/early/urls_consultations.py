"""Routes of early detection: consultations."""

urlpatterns: list = []
