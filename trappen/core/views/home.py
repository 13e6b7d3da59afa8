"""The start page: one section per role the user holds (trappen.core.home_services)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import render
from django.views.decorators.http import require_GET

from trappen.core import home_services
from trappen.core.models import RoleAssignment


@login_required
@require_GET
def home(request):
    user = request.user
    assignments = RoleAssignment.objects.select_related("unit")
    prefetch_related_objects([user], Prefetch("role_assignments", queryset=assignments))
    sections = home_services.sections_for(user)
    home_services.log_children_shown(user, sections)
    return render(request, "core/home.html", {"sections": sections})
