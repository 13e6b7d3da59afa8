"""Routes of early detection: public."""

urlpatterns: list = []
