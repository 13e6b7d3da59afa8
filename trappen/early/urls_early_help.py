"""Routes of early detection: early_help."""

urlpatterns: list = []
