"""Voice URLs (meetings): Network meetings and family group conferences."""

urlpatterns: list = []
