"""Routes of early detection: assessments."""

urlpatterns: list = []
