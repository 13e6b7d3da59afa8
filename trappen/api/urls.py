"""The JSON API's routes (django-ninja), mounted at /api/v1/."""

urlpatterns: list = []
