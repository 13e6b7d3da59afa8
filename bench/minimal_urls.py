"""The baseline for page benchmarks: the smallest view that still reads the database.

One row fetched by primary key and a one-line template, behind the same settings, middleware
and login as Trappen's pages. Used only by bench/run.py through override_settings(ROOT_URLCONF).
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from trappen.people.models import Child

TEMPLATE = engines["django"].from_string("<!doctype html><title>Barn</title><p>{{ name }}</p>")


@login_required
def minimal(request, child_id: int):
    child = Child.objects.only("first_name").get(pk=child_id)
    return HttpResponse(TEMPLATE.render({"name": child.first_name}))


# Trappen's own routes stay reachable (the login redirect, error pages) but are not used.
urlpatterns = [path("minimal/<int:child_id>/", minimal), path("", include("trappen.core.urls"))]
