"""Voice URLs (decisions): Decisions and the child's views (§ 5); the team leader's review."""

urlpatterns: list = []
