"""Voice URLs (conversations): Conversations with the child (Lundy)."""

urlpatterns: list = []
