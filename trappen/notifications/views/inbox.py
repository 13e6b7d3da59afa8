"""The team's inbox of notifications, bulk assignment and "Tag sagen" (see ..triage).

Every page works without JavaScript (filters are a GET form, assignment a normal POST form);
htmx swaps only the table, and the same view answers the full page or the table alone.
"""

import re
from html import escape
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_POST

from trappen.notifications import triage

ID_PATTERN = re.compile(r"[0-9]{1,18}")
PAGE_PARAM = "side"
SAMPLE_ID = 987654321
CLAIM, DETAIL = "notifications:claim", "notifications:detail"


def _require_triage(user) -> None:
    if not triage.may_triage(user):
        raise PermissionDenied


def _wants_partial(request) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def _url_for_rows(name: str):
    """reverse() once per page; each row's URL is the pattern with its id (a reverse per row
    would cost more than the rest of the row)."""
    head, tail = reverse(name, kwargs={"notification_id": SAMPLE_ID}).split(str(SAMPLE_ID))
    return lambda pk: f"{head}{pk}{tail}"


def _rows_html(rows) -> SafeString:
    """The table rows as one string: 50 rows through the template engine cost more than the
    rest of the page (markup as in _inbox_table.html; every text from the data is escaped)."""
    return mark_safe("".join(_row_html(*r) for r in rows))  # noqa: S308 (escaped below)


def _row_html(row, detail_url: str, claim_url: str) -> str:
    n, child = row.n, escape(row.child_label)
    pk, received = n.pk, escape(row.received)
    dash = "–"
    level = (
        f'<span class="badge {row.level_badge}">{escape(row.level_label)}</span>'
        if n.level
        else dash
    )
    if n.danger:
        acute = '<span class="badge badge-error">Barnet i fare</span>'
    else:
        acute = '<span class="badge badge-error">Akut</span>' if n.acute else dash
    repeat = (
        f'<a href="{detail_url}#historik"><span class="badge badge-info">Gentagen</span>'
        '<span class="sr-only">: se tidligere underretninger om barnet</span></a>'
        if n.is_repeat
        else dash
    )
    return (
        f'<tr><td><div class="form-group-checkbox"><input id="inbox-check-{pk}" type="checkbox"'
        f' class="form-checkbox" name="ids" value="{pk}"><label for="inbox-check-{pk}">'
        f'<span class="sr-only">Vælg underretningen om {child}, modtaget {received}</span>'
        f"</label></div></td><td>{received}</td>"
        f'<td><a href="{detail_url}">{child}</a></td><td>{escape(row.reporter)}</td>'
        f"<td>{level}</td><td>{acute}</td><td>{repeat}</td>"
        f"<td>{_assessment_html(row)}</td><td>{_receipt_html(row)}</td>"
        f"<td>{_caseworker_html(row, child, claim_url)}</td><td>{escape(row.status)}</td></tr>"
    )


def _assessment_html(row) -> str:
    if clock := row.assessment:
        return (
            f'<span class="badge {clock.badge}">{escape(clock.text)}</span><br>'
            f'<time datetime="{clock.due_iso}">{escape(clock.due_text)}</time>'
        )
    late = ' <span class="badge badge-error">for sent</span>' if row.assessed_late else ""
    return f"{escape(row.assessed)}{late}"


def _receipt_html(row) -> str:
    if not row.gets_receipt:
        return '<span class="sr-only">Ingen kvittering (ikke en fagperson)</span>–'
    if clock := row.receipt:
        return (
            f'<span class="badge {clock.badge}">{escape(clock.text)}</span><br>'
            f"{escape(row.receipt_due)}"
        )
    return escape(row.receipt_sent)


def _caseworker_html(row, child: str, claim_url: str) -> str:
    no_team = (
        "" if row.n.team_id else '<span class="badge badge-warning">Intet team endnu</span><br>'
    )
    if row.assigned_to:
        who = escape(row.assigned_to)
    elif row.can_claim:
        who = (
            f'<button type="submit" class="button button-secondary" formaction="{claim_url}"'
            f' hx-post="{claim_url}">Tag sagen<span class="sr-only"> om {child}</span></button>'
        )
    else:
        who = "Ikke fordelt"
    return no_team + who


def _filters_html(filters: triage.InboxFilters) -> SafeString:
    """The filter form's checkboxes (markup as the template had it; the labels are ours)."""
    return mark_safe(  # noqa: S308 (parameters and labels are constants, escaped all the same)
        "".join(
            f'<li class="form-group-checkbox"><input id="filter-{escape(param)}" type="checkbox"'
            f' class="form-checkbox" name="{escape(param)}" value="1"'
            f'{" checked" if checked else ""}><label for="filter-{escape(param)}">'
            f"{escape(label)}</label></li>"
            for param, label, checked in filters.choices()
        )
    )


