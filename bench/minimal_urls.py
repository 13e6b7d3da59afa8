"""The baselines for page benchmarks: the smallest views that still read the database.

`minimal`: one row fetched by primary key and a one-line template, behind the same settings,
middleware and login as Trappen's pages. `minimal_page`: the same row, rendered through
`base.html` (header, navigation, messages, footer) like every page a user sees; the inbox is
measured against it (see bench/README.md). Used only by bench/run.py through
override_settings(ROOT_URLCONF).
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from trappen.people.models import Child

TEMPLATE = engines["django"].from_string("<!doctype html><title>Barn</title><p>{{ name }}</p>")
PAGE_TEMPLATE = engines["django"].from_string(
    '{% extends "base.html" %}{% block title %}Barn{% endblock %}'
    "{% block content %}<h1>{{ name }}</h1>{% endblock %}"
)


@login_required
def minimal(request, child_id: int):
    child = Child.objects.only("first_name").get(pk=child_id)
    return HttpResponse(TEMPLATE.render({"name": child.first_name}))


@login_required
def minimal_page(request, child_id: int):
    child = Child.objects.only("first_name").get(pk=child_id)
    return HttpResponse(PAGE_TEMPLATE.render({"name": child.first_name}, request))


# Trappen's own routes stay reachable (the login redirect; base.html reverses them).
urlpatterns = [
    path("minimal/<int:child_id>/", minimal),
    path("minimal-page/<int:child_id>/", minimal_page),
    path("", include("trappen.urls")),
]
