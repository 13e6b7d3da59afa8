"""Routes of early detection: figures."""

urlpatterns: list = []
