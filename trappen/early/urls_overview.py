"""Routes of early detection: overview."""

urlpatterns: list = []
