"""Routes of the notification detail pages (filled in by their issue-3 work)."""

urlpatterns: list = []
