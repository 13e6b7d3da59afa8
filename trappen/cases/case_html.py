"""The case page's long tables, rendered as strings: the timeline, the interventions and the
follow-ups (the chart's data table is built with the chart in `charts`).

A child with ten years of history has hundreds of rows; through the template engine they cost
several times the rest of the page (the inbox does the same, notifications/views/inbox.py). The
templates keep each table's caption and header and insert these rows. Every text from the data
is escaped here; numbers and dates are formatted here.
"""

from __future__ import annotations

import datetime
from html import escape

from django.utils.safestring import SafeString, mark_safe

DASH = "–"


def day(value: datetime.date | None, default: str = "") -> str:
    """A date as the page writes it ("1.3.2026", the template filter's "j.n.Y")."""
    return f"{value.day}.{value.month}.{value.year}" if value else default


def kroner(amount) -> str:
    """Whole kroner with Danish thousands separators: "20.000 kr."."""
    return f"{int(amount or 0):,} kr.".replace(",", ".")


def _link(url: str, text: str) -> str:
    return f'<a href="{escape(url)}">{text}</a>' if url else text


def _safe(parts) -> SafeString:
    return mark_safe("".join(parts))  # noqa: S308 (every text escaped by the callers)


def timeline_rows(events) -> SafeString:
    return _safe(
        f'<tr><td data-title="Dato"><time datetime="{e.day.isoformat()}">{day(e.day)}</time></td>'
        f'<td data-title="Type">{escape(e.kind)}</td>'
        f'<td data-title="Hændelse">{_link(e.url, escape(e.text))}</td></tr>'
        for e in events
    )


def intervention_rows(views) -> SafeString:
    return _safe(_intervention_row(v) for v in views)


def _intervention_row(v) -> str:
    i = v.intervention
    badges = ""
    if i.legal_basis:
        badges += f' <span class="form-hint">({escape(i.legal_basis)})</span>'
    if i.is_immediate:
        badges += ' <span class="badge badge-info">Straks-indsats</span>'
    if v.no_progress:
        since = day(i.no_progress_since)
        badges += f' <span class="badge badge-warning">Ingen fremskridt siden {since}</span>'
    if not v.active:
        badges += ' <span class="badge">Afsluttet</span>'
    goals = "; ".join(escape(g) for g in v.goals) or DASH
    return (
        f"<tr><td>{_link(v.url, escape(i.title))}{badges}</td>"
        f"<td>{i.step} {escape(v.step_label)}</td>"
        f"<td>{escape(i.provider_name or DASH)}</td>"
        f"<td>{day(i.start_on)}–{day(i.end_on)}</td>"
        f"<td>{kroner(i.monthly_cost)}</td>"
        f"<td>{day(v.next_follow_up, DASH)}</td>"
        f"<td>{goals}</td></tr>"
    )


def follow_up_rows(follow_ups) -> SafeString:
    return _safe(_follow_up_row(f) for f in follow_ups)


def _follow_up_row(f) -> str:
    due = _link(f.url, day(f.due_on))
    if f.is_first:
        due += ' <span class="form-hint">(første)</span>'
    if f.overdue:
        due += ' <span class="trappen-overdue">overskredet</span>'
    progress = DASH if f.progress is None else str(f.progress)
    return (
        f'<tr><td data-title="Frist">{due}</td>'
        f'<td data-title="Indsats">{escape(f.intervention_title)}</td>'
        f'<td data-title="Afholdt">{day(f.held_on, DASH)}</td>'
        f'<td data-title="Beslutning">{escape(f.decision_label or DASH)}</td>'
        f'<td data-title="Fremskridt">{progress}</td></tr>'
    )
