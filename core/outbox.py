"""Queue a background task so that it exists exactly when the change that asked for it does.

With the database task backend (production) the task row is written in the caller's
transaction: one commit stores the comment and its notification, one rollback drops both, and
nothing can fail between the commit and the enqueue (a database lost at that instant used to
answer "not saved" for a comment that was). Other backends (the in-process one in tests) are
queued once the transaction commits, robustly: a failure there is logged, not shown to a reader
whose change is already stored.
"""

import logging

from django.db import transaction
from django_tasks_db import DatabaseBackend

log = logging.getLogger(__name__)


def enqueue(task, *args) -> None:
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args)
        return

    def later() -> None:
        task.enqueue(*args)

    transaction.on_commit(later, robust=True)
