"""The next deadline of each case, stored on the case so the caseload can sort and filter by it.

A case's open deadlines are: an investigation not completed (`due_on`, barnets lov § 20), a
follow-up not held (`due_on`, § 95) and a child's plan that is needed and not made (`due_on`,
§§ 91–92). The case stores the earliest of each kind (`investigation_due_on`,
`follow_up_due_on`, `plan_due_on`) and the earliest of the three (`next_due_on`, indexed with
the team and `closed_on`), so the caseload reads one page of cases in the database's order
instead of computing every case's deadlines on every request.

`refresh(cases)` recomputes the four columns of a queryset of cases in one UPDATE, from the
rows themselves (never from what the caller thinks changed). It runs:

- after every save or delete of an investigation, a follow-up or a child's plan (the signal
  receivers below; every service that changes a deadline saves or deletes one of these, and
  the test factories do too). A save whose `update_fields` names none of the columns the
  deadline reads is skipped;
- after bulk inserts that bypass the signals (the synthetic data, the benchmarks), and in the
  migration that added the columns, with `refresh(Case.objects.all())` or a narrower set.

A queryset `.update()` or `bulk_create` of these models does not send the signals: code doing
that calls `refresh` itself.
"""

from __future__ import annotations

import datetime

from django.db.models import DateField, Min, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Least, NullIf
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from trappen.cases.models import Case, ChildPlan, FollowUp, Investigation

# Columns each model's deadline reads: a save that touches none of them cannot move it.
READS = {
    Investigation: frozenset({"case", "case_id", "due_on", "completed_on"}),
    FollowUp: frozenset({"intervention", "intervention_id", "due_on", "held_on"}),
    ChildPlan: frozenset({"case", "case_id", "due_on", "completed_on", "is_needed"}),
}
NEVER = datetime.date.max  # stands in for "no deadline" inside LEAST (SQLite's MIN is NULL-strict)


def _earliest(queryset: QuerySet, case_path: str) -> Subquery:
    """MIN(due_on) of `queryset` (the open rows of one case, grouped by `case_path`), or NULL.

    An aggregate, not ORDER BY due_on LIMIT 1: with that, SQLite (and PostgreSQL without
    statistics) may walk the index on due_on through every open row of every case."""
    grouped = queryset.order_by().values(case_path).annotate(earliest=Min("due_on"))
    return Subquery(grouped.values("earliest"), output_field=DateField())


def open_deadlines(case_ref: str = "pk") -> dict[str, Subquery]:
    """The earliest open deadline of each kind, as subqueries on the case `OuterRef(case_ref)`."""
    case = OuterRef(case_ref)
    return {
        "investigation_due_on": _earliest(
            Investigation.objects.filter(case=case, completed_on__isnull=True), "case"
        ),
        "follow_up_due_on": _earliest(
            FollowUp.objects.filter(intervention__case=case, held_on__isnull=True),
            "intervention__case",
        ),
        "plan_due_on": _earliest(
            ChildPlan.objects.filter(
                case=case, is_needed=True, completed_on__isnull=True, due_on__isnull=False
            ),
            "case",
        ),
    }


def refresh(cases: QuerySet) -> int:
    """Recompute the stored deadlines of `cases` (one UPDATE); returns the number of cases."""
    dues = open_deadlines()
    never = Value(NEVER, output_field=DateField())
    # The same subqueries again for the earliest of the three: an UPDATE's right-hand sides
    # all see the row as it was, so next_due_on cannot read the three new columns.
    earliest = Least(*(Coalesce(d, never) for d in open_deadlines().values()))
    return cases.update(**dues, next_due_on=NullIf(earliest, never))


def refresh_case(case_id: int | None) -> None:
    if case_id is not None:
        refresh(Case.objects.filter(pk=case_id))


def _touches_deadline(model, update_fields) -> bool:
    return update_fields is None or not READS[model].isdisjoint(update_fields)


@receiver(post_save, sender=Investigation)
@receiver(post_save, sender=ChildPlan)
def _case_row_saved(sender, instance, update_fields=None, raw=False, **kwargs) -> None:
    if not raw and _touches_deadline(sender, update_fields):
        refresh_case(instance.case_id)


@receiver(post_delete, sender=Investigation)
@receiver(post_delete, sender=ChildPlan)
def _case_row_deleted(sender, instance, **kwargs) -> None:
    refresh_case(instance.case_id)


@receiver(post_save, sender=FollowUp)
def _follow_up_saved(sender, instance, update_fields=None, raw=False, **kwargs) -> None:
    if not raw and _touches_deadline(sender, update_fields):
        refresh(Case.objects.filter(interventions=instance.intervention_id))


@receiver(post_delete, sender=FollowUp)
def _follow_up_deleted(sender, instance, **kwargs) -> None:
    # The intervention may be gone too (a cascade); then so is its case's link, and the case is
    # refreshed by what deleted it, or has been deleted itself.
    refresh(Case.objects.filter(interventions=instance.intervention_id))
