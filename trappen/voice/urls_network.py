"""Voice URLs (network): The network map and the network on an intervention."""

urlpatterns: list = []
