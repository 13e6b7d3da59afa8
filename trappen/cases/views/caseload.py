"""The caseload (`sager/`) and the team leader's reassignment (see ..caseload).

Works without JavaScript (the filters are a GET form, reassignment a normal POST form); htmx
swaps only the table, and the same view answers the full page or the table alone.
"""

from __future__ import annotations

import re
from html import escape
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_POST

from trappen.cases import caseload as services
from trappen.cases.case_services import REASON_MAX, CaseError
from trappen.core.models import Role
from trappen.core.vocabulary import Step

ID_PATTERN = re.compile(r"[0-9]{1,18}")
PAGE_PARAM = "side"
SAMPLE_ID = 987654321
MAX_IDS = 500


def _wants_partial(request) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def _case_url():
    """reverse() once per page; each row's link to the case page is the pattern with its id."""
    head, tail = reverse("cases:detail", kwargs={"case_id": SAMPLE_ID}).split(str(SAMPLE_ID))
    return lambda pk: f"{head}{pk}{tail}"


def _rows_html(rows, can_reassign: bool) -> SafeString:
    """The table rows as one string: 50 rows through the template engine cost more than the
    rest of the page (the same markup as a template would write; every text is escaped)."""
    return mark_safe("".join(_row_html(row, url, can_reassign) for row, url in rows))  # noqa: S308


def _date(value) -> str:
    return f"{value.day}.{value.month}.{value.year}"


def _row_html(row: services.CaseloadRow, url: str, can_reassign: bool) -> str:
    case, child = row.case, escape(row.child)
    check = (
        f'<td><div class="form-group-checkbox"><input id="case-check-{case.pk}" type="checkbox"'
        f' class="form-checkbox" name="ids" value="{case.pk}"><label for="case-check-{case.pk}">'
        f'<span class="sr-only">Vælg sagen om {child}</span></label></div></td>'
        if can_reassign
        else ""
    )
    light = row.light
    if case.next_due is not None:
        deadline = (
            f'<span class="badge {light.badge}">{escape(light.label)}</span><br>'
            f"{escape(row.deadline_kind)} "
            f'<time datetime="{case.next_due.isoformat()}">{_date(case.next_due)}</time>'
        )
    else:
        deadline = escape(light.label)
    return (
        f'<tr>{check}<td><a href="{url}">{child}</a></td><td>{row.age} år</td>'
        f"<td>{escape(row.step) or '–'}</td>"
        f"<td>{escape(row.caseworker) or 'Ingen rådgiver'}</td>"
        f"<td>{deadline}</td><td>{_date(case.opened_on)}</td></tr>"
    )


def _options(choices, chosen=None) -> SafeString:
    """The <option>s of a select, `chosen` (compared by value, a str or an int) selected."""
    return mark_safe(  # noqa: S308 (every value and label escaped here)
        "".join(
            f'<option value="{escape(str(value))}"{" selected" if value == chosen else ""}>'
            f"{escape(str(label))}</option>"
            for value, label in choices
        )
    )


def _query(filters: services.CaseloadFilters, page_number: int | None = None, **changes) -> str:
    params = {**filters.as_params(), **changes}
    if page_number and page_number > 1:
        params[PAGE_PARAM] = str(page_number)
    return urlencode(params)


def _render(request, filters: services.CaseloadFilters, page_number):
    user = request.user
    today = timezone.localdate()
    data = services.caseload_page(user, filters, page_number, today=today)
    page = data.page
    case_url = _case_url()
    caseworkers = services.caseworker_options(user)
    context = {
        "page": page,
        "rows": data.rows,
        "rows_html": _rows_html(
            [(row, case_url(row.case.pk)) for row in data.rows], services.may_reassign(user)
        ),
        "filters": filters,
        "filter_params": filters.as_params().items(),
        "can_reassign": services.may_reassign(user),
        "show_scope": user.has_role(Role.CASEWORKER),
        "scopes": services.SCOPES.items(),
        "sort_options": _options(services.SORTS.items(), filters.sort),
        "sort_label": services.SORTS[filters.sort],
        "sort_query": {key: _query(filters, sorter=key) for key in services.SORTS},
        "caseworker_options": _options(
            [(services.NONE, "Ingen rådgiver"), *caseworkers],
            filters.caseworker,
        ),
        "reassign_options": _options(caseworkers),
        "light_options": _options([(x.value, x.label) for x in services.Light], filters.light),
        "step_options": _options(
            [(services.NONE, "Ingen aktiv indsats")]
            + [(v, f"{v}: {label}") for v, label in Step.choices],
            filters.step,
        ),
        "caseload_url": reverse("cases:caseload"),
        "reassign_url": reverse("cases:reassign"),
        "page_param": PAGE_PARAM,
        "reason_max": REASON_MAX,
        "check_all_controls": " ".join(f"case-check-{r.case.pk}" for r in data.rows),
        "previous_query": _query(filters, page.number - 1) if page.has_previous() else None,
        "next_query": _query(filters, page.number + 1) if page.has_next() else None,
        "partial": _wants_partial(request),
        "today": today,
    }
    template = "caseload_table.html" if context["partial"] else "caseload.html"
    response = render(request, f"cases/{template}", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_GET
def caseload(request):
    if not services.may_view(request.user):
        raise PermissionDenied
    filters = services.CaseloadFilters.from_query(request.GET, request.user)
    return _render(request, filters, request.GET.get(PAGE_PARAM))


def _parse_ids(values: list[str]) -> list[int] | None:
    if len(values) > MAX_IDS or not all(ID_PATTERN.fullmatch(v) for v in values):
        return None
    return [int(v) for v in values]


@login_required
@require_POST
def reassign(request):
    user = request.user
    if not services.may_reassign(user):
        raise PermissionDenied
    filters = services.CaseloadFilters.from_query(request.POST, user)
    ids = _parse_ids(request.POST.getlist("ids"))
    value = request.POST.get("caseworker", "")
    caseworker = (
        services.caseworker_choices(user).filter(pk=int(value)).first()
        if ID_PATTERN.fullmatch(value)
        else None
    )
    reason = request.POST.get("reason", "")
    if not ids:
        messages.error(request, "Vælg de sager, der skal have en ny rådgiver.")
    elif caseworker is None:
        messages.error(request, "Vælg en rådgiver fra listen.")
    elif len(reason) > REASON_MAX:
        messages.error(request, f"Begrundelsen må højst være på {REASON_MAX} tegn.")
    else:
        try:
            count = services.reassign(ids, caseworker, acting_user=user, reason=reason)
        except CaseError as refused:
            messages.error(request, str(refused))
        else:
            if count == 0:
                messages.info(request, f"De valgte sager havde allerede {caseworker} som rådgiver.")
            else:
                noun = "sag" if count == 1 else "sager"
                messages.success(
                    request,
                    f"{count} {noun} har fået {caseworker} som rådgiver. "
                    "Familierne får automatisk brev om det.",
                )
    page_number = request.POST.get(PAGE_PARAM, "")
    if _wants_partial(request):
        return _render(request, filters, page_number)
    page = int(page_number) if ID_PATTERN.fullmatch(page_number) else None
    return redirect(f"{reverse('cases:caseload')}?{_query(filters, page)}")
