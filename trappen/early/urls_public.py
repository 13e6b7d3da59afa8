"""Routes of early detection: the public, anonymous counselling for parents (no login);
trappen/early/views/public.py."""

from django.urls import path

from trappen.early.views import public

PREFIX = "raadgivning/"

urlpatterns = [
    path(PREFIX, public.public_counselling, name="public_counselling"),
    path(f"{PREFIX}enhed/<int:unit_id>/", public.public_slots, name="public_slots"),
    path(f"{PREFIX}tid/<int:slot_id>/", public.public_book, name="public_book"),
    path(f"{PREFIX}booking/<str:code>/", public.public_booking, name="public_booking"),
    path(f"{PREFIX}booking/<str:code>/aflys/", public.public_cancel, name="public_cancel"),
]
