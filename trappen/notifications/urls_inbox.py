"""Routes of the notification inbox pages (filled in by their issue-3 work)."""

urlpatterns: list = []
