"""Voice URLs (letters): Letters the child can read."""

urlpatterns: list = []
