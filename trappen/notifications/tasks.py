"""Background tasks for notifications (the Django tasks API; `manage.py db_worker` runs them).

`check_deadlines_task` runs the deadline check and queues itself again to run
`RECHECK_INTERVAL` later, so one chain of checks runs as long as a worker does. The chain is
started by `manage.py deadlines --schedule` (the demo script calls it before the worker starts).
"""

from __future__ import annotations

import datetime
import logging

from django.utils import timezone
from django_tasks import TaskResultStatus, task

from trappen.cases.deadlines import check_case_deadlines
from trappen.notifications.deadlines import check_deadlines
from trappen.voice.decisions import raise_promised_conversation_reminders
from trappen.voice.reminders import raise_network_reminders

logger = logging.getLogger(__name__)

RECHECK_INTERVAL = datetime.timedelta(minutes=10)
# A check marked running for longer than this was abandoned by a worker that died.
STALE_RUNNING = datetime.timedelta(minutes=30)


@task()
def check_deadlines_task() -> dict:
    """Raise the reminders and escalations due now (notifications, then cases), then queue the
    next check. A failing case check is logged and does not stop the chain."""
    summary = check_deadlines().as_dict()
    try:
        cases = check_case_deadlines()
        cases.raised.update(raise_network_reminders(now=cases.checked_at).raised)
        cases.raised.update(raise_promised_conversation_reminders(now=cases.checked_at).raised)
    except Exception:  # the next run tries again; the notifications' check must go on
        logger.exception("The case deadline check failed")
        summary["case_check_failed"] = True
    else:
        summary["case_reminders"] = cases.reminders
        summary["case_escalations"] = cases.escalations
    schedule_deadline_checks(delay=RECHECK_INTERVAL, include_running=False)
    return summary


def schedule_deadline_checks(
    *, delay: datetime.timedelta = datetime.timedelta(0), include_running: bool = True
) -> bool:
    """Queue a deadline check `delay` from now, unless one is queued already; True if queued.

    Only one chain may run: a check already waiting in the queue (or, when starting a chain,
    one running now, which will queue its own successor) means no new one. The immediate
    backend of the tests cannot defer a task, so nothing is queued there.
    """
    backend = check_deadlines_task.get_backend()
    if not backend.supports_defer or _chain_exists(include_running):
        return False
    check_deadlines_task.using(run_after=timezone.now() + delay).enqueue()
    return True


def _chain_exists(include_running: bool) -> bool:
    """Whether the database queue holds a waiting (or, if asked, live running) check."""
    if not _uses_database_queue():
        return False
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path=check_deadlines_task.module_path, status=TaskResultStatus.READY
    )
    if include_running:
        running = DBTaskResult.objects.filter(
            task_path=check_deadlines_task.module_path,
            status=TaskResultStatus.RUNNING,
            started_at__gte=timezone.now() - STALE_RUNNING,
        )
        waiting = waiting | running
    return waiting.exists()


def _uses_database_queue() -> bool:
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(check_deadlines_task.get_backend(), DatabaseBackend)
