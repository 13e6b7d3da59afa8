"""The outbox (letters a user may read), one letter, and its PDF."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from trappen.core.letters import service
from trappen.core.letters.channels import get_channel, pdf_filename
from trappen.core.models import AuditAction, Role

PAGE_SIZE = 50


@login_required
@require_http_methods(["GET"])
def outbox(request):
    roles = service.letter_roles(request.user)  # first: it loads the role assignments once
    if not request.user.has_perm("core.view_letters"):
        raise PermissionDenied
    letters = (
        service.visible_letters(request.user)
        .select_related("child", "municipality")
        .defer("body_html", "pdf", "child__cpr_encrypted")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(letters, PAGE_SIZE).get_page(request.GET.get("side"))
    service.log_letter_list(request.user, list(page), role=roles[0] if roles else "")
    context = {
        "page": page,
        "is_citizen": roles == [Role.CITIZEN],
        "channel_name": get_channel().name,
    }
    return render(request, "core/outbox.html", context)


@login_required
@require_http_methods(["GET"])
def letter_detail(request, letter_id: int):
    letter, role = service.get_letter_for_user(request.user, letter_id, purpose="Brev læst")
    context = {"letter": letter, "is_citizen": role == Role.CITIZEN, "role": role}
    return render(request, "core/letter_detail.html", context)


@login_required
@require_http_methods(["GET"])
def letter_pdf(request, letter_id: int):
    letter, _ = service.get_letter_for_user(
        request.user, letter_id, action=AuditAction.EXPORT, purpose="Brev hentet som PDF"
    )
    if not letter.pdf:
        raise Http404("Brevet har ingen PDF.")
    response = HttpResponse(bytes(letter.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(letter)}"'
    return response
