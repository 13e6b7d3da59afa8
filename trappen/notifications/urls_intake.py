"""Routes of the notification intake pages (filled in by their issue-3 work)."""

urlpatterns: list = []
