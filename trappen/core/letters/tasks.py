"""Background tasks for letters (the Django tasks API; `manage.py db_worker` runs them).

Task arguments are ids only: never a name, a CPR number or letter content.
"""

from __future__ import annotations

from django_tasks import task

from trappen.core.letters import service


@task()
def deliver_letter(letter_id: int, attempt: int = 1) -> str:
    """Hand one letter to the configured channel; a letter already sent is not sent again.

    Records status, sent_at and channel_reference and an audit event ("send"); a failure that
    may pass queues attempt + 1 (up to service.MAX_ATTEMPTS), a permanent one marks it failed.
    """
    return service.deliver(letter_id, attempt=attempt)
