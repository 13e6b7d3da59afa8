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

from django.utils import dateformat, timezone
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


def _text(value) -> str:
    """A value as the template writes it (`{{ value }}`): str() of it, escaped."""
    return escape(str(value))


def long_day(value: datetime.date | None) -> str:
    """A date as the template filter "j. F Y" writes it ("1. marts 2026"), "" for none."""
    return dateformat.format(value, "j. F Y") if value else ""


def local_day(value: datetime.datetime | None) -> str:
    """A date-time's local calendar day as "j.n.Y" (the template filter converts it first)."""
    return day(timezone.localtime(value)) if value else ""


def see_all(items, key: str, what: str) -> SafeString:
    """The link to the timeline filtered to one kind, when the short list leaves some out."""
    if len(items) <= 5:
        return _safe("")
    link = f'<a href="?type={escape(key)}#tidslinje">Se alle {len(items)} {escape(what)}'
    return _safe((f"<p>{link} i tidslinjen</a></p>",))


def notification_rows(notifications) -> SafeString:
    return _safe(_notification_row(n) for n in notifications)


def _notification_row(n) -> str:
    received = local_day(n.received_at)
    acute = ' <span class="badge badge-error">Akut</span>' if n.acute else ""
    return (
        f'<tr><td data-title="Modtaget">{_link(n.url, received)}{acute}</td>'
        f'<td data-title="Fra">{escape(n.reporter_label)}</td>'
        f'<td data-title="Status">{escape(n.status_label)}</td></tr>'
    )


def letter_rows(letters) -> SafeString:
    return _safe(
        f'<tr><td data-title="Dato">{local_day(x.created_at)}</td>'
        f'<td data-title="Emne">{_link(x.url, escape(x.subject))}</td>'
        f'<td data-title="Modtager">{escape(x.recipient_name)}</td>'
        f'<td data-title="Status">{escape(x.status_label)}</td></tr>'
        for x in letters
    )


def conversation_items(conversations) -> SafeString:
    return _safe(_conversation_item(c) for c in conversations)


def _conversation_item(c) -> str:
    place = f", {escape(c.place)}" if c.place else ""
    who = f" ({escape(c.first_name)} {_text(c.last_name)})" if c.first_name else ""
    told = (
        "orienteret om retten til en bisidder"
        if c.told_of_support_person
        else "ikke orienteret om retten til en bisidder"
    )
    support = f' <span class="form-hint">(§ 6: {told})</span>'
    return f"<li>{_link(c.url, long_day(c.held_on))}{place}{who}{support}</li>"


def movement_rows(movements) -> SafeString:
    return _safe(
        f'<tr><td data-title="Dato">{day(m.moved_on)}</td>'
        f'<td data-title="Fra trin">{DASH if m.from_step is None else _text(m.from_step)}</td>'
        f'<td data-title="Til trin">{DASH if m.to_step is None else _text(m.to_step)}</td>'
        f'<td data-title="Begrundelse">{escape(m.reason or DASH)}</td></tr>'
        for m in movements
    )


def plans(views) -> SafeString:
    """Each plan with its goals, the child's own beside the others."""
    return _safe(_plan(v) for v in views)


def _plan(view) -> str:
    plan = view.plan
    label = escape(plan.kind_label)
    facts = []
    if not plan.is_needed:
        reason = f": {escape(plan.not_needed_reason)}" if plan.not_needed_reason else ""
        facts.append(f"<dt>Plan nødvendig</dt><dd>Nej{reason}</dd>")
    if plan.due_on:
        facts.append(f"<dt>Frist</dt><dd>{long_day(plan.due_on)}</dd>")
    made = long_day(plan.completed_on) or "Ikke endnu"
    made += ", med barnet" if plan.made_with_child else ""
    made += ", med forældrene" if plan.made_with_guardians else ""
    facts.append(f"<dt>Udarbejdet</dt><dd>{made}</dd>")
    if plan.overall_purpose:
        facts.append(f"<dt>Formål</dt><dd>{escape(plan.overall_purpose)}</dd>")
    html = (
        f"<h3>{_link(view.url, label)}, besluttet {long_day(plan.decided_on)}</h3>\n"
        f'<dl class="trappen-facts">{"".join(facts)}</dl>\n'
    )
    if view.childs_goals or view.other_goals:
        columns = "".join(
            f'<div class="col-12 col-md-6"><h4>{escape(heading)}</h4>'
            f"{''.join(_goal(g) for g in goals) or f'<p>{escape(none)}</p>'}</div>"
            for heading, goals, none in view.columns
        )
        html += f'<div class="row">{columns}</div>\n'
    return html


def _goal(g) -> str:
    goal = g.goal
    achieved = (
        f' <span class="badge badge-success">Nået {day(goal.achieved_on)}</span>'
        if goal.achieved_on
        else ""
    )
    html = f"<div><p><strong>{escape(goal.text)}</strong>{achieved}</p>"
    if goal.childs_own_words:
        html += f"<p>Med barnets ord: »{escape(goal.childs_own_words)}«</p>"
    latest = "" if g.latest_score is None else f", seneste score {_text(g.latest_score)}"
    html += f"<p>Udgangspunkt {_text(goal.baseline)}, mål {_text(goal.target)} (0–10){latest}.</p>"
    if g.latest:
        scores = ", ".join(f"{escape(src)} {_text(score)}" for src, score in g.latest.items())
        html += f'<p class="form-hint">Seneste fra: {scores}</p>'
    if g.interventions:
        names = ", ".join(escape(name) for name in g.interventions)
        html += f'<p class="form-hint">Indsatser: {names}</p>'
    return html + "</div>"


def assignment_rows(assignments) -> SafeString:
    return _safe(
        f'<tr><td data-title="Rådgiver">{_text(a.first_name)} {_text(a.last_name)}</td>'
        f'<td data-title="Fra">{day(a.started_on)}</td>'
        f'<td data-title="Til">{day(a.ended_on, "nu")}</td>'
        f'<td data-title="Begrundelse">{escape(a.reason or DASH)}</td></tr>'
        for a in assignments
    )


def case_items(cases, this_case_id: int) -> SafeString:
    return _safe(
        f"<li>Sag {c.id}{' (denne sag)' if c.id == this_case_id else ''}: {_text(c.team_name)},"
        f" {day(c.opened_on)}–{day(c.closed_on)}</li>"
        for c in cases
    )


def action_items(actions) -> SafeString:
    return _safe(
        f'<li><a class="button button-secondary" href="{escape(a.url)}">{escape(a.label)}</a></li>'
        for a in actions
    )


def investigation_rows(investigations) -> SafeString:
    return _safe(
        f'<tr><td data-title="Startet">{day(i.started_on)}</td>'
        f'<td data-title="Frist">{day(i.due_on)}</td>'
        f'<td data-title="Afsluttet">{day(i.completed_on, DASH)}</td>'
        f'<td data-title="Anbefalet trin">'
        f"{DASH if i.recommended_step is None else _text(i.recommended_step)}</td></tr>"
        for i in investigations
    )


def timeline_kind_options(shown) -> SafeString:
    """The timeline filter's options after "Alle hændelser": each kind present, with its count."""
    return _safe(
        f'<option value="{escape(key)}"{" selected" if key == shown.kind else ""}>'
        f"{escape(label)} ({count})</option>"
        for key, label, count in shown.kinds
    )