def _caseworker_options_html(options: list[tuple[int, str]]) -> SafeString:
    """The assignment form's options, one per caseworker (names escaped)."""
    return mark_safe(  # noqa: S308 (escaped here)
        "".join(f'<option value="{pk}">{escape(name)}</option>' for pk, name in options)
    )


def _page_query(filters: triage.InboxFilters, page_number: int | None) -> str:
    params = filters.as_params()
    if page_number and page_number > 1:
        params[PAGE_PARAM] = str(page_number)
    return urlencode(params)


def _render_inbox(request, filters: triage.InboxFilters, page_number):
    """The inbox as a full page, or only its table for an htmx request."""
    inbox_page = triage.inbox_page(request.user, filters, page_number)
    page = inbox_page.page
    detail_url, claim_url = _url_for_rows(DETAIL), _url_for_rows(CLAIM)
    rows = [(r, detail_url(r.n.pk), claim_url(r.n.pk)) for r in inbox_page.rows]
    # Only when the assignment form is shown (it is, above a page with rows).
    caseworkers = triage.caseworker_options(request.user) if inbox_page.rows else []
    context = {
        "page": page,
        "rows": rows,
        "rows_html": _rows_html(rows),
        "check_all_controls": " ".join(f"inbox-check-{r.n.pk}" for r in inbox_page.rows),
        "filters": filters,
        "filter_params": filters.as_params().items(),
        "caseworkers": caseworkers,
        "caseworker_options_html": _caseworker_options_html(caseworkers),
        "filters_html": _filters_html(filters),
        "inbox_url": reverse("notifications:inbox"),
        "assign_url": reverse("notifications:assign"),
        "page_param": PAGE_PARAM,
        "previous_query": _page_query(filters, page.number - 1) if page.has_previous() else None,
        "next_query": _page_query(filters, page.number + 1) if page.has_next() else None,
        "partial": _wants_partial(request),
    }
    template = "_inbox_table.html" if context["partial"] else "inbox.html"
    response = render(request, f"notifications/{template}", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _back_to_inbox(request, filters: triage.InboxFilters):
    """After a POST: the refreshed table for htmx, else a redirect to the same list and page."""
    page_number = request.POST.get(PAGE_PARAM, "")
    if _wants_partial(request):
        return _render_inbox(request, filters, page_number)
    page = int(page_number) if ID_PATTERN.fullmatch(page_number) else None
    query = _page_query(filters, page)
    return redirect(reverse("notifications:inbox") + (f"?{query}" if query else ""))


@login_required
@require_GET
def inbox(request):
    _require_triage(request.user)
    filters = triage.InboxFilters.from_query(request.GET)
    return _render_inbox(request, filters, request.GET.get(PAGE_PARAM))


def _parse_ids(values: list[str]) -> list[int] | None:
    if not all(isinstance(v, str) and ID_PATTERN.fullmatch(v) for v in values):
        return None
    return [int(v) for v in values]


def _chosen_caseworker(request):
    value = request.POST.get("caseworker", "")
    if not ID_PATTERN.fullmatch(value):
        return None
    return triage.caseworker_choices(request.user).filter(pk=int(value)).first()


@login_required
@require_POST
def assign(request):
    _require_triage(request.user)
    filters = triage.InboxFilters.from_query(request.POST)
    ids = _parse_ids(request.POST.getlist("ids"))
    caseworker = _chosen_caseworker(request)
    if not ids:
        messages.error(request, "Vælg de underretninger, der skal fordeles.")
    elif caseworker is None:
        messages.error(request, "Vælg en rådgiver fra listen.")
    else:
        try:
            count = triage.assign(ids, caseworker, acting_user=request.user)
        except triage.AssignmentRefused as refused:
            messages.error(request, str(refused))
        else:
            noun = "underretning" if count == 1 else "underretninger"
            messages.success(request, f"{count} {noun} er fordelt til {caseworker}.")
    return _back_to_inbox(request, filters)


@login_required
@require_POST
def claim(request, notification_id: int):
    _require_triage(request.user)
    filters = triage.InboxFilters.from_query(request.POST)
    if triage.claim(notification_id, acting_user=request.user):
        messages.success(request, "Underretningen er nu fordelt til dig.")
    else:
        holder = triage.holder_name(notification_id)
        messages.error(
            request,
            f"Underretningen er allerede taget af {holder}. Den er ikke fordelt til dig.",
        )
    return _back_to_inbox(request, filters)
